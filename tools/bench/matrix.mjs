// Runs the benchmark matrix: `repeats` times over the benches, and within a bench every
// implementation once (tsio and the raw-Node anchors on each Node runtime, then the anchors'
// Python script under asyncio and uvloop). Interleaving this way spreads slow spells of a
// noisy machine over all implementations instead of over one.
import path from 'node:path';
import { sizedArgs } from './benches.mjs';
import { runChild } from './run-child.mjs';

/** The child runs of one bench, as `{ impl, runtime, program, shownProgram, flags, script, args }`. */
function jobsFor(bench, { runtimes, pythons, benchDir, anchorsDir, haveAnchors }) {
  const jobs = [];
  for (const rt of runtimes) {
    const node = { runtime: rt.label, program: rt.bin, shownProgram: `node@${rt.version}` };
    const [tsioScript, ...tsioArgs] = bench.tsio;
    jobs.push({
      ...node,
      impl: 'tsio',
      flags: bench.nodeFlags ?? [],
      script: path.join(benchDir, tsioScript),
      args: tsioArgs,
    });
    for (const impl of haveAnchors ? ['raw', 'setImmediate'] : []) {
      if (!bench[impl]) continue;
      const [script, ...args] = bench[impl];
      jobs.push({ ...node, impl, script: path.join(anchorsDir, 'js', script), args });
    }
  }
  for (const impl of haveAnchors && bench.py ? ['asyncio', 'uvloop'] : []) {
    const py = pythons[impl];
    if (!py) continue;
    const [script, ...args] = bench.py;
    jobs.push({
      impl,
      runtime: py.label,
      program: py.python,
      // The version, not the interpreter's path: results are committed, paths are the machine's.
      shownProgram: `python@${py.version}`,
      script: path.join(anchorsDir, 'py', script),
      args: [...args, '--loop', impl],
    });
  }
  return jobs;
}

/**
 * Runs everything; returns the list of runs `{ repeat, bench, impl, runtime, command, error,
 * record, sharedWith? }`. A command that an earlier bench of the same repeat already ran (the
 * `tasks` anchors stand beside tasks, gather and taskgroup) is not run again: its run is
 * listed again with `sharedWith` naming the bench that ran it.
 */
export function runMatrix(benches, setup) {
  const { repeats, smoke, scale, root, env, timeoutMs } = setup;
  const runs = [];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    const done = new Map();
    for (const bench of benches) {
      const counter = repeats > 1 ? `[${repeat}/${repeats}] ` : '';
      process.stderr.write(`${counter}${bench.name}: ${bench.what}\n`);
      for (const job of jobsFor(bench, setup)) {
        const args = sizedArgs(bench, job.args, { smoke, scale });
        const key = [job.program, ...(job.flags ?? []), job.script, ...args].join('\0');
        const earlier = done.get(key);
        if (earlier) {
          runs.push({ ...earlier, bench: bench.name, sharedWith: earlier.bench });
          continue;
        }
        const result = runChild({ ...job, args, cwd: root, timeoutMs, env });
        const run = { repeat, bench: bench.name, impl: job.impl, runtime: job.runtime, ...result };
        runs.push(run);
        done.set(key, run);
      }
    }
  }
  return runs;
}
