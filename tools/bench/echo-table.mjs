// The echo table of run.mjs: tsio beside raw Node, and beside CPython asyncio and uvloop run
// live in the same run; a Python that could not run is replaced by the recorded median of
// ../shared/bench-anchors, marked ʳ.
import { formatOps, ratio } from './common.mjs';

/**
 * Prints the echo rows. `rows`: `{ name, tsio, raw, asyncio, uvloop, tsioMib }` (ops/s or
 * null); `recorded`: run.mjs's readRecorded(); `pythons`: detectPythons(); `client`: the
 * external client's label.
 */
export function printEchoTable(rows, recorded, pythons, nodeVersion, client) {
  const recordedColumn = (prefix, pyVersion) =>
    recorded.columns.find((c) => c.startsWith(prefix) && pyVersion && c.endsWith(pyVersion)) ??
    recorded.columns.find((c) => c.startsWith(prefix));
  const liveVersion = pythons.asyncio?.label.split(' ').pop();
  const columns = [
    ['asyncio', pythons.asyncio, recordedColumn('asyncio', liveVersion)],
    ['uvloop', pythons.uvloop, recordedColumn('uvloop')],
  ];
  let usedRecorded = false;
  const cell = (row, [kind, live, recordedLabel]) => {
    if (row[kind] !== null && row[kind] !== undefined) return { value: row[kind], mark: '' };
    if (live === null && recordedLabel !== undefined) {
      const median = recorded.byBench.get(row.name)?.get(recordedLabel)?.median;
      if (median !== undefined) {
        usedRecorded = true;
        return { value: median, mark: ' ʳ' };
      }
    }
    return { value: null, mark: '' };
  };
  const header = [
    'bench',
    'tsio',
    'raw Node',
    'tsio ÷ raw Node',
    ...columns.map(([kind, live, recordedLabel]) =>
      live ? `${live.label} (this run)` : `${recordedLabel ?? kind} (recorded ʳ)`,
    ),
    'tsio ÷ asyncio',
    'tsio ÷ uvloop',
    'tsio MiB/s',
  ];
  const body = rows.map((row) => {
    const py = columns.map((c) => cell(row, c));
    return [
      row.name,
      formatOps(row.tsio),
      formatOps(row.raw),
      ratio(row.tsio, row.raw),
      ...py.map((c) => formatOps(c.value) + (c.value === null ? '' : c.mark)),
      ...py.map((c) => {
        const r = ratio(row.tsio, c.value);
        return r === '—' ? r : r + c.mark;
      }),
      row.tsioMib === null || row.tsioMib === undefined ? '—' : row.tsioMib.toFixed(0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `\necho: tsio servers (echo_protocol_*: Protocol, echo_streams_*: streams) vs raw Node and Python on ${nodeVersion} (round trips/s)\n`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of body) console.log(line(r));
  console.log(
    `\n10 connections; _ext rows: external client ${client ?? '—'}, the same for every server.`,
  );
  console.log('MiB/s: payload in one direction.');
  if (usedRecorded) {
    const why = [pythons.asyncioMissing, pythons.uvloopMissing].filter(Boolean).join('; ');
    console.log(
      `ʳ recorded median from ../shared/bench-anchors/results/raw.jsonl, not measured by this run: ${why}.`,
    );
  }
}
