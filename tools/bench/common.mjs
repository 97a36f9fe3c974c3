// Helpers shared by the tsio benchmarks. Each benchmark prints one JSON line shaped like the
// raw-Node anchors' (shared/bench-anchors): {"bench", "impl": "tsio", "runtime": "node vX",
// "n", "seconds", "ops_per_s", ...extra}; `seconds` covers the timed region only.
import { performance } from 'node:perf_hooks';

/**
 * Parses `-n 1000 --variant chain --smoke` into `{ n: 1000, variant: 'chain', smoke: true }`
 * over `defaults`. Numbers may use `_` or exponent notation (`1e6`).
 */
export function parseArgs(defaults, argv = process.argv.slice(2)) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) throw new Error(`unexpected argument ${arg}`);
    const key = arg.replace(/^-+/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('-')) {
      out[key] = true;
      continue;
    }
    const num = Number(value.replace(/_/g, ''));
    out[key] = value.trim() !== '' && Number.isFinite(num) ? num : value;
    i++;
  }
  return out;
}

/** Monotonic time in seconds. */
export const now = () => performance.now() / 1000;

/** Prints the result line. */
export function emit(bench, n, seconds, extra = {}) {
  const record = {
    bench,
    impl: 'tsio',
    runtime: `node ${process.version}`,
    n,
    seconds: Math.round(seconds * 1e6) / 1e6,
    ops_per_s: seconds > 0 ? Math.round((n / seconds) * 10) / 10 : null,
    ...extra,
  };
  process.stdout.write(`${JSON.stringify(record)}\n`);
  // A closed loop must leave nothing that keeps the process alive. If something does, say so
  // (it is a bug worth knowing about) and exit instead of hanging the harness.
  setTimeout(() => {
    process.stderr.write(`${bench}: the process was still alive 5 s after the loop closed\n`);
    process.exit(0);
  }, 5000).unref();
}

/**
 * Times `rounds` rounds of `batch` tasks running `one` (which resolves to 1), gathered, on a
 * new loop; checks that every task returned 1 and returns the seconds taken.
 * `loopClass` and `gather` come from the caller's imports of the built packages.
 */
export async function timeGatheredRounds({ loopClass, gather, rounds, batch, one }) {
  const loop = new loopClass();
  const seconds = await loop.runUntilComplete(
    loop.createTask(async () => {
      const t0 = now();
      let total = 0;
      for (let r = 0; r < rounds; r++) {
        const tasks = new Array(batch);
        for (let i = 0; i < batch; i++) tasks[i] = loop.createTask(one);
        const results = await gather(tasks);
        for (const v of results) total += v;
      }
      const elapsed = now() - t0;
      const n = rounds * batch;
      if (total !== n) throw new Error(`gather returned a total of ${total}, expected ${n}`);
      return elapsed;
    }),
  );
  loop.close();
  return seconds;
}

/** Formats ops/s for the tables: 1.23M, 45.6k, 789; '—' when there is no figure. */
export function formatOps(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

/** `a / b` as '1.23×', or '—' when either is missing. */
export const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—');
