#!/usr/bin/env node
// Proves the packages as a user gets them: packs every publishable package (packages/* not
// private) with `npm pack`, lints each tarball with publint and attw, and installs the
// tarballs into scratch projects outside the repository, offline, for the three ways to
// install tsio (ARCHITECTURE.md): (a) @tsio/event-loop alone, (b) the `tsio` meta-package,
// (c) a third-party loop subclass through run()'s loopFactory and through a policy.
//
// Usage: node tools/pack-check/run.mjs [--keep] [--only=lint|install]
//   Assumes the packages are built (`npx nx run-many -t build`). Prints one PASS/FAIL line
//   per check and exits 1 if any failed. Everything happens in one folder under the system
//   temporary directory, removed at the end (--keep keeps it and prints where it is).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attw, publint } from './lib/lint.mjs';
import { packAll, publishablePackages, unbuiltPackages } from './lib/packages.mjs';
import * as eventLoopOnly from './scenarios/event-loop-only.mjs';
import * as metaPackage from './scenarios/meta-package.mjs';
import * as thirdPartyLoop from './scenarios/third-party-loop.mjs';

const SCENARIOS = [eventLoopOnly, metaPackage, thirdPartyLoop];

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && only !== 'lint' && only !== 'install') {
  console.error(`unknown --only=${only} (expected lint or install)`);
  process.exit(2);
}

let failures = 0;

/**
 * @typedef {object} Result
 * @property {boolean} ok
 * @property {string} what - the check, as printed after PASS/FAIL
 * @property {string} detail - a short note after a pass, the reason under a failure
 */

/** Prints one result line, and the reason under a failure. */
function report({ ok, what, detail }) {
  if (!ok) failures += 1;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail && ok ? `: ${detail}` : ''}`);
  if (!ok && detail) console.log(indent(detail));
}

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** Runs `fn` and resolves to its Result (never rejects). */
async function check(what, fn) {
  const started = performance.now();
  try {
    const detail = (await fn()) ?? '';
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return { ok: true, what, detail: `${detail} (${seconds} s)`.trim() };
  } catch (error) {
    return {
      ok: false,
      what,
      detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

/** publint and attw on one tarball, as one result. */
async function lintPackage(pkg) {
  const [lint, types] = await Promise.all([publint(pkg.tarball), attw(pkg.tarball)]);
  const problems = [];
  if (lint.code !== 0) problems.push(`publint:\n${lint.stdout}${lint.stderr}`);
  if (types.code !== 0) problems.push(`attw:\n${types.stdout}${types.stderr}`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  // Suggestions do not fail, but they are worth seeing.
  return lint.stdout.includes('Suggestions:')
    ? `publint suggests:\n${lint.stdout}`
    : 'publint and attw clean';
}

/** Lints every package, two at a time (attw loads a TypeScript compiler per run). */
async function lintAll(packages) {
  const queue = [...packages];
  const results = new Map();
  const worker = async () => {
    for (let pkg = queue.shift(); pkg !== undefined; pkg = queue.shift()) {
      results.set(pkg.name, await check(`lint ${pkg.name}`, () => lintPackage(pkg)));
    }
  };
  await Promise.all([worker(), worker()]);
  return packages.map((p) => results.get(p.name));
}

/**
 * The install scenarios, one after the other. They share one npm cache, empty at the start:
 * nothing comes from a cache the machine filled earlier, and the registry is unreachable
 * (lib/scratch.mjs), so each install uses the tarballs only.
 */
async function installAll(packages, workDir, cache) {
  const results = [];
  for (const scenario of SCENARIOS) {
    results.push(
      await check(scenario.title, () => scenario.runScenario({ packages, workDir, cache })),
    );
  }
  return results;
}

const started = performance.now();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsio-pack-check-'));
// Ctrl-C reaches the children too (same process group); leave no scratch folder behind.
process.once('SIGINT', () => {
  if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  process.exit(130);
});
try {
  const packages = publishablePackages();
  const unbuilt = unbuiltPackages(packages);
  if (unbuilt.length > 0) {
    report({
      ok: false,
      what: 'build',
      detail: `not built: ${unbuilt.join(', ')}; run \`npx nx run-many -t build\` first`,
    });
  } else {
    const tarballs = path.join(workDir, 'tarballs');
    fs.mkdirSync(tarballs);
    const pack = await check('npm pack', async () => {
      await packAll(packages, tarballs);
      return packages.map((p) => path.basename(p.tarball)).join(', ');
    });
    report(pack);
    if (pack.ok) {
      // Lint and install at the same time (two CPUs: attw and tsc are the heavy parts), and
      // print the results in a fixed order when both are done.
      const cache = path.join(workDir, 'npm-cache');
      const [lintResults, scenarioResults] = await Promise.all([
        only === 'install' ? [] : lintAll(packages),
        only === 'lint' ? [] : installAll(packages, workDir, cache),
      ]);
      for (const result of [...lintResults, ...scenarioResults]) report(result);
    }
  }
} finally {
  if (keep) console.log(`kept ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  failures === 0
    ? `pack-check: all passed (${seconds} s)`
    : `pack-check: ${failures} failed (${seconds} s)`,
);
process.exitCode = failures === 0 ? 0 : 1;
