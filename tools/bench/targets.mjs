// The speed targets tsio is held to (the benchmarks issue), checked against a run's medians:
// on Node 24 when the run has it (the runtime tsio is tuned for), else on the newest runtime.
import { markdownTable } from './table.mjs';

const MICRO = [
  'tasks',
  'gather',
  'taskgroup',
  'switch_sleep0',
  'switch_pingpong',
  'queue_1p1c',
  'queue_10p10c',
  'lock',
  'semaphore',
  'gather_timeout',
  'timers',
];
const PROTOCOL_ECHO = ['1KiB', '10KiB', '100KiB'].flatMap((s) => [
  `echo_protocol_${s}`,
  `echo_protocol_${s}_ext`,
]);
const STREAMS_ECHO = ['1KiB', '10KiB'].flatMap((s) => [
  `echo_streams_${s}`,
  `echo_streams_${s}_ext`,
]);

/**
 * Each target: the bench it applies to, what tsio is compared with (`uvloop`, `raw` Node on
 * the same runtime, or `bytes` for a ceiling on the memory row) and the ratio to reach.
 */
export const TARGETS = [
  ...MICRO.map((bench) => ({ bench, against: 'uvloop', atLeast: 3 })),
  { bench: 'call_soon_chain', against: 'uvloop', atLeast: 1 },
  ...PROTOCOL_ECHO.map((bench) => ({ bench, against: 'raw', atLeast: 0.9 })),
  ...STREAMS_ECHO.map((bench) => ({ bench, against: 'raw', atLeast: 0.8 })),
  ...STREAMS_ECHO.map((bench) => ({ bench, against: 'uvloop', atLeast: 1 })),
  { bench: 'memory_per_task', against: 'bytes', atMost: 1024 },
];

/** The runtime key ('node v24.x.y') targets are checked on, or null when the run has none. */
export function targetRuntime(runtimeKeys) {
  const v24 = runtimeKeys.filter((k) => /^node v24\./.test(k));
  if (v24.length > 0) return v24[v24.length - 1];
  return runtimeKeys.length > 0 ? runtimeKeys[runtimeKeys.length - 1] : null;
}

/**
 * Checks every target against `rows` (the medians of summary.mjs) on `runtime`. Returns one
 * entry per target: `{ bench, against, goal, tsio, other, value, met }`; `met` is null when a
 * figure is missing (the bench or the comparison did not run).
 */
export function checkTargets(rows, runtime) {
  const byName = new Map(rows.map((r) => [r.name, r]));
  return TARGETS.map((t) => {
    const row = byName.get(t.bench);
    const mine = row?.node?.[runtime]?.tsio ?? null;
    if (t.against === 'bytes') {
      const bytes = mine?.bytes ?? null;
      return {
        bench: t.bench,
        against: t.against,
        goal: `≤ ${t.atMost} B per pending task`,
        tsio: bytes,
        other: null,
        value: bytes,
        met: bytes === null ? null : bytes <= t.atMost,
      };
    }
    const other =
      t.against === 'raw' ? (row?.node?.[runtime]?.raw?.ops ?? null) : (row?.uvloop?.ops ?? null);
    const tsio = mine?.ops ?? null;
    const value = tsio !== null && other ? tsio / other : null;
    return {
      bench: t.bench,
      against: t.against,
      goal: `≥ ${t.atLeast}× ${t.against === 'raw' ? 'raw Node' : 'uvloop'}`,
      tsio,
      other,
      value,
      met: value === null ? null : value >= t.atLeast,
    };
  });
}

/** The targets as a Markdown table, with a count of those met. */
export function renderTargets(results, runtime, formatOps) {
  const ratio = (r) => {
    if (r.value === null) return '—';
    return r.against === 'bytes' ? `${(r.value / 1024).toFixed(1)} KiB` : `${r.value.toFixed(2)}×`;
  };
  const met = results.filter((r) => r.met === true).length;
  const unmeasured = results.filter((r) => r.met === null).length;
  const body = results.map((r) => [
    r.bench,
    r.goal,
    r.against === 'bytes' ? ratio(r) : formatOps(r.tsio),
    r.against === 'bytes' ? '—' : formatOps(r.other),
    ratio(r),
    r.met === null ? 'not measured' : r.met ? 'yes' : '**no**',
  ]);
  return [
    `Targets on ${runtime}: ${met} of ${results.length} met` +
      (unmeasured > 0 ? ` (${unmeasured} not measured).` : '.'),
    '',
    ...markdownTable(['bench', 'target', 'tsio', 'against', 'ratio', 'met'], body),
  ];
}
