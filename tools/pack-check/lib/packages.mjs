// The publishable packages of the repository and their tarballs: what a user would download.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from './exec.mjs';

/** The repository root (tools/pack-check/lib -> ../../..). */
export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
);

/**
 * @typedef {object} PackageInfo
 * @property {string} name - the npm name (`@tsio/core`, `tsio`)
 * @property {string} dir - the package folder, relative to the repository root
 * @property {Record<string, string>} dependencies - its `dependencies` field
 * @property {string} [tarball] - the packed .tgz (absolute path), once packed
 */

/** Every packages/* folder whose package.json is not private, sorted by folder name. */
export function publishablePackages(root = repoRoot) {
  const packagesDir = path.join(root, 'packages');
  /** @type {PackageInfo[]} */
  const found = [];
  for (const entry of fs.readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const manifestPath = path.join(packagesDir, entry.name, 'package.json');
    if (!fs.existsSync(manifestPath)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    if (manifest.private === true) continue;
    found.push({
      name: manifest.name,
      dir: path.join('packages', entry.name),
      dependencies: manifest.dependencies ?? {},
    });
  }
  return found.sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * Names of packages whose built entry point is missing: packing them would ship an empty
 * package, so the caller reports "build first" instead of a confusing install failure.
 */
export function unbuiltPackages(packages, root = repoRoot) {
  return packages
    .filter(
      (p) =>
        !['dist/index.js', 'dist/index.d.ts'].every((f) =>
          fs.existsSync(path.join(root, p.dir, f)),
        ),
    )
    .map((p) => p.name);
}

/**
 * Packs every package with one `npm pack` (one npm start-up instead of one per package) into
 * `destination`, and records each tarball's path on its PackageInfo.
 */
export async function packAll(packages, destination, root = repoRoot) {
  const args = ['pack', '--json', '--pack-destination', destination];
  for (const p of packages) args.push('--workspace', p.dir);
  const { stdout } = await exec('npm', args, { cwd: root, check: true });
  const packed = JSON.parse(stdout);
  for (const p of packages) {
    const entry = packed.find((e) => e.name === p.name);
    if (entry === undefined) throw new Error(`npm pack did not report ${p.name}`);
    p.tarball = path.join(destination, entry.filename);
  }
}

/**
 * The packages `names` need, themselves included: the closure over `dependencies` restricted
 * to the repository's own packages (they have no third-party runtime dependencies; a package
 * that gains one would make the offline install fail, which is what we want to hear about).
 */
export function dependencyClosure(packages, names) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    const p = byName.get(name);
    if (p === undefined) throw new Error(`${name} is not a publishable package of this repository`);
    seen.add(name);
    for (const dep of Object.keys(p.dependencies)) if (byName.has(dep)) visit(dep);
  };
  for (const name of names) visit(name);
  return packages.filter((p) => seen.has(p.name));
}
