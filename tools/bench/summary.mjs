// Turns the runs of a matrix into one row of medians per bench: tsio, raw Node and
// /setImmediate on each Node runtime, and the asyncio and uvloop columns (live, or the
// recorded median when this run could not run that Python at all).
import { median } from './common.mjs';
import { recordedColumnFor } from './recorded.mjs';

/** Medians of the successful runs of one implementation: `{ ops, mib, bytes, runs }` or null. */
function medianCell(runs) {
  const records = runs.filter((r) => r.error === null).map((r) => r.record);
  if (records.length === 0) return null;
  const of = (field) => {
    const xs = records.map((r) => r[field]).filter((x) => typeof x === 'number');
    return xs.length > 0 ? median(xs) : null;
  };
  return {
    ops: of('ops_per_s'),
    mib: of('mib_per_s'),
    bytes: of('bytes_per_task'),
    runs: records.length,
  };
}

/**
 * The Python columns: `{ asyncio, uvloop }`, each `{ kind, header, live, recordedLabel, why }`.
 * A column is live when its interpreter was found; otherwise it shows recorded medians
 * (`recordedLabel`), and `why` says why it is not live.
 */
export function pythonColumns(pythons, recorded) {
  const column = (kind) => {
    const live = pythons[kind];
    const recordedLabel = live ? undefined : recordedColumnFor(kind, recorded, pythons);
    const header = live ? live.label : recordedLabel ? `${recordedLabel} ʳ` : kind;
    return { kind, header, live: live ?? null, recordedLabel, why: pythons[`${kind}Missing`] };
  };
  return { asyncio: column('asyncio'), uvloop: column('uvloop') };
}

/**
 * One row per bench: `{ name, kind, what, recordedAs, node: { [runtime label]: { tsio, raw,
 * setImmediate } }, asyncio, uvloop }`, where every cell is a medianCell, and the Python
 * cells may instead be `{ ops, runs, recorded: true }`.
 */
export function summarize(benches, runs, runtimes, columns, recorded) {
  return benches.map((bench) => {
    const mine = runs.filter((r) => r.bench === bench.name);
    const node = {};
    for (const rt of runtimes) {
      const of = (impl) =>
        medianCell(mine.filter((r) => r.impl === impl && r.runtime === rt.label));
      node[rt.label] = { tsio: of('tsio'), raw: of('raw'), setImmediate: of('setImmediate') };
    }
    const python = (column) => {
      if (column.live) return medianCell(mine.filter((r) => r.impl === column.kind));
      const rec = recorded.byBench.get(bench.recordedAs ?? bench.name)?.get(column.recordedLabel);
      return bench.py && rec ? { ops: rec.median, runs: rec.runs, recorded: true } : null;
    };
    return {
      name: bench.name,
      kind: bench.kind ?? 'ops',
      what: bench.what,
      recordedAs: bench.recordedAs,
      node,
      asyncio: python(columns.asyncio),
      uvloop: python(columns.uvloop),
    };
  });
}
