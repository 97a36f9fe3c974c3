// The Node runtimes a run measures tsio and the raw-Node anchors on: every `--node PATH` (the
// option may repeat, or hold a comma list), else the node running this script; plus the binary
// named by $TSIO_BENCH_NODE24 when it is set, so that Node 24 joins every run without typing.
// Binaries are told apart by version: two paths to the same version count once.
import { spawnSync } from 'node:child_process';

export const NODE24_ENV = 'TSIO_BENCH_NODE24';

/**
 * Returns `{ runtimes, problems }`: runtimes as `{ bin, version, label }` (label like
 * `node v20.20.2`, the `runtime` field of the result lines), in the order given; problems are
 * binaries that could not report a version.
 */
export function nodeRuntimes(nodeOption, env = process.env) {
  const given = (Array.isArray(nodeOption) ? nodeOption : [nodeOption])
    .filter((p) => typeof p === 'string')
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const bins = given.length > 0 ? given : [process.execPath];
  if (env[NODE24_ENV]) bins.push(env[NODE24_ENV]);
  const runtimes = [];
  const problems = [];
  for (const bin of bins) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (r.status !== 0) {
      problems.push(`cannot run ${bin} --version${r.error ? ` (${r.error.code})` : ''}`);
      continue;
    }
    const version = r.stdout.trim();
    if (!runtimes.some((rt) => rt.version === version)) {
      runtimes.push({ bin, version, label: `node ${version}` });
    }
  }
  return { runtimes, problems };
}
