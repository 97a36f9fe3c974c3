// Helpers shared by the tsio benchmarks. Each benchmark prints one JSON line shaped like the
// raw-Node anchors' (shared/bench-anchors): {"bench", "impl": "tsio", "runtime": "node vX",
// "n", "seconds", "ops_per_s", ...extra}; `seconds` covers the timed region only.
import { performance } from 'node:perf_hooks';

/**
 * Parses `-n 1000 --variant chain --smoke` into `{ n: 1000, variant: 'chain', smoke: true }`
 * over `defaults`. Numbers may use `_` or exponent notation (`1e6`). A key whose default is an
 * array collects every occurrence (`--node a --node b` -> `['a', 'b']`) instead of keeping the
 * last one.
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
    const parsed = value.trim() !== '' && Number.isFinite(num) ? num : value;
    if (Array.isArray(defaults[key])) {
      // Start from an empty list, so that given values replace the default instead of adding.
      out[key] = out[key] === defaults[key] ? [parsed] : [...out[key], parsed];
    } else {
      out[key] = parsed;
    }
    i++;
  }
  return out;
}

/**
 * A seeded pseudo-random generator of floats in [0, 1) (xorshift32), so that a benchmark's
 * random inputs are the same from run to run and from runtime to runtime.
 */
export function seededRandom(seed) {
  let state = seed >>> 0 || 1; // xorshift never leaves 0, so 0 is not a usable state
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** The median of a non-empty list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
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

/** Formats a size in bytes for the tables: 612 B, 1.5 KiB; '—' when there is no figure. */
export function formatBytes(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x >= 1024 ? `${(x / 1024).toFixed(1)} KiB` : `${x.toFixed(0)} B`;
}

/** `a / b` as '1.23×', or '—' when either is missing. */
export const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—');
