// Scenario (c): a third-party package ("my-loop") subclasses tsio's loop, is compiled and
// packed like any npm package, and an app that installs tsio and my-loop runs main on it,
// through run()'s loopFactory and through an event-loop policy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../lib/exec.mjs';
import { dependencyClosure } from '../lib/packages.mjs';
import {
  compileTypeScript,
  copyFixture,
  createProject,
  installOffline,
  runNode,
  writeTsconfig,
} from '../lib/scratch.mjs';

export const title = '(c) third-party loop subclass: loopFactory and policy';

const FIXTURE = new URL('../fixtures/third-party-loop/', import.meta.url);

/** Builds and packs my-loop in `workDir`; resolves to its tarball. */
async function packMyLoop({ packages, workDir, cache }) {
  const dir = path.join(workDir, 'my-loop');
  copyFixture(new URL('my-loop/', FIXTURE), dir);
  // The template has another name so that the repository's tools never take it for a package.
  fs.renameSync(path.join(dir, 'package.template.json'), path.join(dir, 'package.json'));
  const peers = dependencyClosure(packages, ['@tsio/event-loop', '@tsio/policies']);
  // --no-save: the packed my-loop must keep its ^0.1.0 peer ranges, not our tarball paths.
  await installOffline(
    dir,
    peers.map((p) => p.tarball),
    { cache, save: false },
  );
  // Scenario (b) checks the tsio .d.ts files; here what matters is our use of them.
  writeTsconfig(dir, { declaration: true, checkLibs: false });
  await compileTypeScript(dir);
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', workDir], {
    cwd: dir,
    check: true,
  });
  const [packed] = JSON.parse(stdout);
  assert.deepEqual(
    packed.files.map((f) => f.path).sort(),
    ['dist/index.d.ts', 'dist/index.js', 'package.json'],
    'my-loop ships its compiled code and types',
  );
  return path.join(workDir, packed.filename);
}

/** Runs the scenario in `workDir`; resolves to a one-line detail, rejects on failure. */
export async function runScenario({ packages, workDir, cache }) {
  const myLoopTarball = await packMyLoop({ packages, workDir, cache });
  const dir = createProject(path.join(workDir, 'app'), {
    name: 'scratch-app',
    private: true,
    type: 'module',
  });
  const tsio = dependencyClosure(packages, ['tsio']);
  await installOffline(dir, [...tsio.map((p) => p.tarball), myLoopTarball], { cache });
  copyFixture(new URL('app/', FIXTURE), dir);
  writeTsconfig(dir, { checkLibs: false });
  await compileTypeScript(dir);
  return (await runNode(dir, 'dist/main.js')).trim();
}
