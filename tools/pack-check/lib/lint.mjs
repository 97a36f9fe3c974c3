// publint and attw on a packed tarball: the file npm would publish, not the source folder.
import path from 'node:path';
import { exec } from './exec.mjs';
import { repoRoot } from './packages.mjs';

const bin = (name) => path.join(repoRoot, 'node_modules', '.bin', name);

/**
 * publint with warnings counted as errors (`--strict`). Suggestions are printed but do not
 * fail: they are advice (a field a registry page would like), not a broken install.
 */
export async function publint(tarball) {
  return exec(bin('publint'), ['run', tarball, '--strict'], { cwd: repoRoot, timeoutMs: 60_000 });
}

/**
 * attw with one rule ignored: `cjs-resolves-to-esm`. Every tsio package is ESM-only by design
 * (`"type": "module"`, one ESM build and no CommonJS twin: a dual build would double each
 * package and let a program load two copies of Future, Task and the loop classes, breaking
 * `instanceof`). CommonJS code uses `import()`, or `require()` on Node versions that can
 * require ESM (20.19 and later). That rule could only report this design ("node16 from CJS:
 * ESM, dynamic import only"). Ignoring that one rule, rather than using the `esm-only` profile,
 * keeps every other check on every resolution, node10 included (the top-level `main` and
 * `types` serve older TypeScript setups with `moduleResolution: "node"`).
 */
export async function attw(tarball) {
  return exec(
    bin('attw'),
    [tarball, '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table', '--no-color'],
    { cwd: repoRoot, timeoutMs: 60_000 },
  );
}
