// Self-test of tools/check-layers.mjs: builds fake packages trees in a temp folder and runs
// the script on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findImports } from '../check-layers.mjs';

const script = fileURLToPath(new URL('../check-layers.mjs', import.meta.url));

/** Writes `files` (relative path -> string or JSON value) under a fresh temp root. */
function makeTree(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsio-check-layers-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(
      full,
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  }
  return root;
}

function pkg(dir, name, deps = [], refs = deps) {
  return {
    [`packages/${dir}/package.json`]: {
      name,
      version: '0.1.0',
      dependencies: Object.fromEntries(deps.map((d) => [d, '^0.1.0'])),
    },
    [`packages/${dir}/tsconfig.build.json`]: {
      compilerOptions: { composite: true },
      // a comment-free tsconfig; the script also accepts comments and trailing commas
      references: refs.map((r) => ({ path: `../${r.replace('@tsio/', '')}/tsconfig.build.json` })),
    },
  };
}

function run(root) {
  const r = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  fs.rmSync(root, { recursive: true, force: true });
  return { code: r.status, out: r.stdout + r.stderr };
}

const cleanTree = () => ({
  ...pkg('core', '@tsio/core'),
  'packages/core/src/index.ts': "export { a } from './a.js';\nexport type { B } from './b.js';\n",
  'packages/core/src/a.ts': "import type { B } from './b.js';\nexport const a = (b: B) => b;\n",
  'packages/core/src/b.ts': 'export interface B { x: number }\n',
  ...pkg('futures', '@tsio/futures', ['@tsio/core']),
  'packages/futures/src/index.ts': [
    "import { a } from '@tsio/core';",
    "import fs from 'node:fs';",
    '// import { x } from "@tsio/policies"; (a comment, not an import)',
    'const s = "import { y } from \'@tsio/sync\'";',
    'const t = `export * from "@tsio/queues" ${s}`;',
    'const re = /from "@tsio\\/streams"/;',
    'export const f = () => [a, fs, s, t, re, import.meta.url];',
    '',
  ].join('\n'),
});

test('a clean tree passes with a one-line summary', () => {
  const { code, out } = run(makeTree(cleanTree()));
  assert.equal(code, 0, out);
  assert.match(out, /^check-layers: OK \(2 packages, 4 source files/m);
});

test('(a) a dependency the layer table forbids, and references out of step', () => {
  const root = makeTree({
    ...cleanTree(),
    ...pkg('event-loop', '@tsio/event-loop', ['@tsio/core', '@tsio/futures'], ['@tsio/core']),
    ...pkg('sync', '@tsio/sync', ['@tsio/core', '@tsio/event-loop']),
    ...pkg('policies', '@tsio/policies', ['@tsio/core'], ['@tsio/core', '@tsio/futures']),
    ...pkg('extra', '@tsio/extra'),
  });
  const { code, out } = run(root);
  assert.equal(code, 1, out);
  assert.match(out, /@tsio\/sync may not depend on @tsio\/event-loop/);
  assert.match(out, /@tsio\/futures is a dependency but not a reference/);
  assert.match(out, /references @tsio\/futures, which is not in package.json dependencies/);
  assert.match(out, /package @tsio\/extra is not in the layer table/);
});

test('(b) deep, undeclared, self and escaping imports', () => {
  const root = makeTree({
    ...cleanTree(),
    'packages/futures/src/bad.ts': [
      "import { RuntimeError } from '@tsio/core/src/errors.js';",
      "export { Lock } from '@tsio/sync';",
      "import type { X } from '../../core/src/a.js';",
      "const m = await import('@tsio/core/internal/runtime.js');",
      "import { f } from '@tsio/futures';",
      "import { z } from 'left-pad';",
      "import { gone } from './missing.js';",
      '',
    ].join('\n'),
  });
  const { code, out } = run(root);
  assert.equal(code, 1, out);
  assert.match(out, /bad\.ts:1: deep import '@tsio\/core\/src\/errors\.js'/);
  assert.match(out, /bad\.ts:2: '@tsio\/sync' is not declared/);
  assert.match(out, /bad\.ts:3: '\.\.\/\.\.\/core\/src\/a\.js' leaves the package folder/);
  assert.match(out, /bad\.ts:4: deep import '@tsio\/core\/internal\/runtime\.js'/);
  assert.match(out, /bad\.ts:5: '@tsio\/futures' imports the package itself/);
  assert.match(out, /bad\.ts:6: 'left-pad' is not declared/);
  assert.match(out, /bad\.ts:7: '\.\/missing\.js' does not resolve/);
  assert.doesNotMatch(out, /policies|queues|streams/); // text in comments, strings, regexes
});

test('(c) a value-import cycle among source files, and a cycle among packages', () => {
  const root = makeTree({
    ...cleanTree(),
    'packages/core/src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'packages/core/src/b.ts': "import { c } from './c.js';\nexport const b = c;\n",
    'packages/core/src/c.ts': "import { a } from './a.js';\nexport const c = () => a;\n",
    ...pkg('futures', '@tsio/futures', ['@tsio/core', '@tsio/policies']),
    ...pkg('policies', '@tsio/policies', ['@tsio/core', '@tsio/futures']),
  });
  const { code, out } = run(root);
  assert.equal(code, 1, out);
  assert.match(out, /import cycle: src\/a\.ts:1 -> src\/b\.ts:1 -> src\/c\.ts:1 -> src\/a\.ts/);
  assert.match(out, /package cycle: @tsio\/futures -> @tsio\/policies -> @tsio\/futures/);
});

test('(c) type-only imports that refer to each other are not a cycle', () => {
  const root = makeTree({
    ...cleanTree(),
    'packages/core/src/b.ts': "import type { C } from './c.js';\nexport interface B { c: C }\n",
    'packages/core/src/c.ts': "import type { B } from './b.js';\nexport interface C { b: B }\n",
  });
  const { code, out } = run(root);
  assert.equal(code, 0, out);
});

test('findImports sees every import form', () => {
  const src = [
    "import a from 'a';",
    "import 'side';",
    "import type { T } from 't';",
    "import * as ns from 'ns';",
    "export * from 'star';",
    "export * as named from 'starAs';",
    "export type { U } from 'u';",
    "export {\n  v,\n  w as x,\n} from 'multi';",
    "type Q = typeof import('typed');",
    'const d = import(`tpl`);',
    'const e = import(name);',
    "import fs = require('req');",
  ].join('\n');
  assert.deepEqual(
    findImports(src).map((i) => [i.spec, i.line, i.form]),
    [
      ['a', 1, 'import'],
      ['side', 2, 'import'],
      ['t', 3, 'import type'],
      ['ns', 4, 'import'],
      ['star', 5, 'export from'],
      ['starAs', 6, 'export from'],
      ['u', 7, 'export type from'],
      ['multi', 8, 'export from'],
      ['typed', 12, 'import()'],
      ['tpl', 13, 'import()'],
      [null, 14, 'import()'],
      ['req', 15, 'import = require'],
    ],
  );
});
