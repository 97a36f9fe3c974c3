// Scenario (a): a user installs only @tsio/event-loop (npm brings core, futures, transports)
// and drives a loop by hand: callbacks, timers, a future and a task, in plain ESM and in
// TypeScript compiled against the published .d.ts files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { dependencyClosure } from '../lib/packages.mjs';
import {
  compileTypeScript,
  copyFixture,
  createProject,
  installOffline,
  runNode,
  writeTsconfig,
} from '../lib/scratch.mjs';

export const title = '(a) @tsio/event-loop alone: callbacks and futures, .mjs and .ts';

const FIXTURE = new URL('../fixtures/event-loop-only/', import.meta.url);
const EXPECTED = 'soon hello, later 10 ms, later 20 ms, done 42';

/** Runs the scenario in `workDir`; resolves to a one-line detail, rejects on failure. */
export async function runScenario({ packages, workDir, cache }) {
  const dir = createProject(path.join(workDir, 'event-loop-only'), {
    name: 'scratch-event-loop-only',
    private: true,
    type: 'module',
  });
  const needed = dependencyClosure(packages, ['@tsio/event-loop']);
  await installOffline(
    dir,
    needed.map((p) => p.tarball),
    { cache },
  );
  const installed = installedTsioPackages(dir);
  assert.deepEqual(
    installed,
    needed.map((p) => p.name).sort(),
    'exactly event-loop and its dependencies are installed',
  );

  copyFixture(FIXTURE, dir);
  assert.equal(
    (await runNode(dir, 'callbacks-futures.mjs')).trim(),
    EXPECTED,
    'output of the .mjs example',
  );
  writeTsconfig(dir);
  await compileTypeScript(dir);
  assert.equal(
    (await runNode(dir, 'dist/callbacks-futures.js')).trim(),
    EXPECTED,
    'output of the compiled .ts example',
  );
  return `installed ${installed.join(', ')}`;
}

/** The tsio packages present in `dir`/node_modules, sorted. */
export function installedTsioPackages(dir) {
  const modules = path.join(dir, 'node_modules');
  const names = [];
  if (fs.existsSync(path.join(modules, 'tsio'))) names.push('tsio');
  const scope = path.join(modules, '@tsio');
  if (fs.existsSync(scope)) for (const entry of fs.readdirSync(scope)) names.push(`@tsio/${entry}`);
  return names.sort();
}
