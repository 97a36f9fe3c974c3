// Scenario (b): a user installs the `tsio` meta-package and runs the first example of the root
// README, type-checked and compiled against the published .d.ts files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { dependencyClosure, repoRoot } from '../lib/packages.mjs';
import { exec } from '../lib/exec.mjs';
import {
  compileTypeScript,
  createProject,
  installOffline,
  runNode,
  writeTsconfig,
} from '../lib/scratch.mjs';
import { installedTsioPackages } from './event-loop-only.mjs';

export const title = '(b) tsio meta-package: the README example';

/** The first ```ts block of the root README: the example a reader copies first. */
export function readmeExample(root = repoRoot) {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error('README.md has no ```ts block');
  return block[1];
}

/**
 * What the example prints when built inside the repository (examples/dist/readme-example.js,
 * which tools/test/readme.test.mjs keeps equal to the README): the scratch copy, built from the
 * tarballs, must print the same. Null when the examples were not built.
 */
async function expectedOutput() {
  const built = path.join(repoRoot, 'examples', 'dist', 'readme-example.js');
  if (!fs.existsSync(built)) return null;
  const { stdout } = await exec(process.execPath, [built], {
    cwd: repoRoot,
    check: true,
    timeoutMs: 30_000,
  });
  return stdout;
}

/** Runs the scenario in `workDir`; resolves to a one-line detail, rejects on failure. */
export async function runScenario({ packages, workDir, cache }) {
  const dir = createProject(path.join(workDir, 'meta-package'), {
    name: 'scratch-meta-package',
    private: true,
    type: 'module',
  });
  const needed = dependencyClosure(packages, ['tsio']);
  await installOffline(
    dir,
    needed.map((p) => p.tarball),
    { cache },
  );
  assert.deepEqual(
    installedTsioPackages(dir),
    needed.map((p) => p.name).sort(),
    'tsio and its dependencies are installed',
  );

  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'readme-example.ts'), readmeExample());
  writeTsconfig(dir);
  await compileTypeScript(dir);
  const [output, expected] = await Promise.all([
    runNode(dir, 'dist/readme-example.js'),
    expectedOutput(),
  ]);
  assert.notEqual(output.trim(), '', 'the README example prints something');
  if (expected !== null)
    assert.equal(output, expected, 'same output as the example built in the repository');
  const lines = output.trimEnd().split('\n');
  return `${needed.length} packages installed; printed ${lines.length} lines, last: ${lines.at(-1)}`;
}
