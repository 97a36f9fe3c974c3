// The benchmark list of run.mjs, and how a run resizes it (--smoke, --scale).
//
// Each bench names its tsio script and the anchors' scripts, as [script, ...args] with the full
// run's sizes: `tsio` (tools/bench/), `raw` (the raw-Node anchor printed under the same bench
// name, ../shared/bench-anchors/js/), `setImmediate` (that anchor's `/setImmediate` variant) and
// `py` (../shared/bench-anchors/py/, run live under asyncio and uvloop). The anchors' sizes are
// those of their own run_all.sh, so that each run lasts long enough to measure; the work per
// operation is the same everywhere, so ops/s compare directly.
//
// Optional fields: `recordedAs` (the anchors' bench name when it differs: their figures do the
// same work), `nodeFlags` (flags for node before the tsio script), `kind` ('ops' by default;
// 'echo' rows are round trips and also report MiB/s; 'memory' rows report bytes per task),
// `smoke: false` (left out of the smoke run), `smokeN` and `smokeBatch` (smoke sizes).

const PY_TASKS = ['tasks.py', '-n', 100_000];
const RAW_TASKS = ['tasks.mjs', '-n', 2_000_000, '--batch', 100_000];

export const BENCHES = [
  {
    name: 'call_soon_chain',
    what: 'each callback calls loop.callSoon(next)',
    tsio: ['call-soon.mjs', '--variant', 'chain', '-n', 1_000_000],
    raw: ['call_soon.mjs', '--variant', 'chain', '-n', 1_000_000],
    py: ['call_soon.py', '--variant', 'chain', '-n', 1_000_000],
  },
  {
    name: 'call_soon_batch',
    what: 'N loop.callSoon up front, then run them',
    tsio: ['call-soon.mjs', '--variant', 'batch', '-n', 1_000_000],
    raw: ['call_soon.mjs', '--variant', 'batch', '-n', 2_000_000],
    py: ['call_soon.py', '--variant', 'batch', '-n', 1_000_000],
  },
  {
    name: 'timers',
    what: 'batches of 200k loop.callLater (0-100 ms), half cancelled, wait for the rest',
    tsio: ['timers.mjs', '-n', 1_000_000, '--batch', 200_000],
    raw: ['timers.mjs', '-n', 1_000_000, '--batch', 200_000],
    py: ['timers.py', '-n', 200_000],
    // One batch of 1000: ten batches would wait ten times for the 100 ms longest delay.
    smokeBatch: 1000,
  },
  {
    name: 'tasks',
    what: 'createTask(sleep(0); return i), awaited in order',
    tsio: ['tasks.mjs', '-n', 100_000, '--batch', 100_000],
    raw: RAW_TASKS,
    setImmediate: ['tasks.mjs', '--mech', 'setImmediate', '-n', 1_000_000, '--batch', 100_000],
    py: PY_TASKS,
  },
  {
    // No anchor of this name: the `tasks` anchors do the same work (Python: 100k create_task
    // then gather; raw Node: Promise.all of 100k), so their figures stand beside it.
    name: 'gather',
    recordedAs: 'tasks',
    what: 'gather(tasks) of 100k createTask(sleep(0))',
    tsio: ['gather.mjs', '-n', 100_000, '--batch', 100_000],
    raw: RAW_TASKS,
    py: PY_TASKS,
  },
  {
    // No anchor of this name: as for gather, the `tasks` anchors do the same work.
    name: 'taskgroup',
    recordedAs: 'tasks',
    what: '100k tg.createTask(sleep(0)) in one TaskGroup',
    tsio: ['taskgroup.mjs', '-n', 100_000, '--batch', 100_000],
    raw: RAW_TASKS,
    py: PY_TASKS,
  },
  {
    name: 'switch_sleep0',
    what: 'one task doing N x await sleep(0)',
    tsio: ['switch.mjs', '-n', 1_000_000],
    raw: ['switch.mjs', '--variant', 'sleep0', '-n', 20_000_000],
    setImmediate: ['switch.mjs', '--variant', 'sleep0', '--mech', 'setImmediate', '-n', 1_000_000],
    py: ['switch.py', '--variant', 'sleep0', '-n', 1_000_000],
  },
  {
    name: 'switch_pingpong',
    what: 'two tasks pass a value through a fresh loop.createFuture() per hop',
    tsio: ['switch.mjs', '--variant', 'pingpong', '-n', 1_000_000],
    raw: ['switch.mjs', '--variant', 'pingpong', '-n', 10_000_000],
    py: ['switch.py', '--variant', 'pingpong', '-n', 500_000],
  },
  {
    name: 'gather_timeout',
    what: 'batches of 10k tasks doing timeout(1).run(() => sleep(0.001)), gathered',
    tsio: ['timeout.mjs', '-n', 100_000, '--batch', 10_000],
    raw: ['gather_timeout.mjs', '-n', 1_000_000, '--batch', 10_000],
    py: ['gather_timeout.py', '-n', 100_000, '--batch', 10_000],
  },
  {
    name: 'queue_1p1c',
    what: 'Queue(maxsize 100): 1 producer put()s, 1 consumer get()s',
    tsio: ['queue.mjs', '--pairs', 1, '-n', 1_000_000],
    raw: ['queue.mjs', '--pairs', 1, '-n', 10_000_000],
    py: ['queue_bench.py', '--pairs', 1, '-n', 1_000_000],
  },
  {
    name: 'queue_10p10c',
    what: 'Queue(maxsize 100): 10 producers, 10 consumers',
    tsio: ['queue.mjs', '--pairs', 10, '-n', 1_000_000],
    raw: ['queue.mjs', '--pairs', 10, '-n', 10_000_000],
    py: ['queue_bench.py', '--pairs', 10, '-n', 1_000_000],
  },
  {
    name: 'lock',
    what: '100 tasks: await using _ = await lock.hold(); sleep(0) inside',
    tsio: ['lock.mjs', '--variant', 'lock', '-n', 200_000],
    raw: ['lock.mjs', '--variant', 'lock', '-n', 2_000_000],
    py: ['lock.py', '--variant', 'lock', '-n', 200_000],
  },
  {
    name: 'semaphore',
    what: '100 tasks, Semaphore(10): hold(); sleep(0) inside',
    tsio: ['lock.mjs', '--variant', 'semaphore', '-n', 200_000],
    raw: ['lock.mjs', '--variant', 'semaphore', '-n', 2_000_000],
    py: ['lock.py', '--variant', 'semaphore', '-n', 200_000],
  },
  {
    // No anchor: the anchors do not measure memory. The target is <= 1 KiB per task.
    name: 'memory_per_task',
    kind: 'memory',
    what: 'heap per pending task: 100k tasks each awaiting one Event',
    tsio: ['memory.mjs', '-n', 100_000],
    nodeFlags: ['--expose-gc'],
  },
  ...echoBenches(),
];

/**
 * The echo benchmarks (the anchors' bench 7): a Protocol server (`protocol`) and a streams
 * server (`streams`: startServer, read/write/drain), 10 connections, 1, 10 and 100 KiB
 * messages, with in-process clients (of the same API style) and with the anchors' external C
 * client (`_ext`). `raw` is the anchors' js/echo.mjs of the same variant (streams:
 * `socket.pipe(socket)`), `py` their py/echo.py. The `_ext` rows need a C compiler (or fall
 * back to the anchors' Node client), so the smoke run leaves them out.
 */
function echoBenches() {
  const sizes = [
    [1024, '1KiB', 100_000],
    [10240, '10KiB', 50_000],
    [102400, '100KiB', 20_000],
  ];
  return ['protocol', 'streams'].flatMap((variant) =>
    ['inproc', 'ext'].flatMap((client) =>
      sizes.map(([size, label, n]) => {
        const flags = ['--variant', variant, '--size', size, '--client', client, '-n', n];
        const ext = client === 'ext';
        const server = variant === 'streams' ? 'streams: startServer' : 'Protocol';
        return {
          name: `echo_${variant}_${label}${ext ? '_ext' : ''}`,
          kind: 'echo',
          what: `echo server (${server}), 10 connections, ${label} messages, ${ext ? 'external C client' : 'in-process client'}`,
          smoke: !ext,
          smokeN: 200,
          tsio: ['echo.mjs', ...flags],
          raw: ['echo.mjs', ...flags],
          py: ['echo.py', ...flags],
        };
      }),
    ),
  );
}

const SMOKE_N = 1000;
const SMOKE_BATCH = 100;

/**
 * The arguments a run passes to one of `bench`'s scripts: the full sizes, the smoke run's tiny
 * ones (`-n` of 1000 or `smokeN`, `--batch` of 100 or `smokeBatch`), or the full sizes times
 * `scale` (for a quick look at a full run's output; every script clamps its batch to n).
 */
export function sizedArgs(bench, args, { smoke = false, scale = 1 } = {}) {
  const out = [...args];
  for (let i = 0; i < out.length - 1; i++) {
    if (smoke && out[i] === '-n') out[i + 1] = bench.smokeN ?? SMOKE_N;
    else if (smoke && out[i] === '--batch') out[i + 1] = bench.smokeBatch ?? SMOKE_BATCH;
    else if (scale !== 1 && out[i] === '-n')
      out[i + 1] = Math.max(1, Math.round(out[i + 1] * scale));
  }
  return out.map(String);
}
