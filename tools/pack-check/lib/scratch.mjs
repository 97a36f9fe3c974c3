// Scratch projects outside the repository: a folder with a package.json, installed from the
// packed tarballs only, where examples are type-checked with the repository's TypeScript and
// run with node, as a user of the published packages would.
import fs from 'node:fs';
import path from 'node:path';
import { exec } from './exec.mjs';
import { repoRoot } from './packages.mjs';

/**
 * An address nothing listens on. Passed as the registry so that any attempt to reach the npm
 * registry fails at once instead of silently downloading: together with `--offline` and an
 * empty cache it proves the tarballs alone satisfy the install.
 */
const NO_REGISTRY = 'http://127.0.0.1:9/';

/** Creates `dir` with a package.json (`manifest`) and returns `dir`. */
export function createProject(dir, manifest) {
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, 'package.json'), manifest);
  return dir;
}

/** Writes `value` as formatted JSON. */
export function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Copies the fixture folder `from` (a folder of tools/pack-check/fixtures) into `to`. */
export function copyFixture(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/**
 * `npm install` of `specs` (tarball paths) in `dir`, offline, from an empty cache and with no
 * reachable registry. npm satisfies the tarballs' `^0.1.0` ranges between each other because
 * they are all named on one command line; a missing tarball fails with ENOTCACHED.
 *
 * @param {string} dir
 * @param {string[]} specs
 * @param {{ cache: string, save?: boolean }} options - `save: false` installs without writing
 *   the tarball paths into package.json (a package that will be packed itself).
 */
export async function installOffline(dir, specs, { cache, save = true }) {
  const args = [
    'install',
    '--offline',
    '--no-audit',
    '--no-fund',
    '--cache',
    cache,
    '--registry',
    NO_REGISTRY,
  ];
  if (!save) args.push('--no-save');
  await exec('npm', [...args, ...specs], { cwd: dir, check: true, timeoutMs: 60_000 });
}

/**
 * Writes the tsconfig.json of a TypeScript user on Node: strict and nodenext resolution. By
 * default `skipLibCheck: false`, so that the published .d.ts files are checked too, not only
 * our use of them (that also checks @types/node, the slow part: `checkLibs: false` skips it
 * where another scenario already checked the same .d.ts files). @types/node comes from the
 * repository's node_modules (a user installs it themselves; borrowing it keeps the scratch
 * install offline and small).
 */
export function writeTsconfig(dir, { declaration = false, checkLibs = true } = {}) {
  writeJson(path.join(dir, 'tsconfig.json'), {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: !checkLibs,
      declaration,
      rootDir: 'src',
      outDir: 'dist',
      types: ['node'],
      typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    },
    include: ['src'],
  });
}

/** Type-checks and compiles `dir`'s tsconfig.json with the repository's TypeScript. */
export async function compileTypeScript(dir) {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  await exec(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json'), '--pretty', 'false'], {
    cwd: dir,
    check: true,
  });
}

/** Runs `node file` in `dir` and resolves to its stdout; rejects on a non-zero exit. */
export async function runNode(dir, file) {
  const { stdout } = await exec(process.execPath, [file], {
    cwd: dir,
    check: true,
    timeoutMs: 30_000,
  });
  return stdout;
}
