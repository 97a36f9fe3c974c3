// Self-test of the API reference tools (tools/docs/): each runs on the fixtures in
// tools/test/fixtures/docs-good (documented, examples compile, plus a private package that
// breaks both rules and must be skipped) and docs-bad (an undocumented export, an example
// with a type error).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractExamples } from '../docs/tsdoc-examples.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const fixture = (name) => path.join(here, 'fixtures', name);

/** Runs a tools/docs script; resolves to its exit code and output (stdout + stderr). */
function run(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repo, 'tools/docs', script), ...args], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const apiArgs = (name, ...more) => [
  '--root',
  fixture(name),
  '--tsconfig',
  path.join(fixture(name), 'tsconfig.json'),
  ...more,
];
const exampleArgs = (name) => ['--root', fixture(name), '--prelude', ''];

// The scripts start a TypeScript program each: running them side by side halves the wait.
describe('build-api.mjs', { concurrency: true }, () => {
  test('passes when every public name of the published packages is documented', async () => {
    const { code, output } = await run('build-api.mjs', apiArgs('docs-good', '--check'));
    assert.equal(code, 0, output);
    assert.match(output, /1 packages, every public name documented/);
    assert.doesNotMatch(output, /undocumentedButPrivate/, 'a private package is skipped');
  });

  test('fails on an export without TSDoc and names it', async () => {
    const { code, output } = await run('build-api.mjs', apiArgs('docs-bad', '--check'));
    assert.equal(code, 1, output);
    assert.match(output, /undocumentedHelper .*does not have any documentation/);
    assert.doesNotMatch(output, /greet/, 'the documented function is not reported');
  });

  test('writes the HTML reference, one module per package named after it', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tsio-api-'));
    try {
      const { code, output } = await run('build-api.mjs', apiArgs('docs-good', '--out', out));
      assert.equal(code, 0, output);
      assert.ok(fs.existsSync(path.join(out, 'index.html')), output);
      const modules = fs.readdirSync(path.join(out, 'functions'));
      assert.deepEqual(modules, ['fixture-alpha.greet.html']);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('check-tsdoc-examples.mjs', { concurrency: true }, () => {
  test('passes when every example compiles', async () => {
    const { code, output } = await run('check-tsdoc-examples.mjs', exampleArgs('docs-good'));
    assert.equal(code, 0, output);
    assert.match(output, /1 examples in 1 packages, 0 do not compile/);
  });

  test('reports a broken example at its line in the source file', async () => {
    const { code, output } = await run('check-tsdoc-examples.mjs', exampleArgs('docs-bad'));
    assert.equal(code, 1, output);
    const where = path.join('tools/test/fixtures/docs-bad/packages/alpha/src/index.ts');
    assert.ok(
      output.includes(
        `${where}:9: error TS2322: Type 'string' is not assignable to type 'number'.`,
      ),
      output,
    );
    assert.match(output, /1 examples in 1 packages, 1 do not compile/);
  });
});

describe('extractExamples', () => {
  const source = [
    '/**',
    ' * Summary with a fence that is not an example:',
    ' * ```ts',
    ' * notAnExample();',
    ' * ```',
    ' *',
    ' * @example',
    ' * Some words first.',
    ' * ```ts',
    ' * first();',
    ' *   indented();',
    ' * ```',
    ' * ```python',
    ' * skipped()',
    ' * ```',
    ' * @example',
    ' * ```typescript',
    ' * second();',
    ' * ```',
    ' * @throws Error never',
    ' * ```ts',
    ' * afterAnotherTag();',
    ' * ```',
    ' */',
    'export function f() {}',
    'class C {',
    '  /**',
    '   * A member.',
    '   * @example',
    '   * ```ts',
    '   * member();',
    '   * ```',
    '   */',
    '  m() {}',
    '}',
  ].join('\n');

  test('takes the ts blocks of @example tags only, with their first line', () => {
    assert.deepEqual(extractExamples('f.ts', source), [
      { file: 'f.ts', line: 10, code: 'first();\n  indented();' },
      { file: 'f.ts', line: 18, code: 'second();' },
      { file: 'f.ts', line: 31, code: 'member();' },
    ]);
  });
});
