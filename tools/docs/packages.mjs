// The packages the docs tools cover: every packages/* folder with a package.json that is not
// private and a src/index.ts entry point. Private ones (fixtures, internal tools) are skipped.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Lists the published packages under `root`/packages, sorted by folder name.
 * @param {string} root the repository (or fixture) root
 * @returns {{ name: string, dir: string, folder: string, entry: string, readme: string | null, manifest: any }[]}
 */
export function publishedPackages(root) {
  const dir = path.join(root, 'packages');
  const found = [];
  for (const folder of fs.readdirSync(dir).sort()) {
    const pkgDir = path.join(dir, folder);
    const manifestPath = path.join(pkgDir, 'package.json');
    const entry = path.join(pkgDir, 'src', 'index.ts');
    if (!fs.existsSync(manifestPath) || !fs.existsSync(entry)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    const readme = path.join(pkgDir, 'README.md');
    found.push({
      name: manifest.name,
      dir: pkgDir,
      folder,
      entry,
      readme: fs.existsSync(readme) ? readme : null,
      manifest,
    });
  }
  return found;
}
