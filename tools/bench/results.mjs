// What a full run leaves behind in tools/bench/results/ (or --out DIR): latest.json (the
// machine, every run, the medians), table.md (the printed tables under a header naming the
// date and the machine) and chart.svg (chart.mjs). The smoke run writes none of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderChart } from './chart.mjs';

/** The facts about this machine and its runtimes that a reader needs to weigh the figures. */
export function machineFacts(runtimes, pythons) {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model?.trim() ?? 'unknown',
    cpu_count: cpus.length,
    total_memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    kernel: os.release(),
    load_average: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: runtimes.map((rt) => rt.version),
    python_asyncio: pythons.asyncio ? pythons.asyncio.label : null,
    python_uvloop: pythons.uvloop ? pythons.uvloop.label : null,
    uvloop: pythons.uvloop?.uvloopVersion ?? null,
  };
}

/** One line about the machine, for the table's header and the chart's subtitle. */
export function machineLine(machine, date) {
  return [
    date.slice(0, 10),
    `${machine.cpu_count} × ${machine.cpu_model}`,
    `${Math.round(machine.total_memory_gib)} GiB`,
    machine.os,
  ].join(' · ');
}

/** The JSON document of a run (latest.json, and --json FILE). */
export function resultsDocument({ date, machine, options, runs, rows, recorded, targets = [] }) {
  return {
    date,
    machine,
    options,
    targets,
    runs: runs.map((r) => ({
      repeat: r.repeat,
      bench: r.bench,
      impl: r.impl,
      runtime: r.runtime,
      command: r.command,
      ...(r.sharedWith ? { shared_with: r.sharedWith } : {}),
      error: r.error,
      record: r.record,
    })),
    medians: rows,
    recorded: Object.fromEntries(
      [...recorded.byBench].map(([bench, cols]) => [bench, Object.fromEntries(cols)]),
    ),
  };
}

/** The date, the machine and the Node runtimes of a run, then `note` (repeats, scale). */
function runLine(document, note) {
  const runtimes = document.machine.node.map((v) => `node ${v}`).join(', ');
  return `${machineLine(document.machine, document.date)}; ${runtimes}${note}`;
}

/**
 * Writes latest.json, table.md and chart.svg into `dir`; returns the paths written. `note` ends
 * the header line (repeats, scale).
 */
export function writeResults(dir, { document, tableLines, rows, runtimes, columns, note }) {
  fs.mkdirSync(dir, { recursive: true });
  const line = machineLine(document.machine, document.date);
  const files = {
    'latest.json': `${JSON.stringify(document, null, 2)}\n`,
    'table.md': [
      '# tsio benchmarks: latest run',
      '',
      `${runLine(document, note)}.`,
      'Written by `npm run bench` (tools/bench/run.mjs); see tools/bench/README.md for what each bench does.',
      '',
      ...tableLines,
      '',
    ].join('\n'),
    'chart.svg': renderChart(rows, {
      runtimes,
      columns,
      title: 'tsio vs CPython asyncio, uvloop and raw Node',
      facts: `${line}${note}`,
    }),
  };
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}

/**
 * Puts the latest tables into `docFile` (docs/performance.md) between its marker comments
 * (`<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` for each NAME of `sections`), so
 * that the page always shows what the last full run measured. Returns false, changing
 * nothing, when the file or one of the markers is missing.
 */
export function updateDocSections(docFile, sections) {
  if (!fs.existsSync(docFile)) return false;
  let text = fs.readFileSync(docFile, 'utf8');
  for (const [name, lines] of Object.entries(sections)) {
    const startMark = `<!-- bench:${name}:start -->`;
    const endMark = `<!-- bench:${name}:end -->`;
    const start = text.indexOf(startMark);
    const end = text.indexOf(endMark);
    if (start === -1 || end < start) return false;
    const body = [...lines];
    while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
    // Blank lines around the content, as Prettier formats Markdown.
    text = text.slice(0, start) + [startMark, '', ...body, '', ''].join('\n') + text.slice(end);
  }
  fs.writeFileSync(docFile, text);
  return true;
}

/** The run's tables for docs/performance.md: a line naming the machine, then the tables. */
export function docTables({ document, tableLines, note }) {
  return [
    `Measured ${runLine(document, note)}.`,
    '',
    ...tableLines.map((l) => l.replace(/^### /, '#### ')),
  ];
}
