// The external echo client of ../shared/bench-anchors: the anchors' C load generator
// (c/echo_client.c), compiled once into tools/bench/.build/ (git-ignored), or the anchors'
// js/echo_client.mjs under Node when there is no C compiler. $ECHO_CLIENT overrides both,
// as in the anchors' scripts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const anchorsDir = path.resolve(here, '..', '..', '..', 'shared', 'bench-anchors');
const buildDir = path.join(here, '.build');

/**
 * Returns the path of the compiled C client, building it if it is missing or older than its
 * source; null when there is no source or no working C compiler (`$CC`, else `cc`).
 */
export function buildEchoClient() {
  const source = path.join(anchorsDir, 'c', 'echo_client.c');
  const binary = path.join(buildDir, 'echo_client');
  if (!fs.existsSync(source)) return null;
  if (fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= fs.statSync(source).mtimeMs) {
    return binary;
  }
  fs.mkdirSync(buildDir, { recursive: true });
  // Keep the scratch folder out of git without touching the repository's .gitignore.
  fs.writeFileSync(path.join(buildDir, '.gitignore'), '*\n');
  const cc = process.env.CC || 'cc';
  const r = spawnSync(cc, ['-O2', '-o', binary, source], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    process.stderr.write(
      `echo: cannot build ${source} with ${cc}: ${r.error?.message ?? r.stderr}\n`,
    );
    return null;
  }
  return binary;
}

/**
 * The external client to run: `{ cmd: [program, ...args], label }`, where label is the
 * anchors' `client` field (`ext:echo_client`, `ext:node`).
 */
export function echoClientCommand(nodeBin = process.execPath) {
  const given = process.env.ECHO_CLIENT || buildEchoClient();
  if (given) return { cmd: [given], label: `ext:${path.basename(given)}` };
  const script = path.join(anchorsDir, 'js', 'echo_client.mjs');
  if (!fs.existsSync(script)) {
    throw new Error(`no external echo client: set ECHO_CLIENT, or provide ${anchorsDir}`);
  }
  return { cmd: [process.env.ECHO_CLIENT_NODE || nodeBin, script], label: 'ext:node' };
}
