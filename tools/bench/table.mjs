// The Markdown tables of a run (printed, and saved in results/table.md): one row per bench,
// with tsio and raw Node on each Node runtime, then CPython asyncio and uvloop, then the ratios
// per runtime. The echo rows (round trips/s, plus tsio's MiB/s) and the raw-Node
// `/setImmediate` anchors get tables of their own, with the same column order.
import { formatBytes, formatOps, ratio } from './common.mjs';

export function markdownTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** A Python cell: its ops/s and the recorded mark. */
const py = (cell) => ({ ops: cell?.ops ?? null, mark: cell?.recorded ? ' ʳ' : '' });
const withMark = (text, mark) => (text === '—' ? text : text + mark);

/** The columns shared by the main and the echo tables: `[header, (row) => text]`. */
function comparisonColumns(runtimes, columns) {
  const out = [
    [
      'bench',
      (row) => row.name + (row.recordedAs ? ' ²' : '') + (row.kind === 'memory' ? ' ᵐ' : ''),
    ],
  ];
  for (const rt of runtimes) {
    out.push([
      `tsio ${rt.version}`,
      (row) => {
        const tsio = row.node[rt.label].tsio;
        if (row.kind === 'memory') return withMark(formatBytes(tsio?.bytes), '/task');
        return formatOps(tsio?.ops);
      },
    ]);
    out.push([
      `raw Node ${rt.version}`,
      (row) =>
        withMark(
          formatOps(row.node[rt.label].raw?.ops),
          row.name.startsWith('call_soon') ? ' ¹' : '',
        ),
    ]);
  }
  for (const column of [columns.asyncio, columns.uvloop]) {
    out.push([
      column.header,
      (row) => withMark(formatOps(py(row[column.kind]).ops), py(row[column.kind]).mark),
    ]);
  }
  for (const rt of runtimes) {
    const tsio = (row) => (row.kind === 'memory' ? null : row.node[rt.label].tsio?.ops);
    for (const kind of ['asyncio', 'uvloop']) {
      out.push([
        `tsio÷${kind} ${rt.version}`,
        (row) => withMark(ratio(tsio(row), py(row[kind]).ops), py(row[kind]).mark),
      ]);
    }
    out.push([`tsio÷raw ${rt.version}`, (row) => ratio(tsio(row), row.node[rt.label].raw?.ops)]);
  }
  return out;
}

function render(columns, rows) {
  return markdownTable(
    columns.map(([header]) => header),
    rows.map((row) => columns.map(([, cell]) => cell(row))),
  );
}

/**
 * The tables and their notes, as Markdown lines. `ctx`: `{ runtimes, columns }` (see
 * summary.mjs pythonColumns), `repeats`, `scale`, `echoClient` (the external client's label).
 */
export function renderTables(rows, ctx) {
  const { runtimes, columns, repeats, scale } = ctx;
  const out = [];
  const plain = rows.filter((r) => r.kind !== 'echo');
  const echo = rows.filter((r) => r.kind === 'echo');
  const runsNote = repeats > 1 ? `medians of ${repeats} runs` : 'one run each';
  const scaleNote =
    scale === 1 ? '' : `; sizes scaled by ${scale}: figures not comparable with full runs`;

  if (plain.length > 0) {
    out.push(`### ops/s, higher is better (${runsNote}${scaleNote})`, '');
    out.push(...render(comparisonColumns(runtimes, columns), plain), '');
    if (plain.some((r) => r.name.startsWith('call_soon'))) {
      out.push(
        '¹ the call_soon anchor schedules with setImmediate, the macrotask analogue of call_soon.',
      );
    }
    if (plain.some((r) => r.recordedAs)) {
      out.push(
        '² compared with the `tasks` anchors (raw Node and Python), which do the same work (100k tasks, each yielding once, awaited together).',
      );
    }
    if (plain.some((r) => r.kind === 'memory')) {
      out.push(
        'ᵐ bytes of heap per pending task (the heap delta over n tasks each awaiting one Event), not ops/s; no anchor measures this; the target is <= 1 KiB.',
      );
    }
    out.push('');
  }

  const viaLoop = plain.filter((r) => runtimes.some((rt) => r.node[rt.label].setImmediate));
  if (viaLoop.length > 0) {
    const cols = [['bench', (row) => row.name]];
    for (const rt of runtimes) {
      const si = (row) => row.node[rt.label].setImmediate?.ops;
      cols.push([`raw Node /setImmediate ${rt.version}`, (row) => formatOps(si(row))]);
      cols.push([
        `tsio÷/setImmediate ${rt.version}`,
        (row) => ratio(row.node[rt.label].tsio?.ops, si(row)),
      ]);
    }
    out.push(
      "### the raw-Node anchors that yield through Node's loop (a setImmediate per switch)",
      '',
    );
    out.push(...render(cols, viaLoop), '');
  }

  if (echo.length > 0) {
    const cols = comparisonColumns(runtimes, columns);
    for (const rt of runtimes) {
      cols.push([
        `tsio MiB/s ${rt.version}`,
        (row) => {
          const mib = row.node[rt.label].tsio?.mib;
          return typeof mib === 'number' ? mib.toFixed(0) : '—';
        },
      ]);
    }
    out.push(`### echo: round trips/s, higher is better (${runsNote}${scaleNote})`, '');
    out.push(...render(cols, echo), '');
    out.push(
      `10 connections. \`echo_protocol_*\`: Protocol server; \`echo_streams_*\`: streams server. \`_ext\` rows: external client ${ctx.echoClient ?? '—'}, the same for every server. MiB/s: payload in one direction.`,
      '',
    );
  }

  const recordedWhy = [columns.asyncio, columns.uvloop]
    .filter((c) => !c.live && c.recordedLabel)
    .map((c) => `${c.kind}: ${c.why}`);
  const live = [columns.asyncio, columns.uvloop].filter((c) => c.live).map((c) => c.live.label);
  if (live.length > 0) out.push(`Python, run live in this run: ${live.join(', ')}.`);
  if (recordedWhy.length > 0) {
    out.push(
      `ʳ recorded median from ../shared/bench-anchors/results/raw.jsonl, not measured by this run (${recordedWhy.join('; ')}).`,
    );
  }
  return out;
}
