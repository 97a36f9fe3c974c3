#!/usr/bin/env node
// Runs the tsio benchmarks and, in the same run, the anchors' scripts (raw Node on every Node
// runtime; CPython asyncio and uvloop, live), one child process at a time; prints Markdown
// tables of ops/s and ratios, and (full runs) writes latest.json, table.md and chart.svg.
//
// Usage: node tools/bench/run.mjs [--smoke] [--only REGEX] [--node PATH]... [--repeats N]
//                                 [--python PATH] [--no-python] [--out DIR] [--json FILE]
//                                 [--scale F]
//   --smoke       tiny sizes, no Python: proves that every benchmark runs (CI); writes nothing
//   --only RE     run only the benchmarks whose name matches RE
//   --node PATH   a Node runtime for tsio and the raw-Node anchors; repeat it, or give a comma
//                 list, for several (default: this node). $TSIO_BENCH_NODE24 adds one more.
//   --repeats N   run the whole matrix N times, interleaved; the tables show medians (default 1)
//   --python P    the Python that runs the anchors' scripts under asyncio (default python3);
//                 uvloop runs on the first of P, python3, /usr/bin/python3 that imports it
//   --no-python   no live Python runs: those columns show the anchors' recorded medians
//   --out DIR     where a full run writes its results (default tools/bench/results)
//   --json FILE   also write the results JSON to FILE (smoke runs too)
//   --scale F     multiply every size by F (e.g. 0.05): a quick look at a full run's output
// The tsio benchmarks import the built packages (dist): run `npm run bench`, which builds
// first. The anchors are looked up in ../shared/bench-anchors, relative to the repo root.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHES } from './benches.mjs';
import { formatOps, parseArgs } from './common.mjs';
import { echoClientCommand } from './echo-client.mjs';
import { runMatrix } from './matrix.mjs';
import { detectPythons } from './python-anchors.mjs';
import { readRecorded } from './recorded.mjs';
import {
  docTables,
  machineFacts,
  resultsDocument,
  updateDocSections,
  writeResults,
} from './results.mjs';
import { checkTargets, renderTargets, targetRuntime } from './targets.mjs';
import { nodeRuntimes } from './runtimes.mjs';
import { pythonColumns, summarize } from './summary.mjs';
import { renderTables } from './table.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const anchorsDir = path.resolve(root, '..', 'shared', 'bench-anchors');

function main() {
  const opts = parseArgs({
    smoke: false,
    node: [],
    repeats: 1,
    json: null,
    out: path.join(here, 'results'),
    only: null,
    python: 'python3',
    noPython: false,
    scale: 1,
  });
  const repeats = Number(opts.repeats);
  const scale = Number(opts.scale);
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new Error('--repeats wants a whole number >= 1');
  if (!(scale > 0)) throw new Error('--scale wants a number > 0');

  const { runtimes, problems } = nodeRuntimes(opts.node);
  // A runtime asked for by name that cannot run is a mistake to fix, not one to skip quietly.
  for (const p of problems) console.error(`bench: ${p}`);
  if (problems.length > 0 || runtimes.length === 0) return 1;
  const haveAnchors = fs.existsSync(path.join(anchorsDir, 'js'));
  if (!haveAnchors) {
    console.log(
      `note: ${path.relative(root, anchorsDir)} not found: running the tsio benchmarks only`,
    );
  }
  const only = opts.only ? new RegExp(String(opts.only)) : null;
  const benches = BENCHES.filter(
    (b) => (only === null || only.test(b.name)) && !(opts.smoke && b.smoke === false),
  );
  const labels = runtimes.map((rt) => rt.label).join(', ');
  process.stderr.write(`bench: ${opts.smoke ? 'smoke run' : 'full run'} on ${labels}\n`);

  // Python runs live in full runs only: CI's smoke run needs no Python.
  const pythons =
    haveAnchors && !opts.smoke && benches.some((b) => b.py)
      ? detectPythons(opts)
      : { asyncio: null, uvloop: null, asyncioMissing: 'not run', uvloopMissing: 'not run' };
  if (!opts.smoke) {
    for (const kind of ['asyncio', 'uvloop']) {
      const p = pythons[kind];
      process.stderr.write(
        `python: ${kind}: ${p ? `${p.label} (${p.python})` : pythons[`${kind}Missing`]}\n`,
      );
    }
  }

  // Echo _ext rows: one external client for every server, whatever runtime the server is on.
  let env = process.env;
  let echoClient = null;
  if (benches.some((b) => b.kind === 'echo' && b.name.endsWith('_ext'))) {
    const client = echoClientCommand(runtimes[0].bin);
    echoClient = client.label;
    env =
      client.label === 'ext:node'
        ? { ...process.env, ECHO_CLIENT_NODE: runtimes[0].bin }
        : { ...process.env, ECHO_CLIENT: client.cmd[0] };
    process.stderr.write(`echo: external client ${client.label}\n`);
  }

  const date = new Date().toISOString();
  const runs = runMatrix(benches, {
    runtimes,
    pythons,
    repeats,
    smoke: opts.smoke,
    scale,
    root,
    env,
    benchDir: here,
    anchorsDir,
    haveAnchors,
    timeoutMs: opts.smoke ? 60_000 : 600_000,
  });
  const failures = runs.filter((r) => r.error !== null && !r.sharedWith).length;
  const ran = runs.filter((r) => !r.sharedWith).length;

  const recorded = haveAnchors
    ? readRecorded(anchorsDir, new Set(BENCHES.map((b) => b.recordedAs ?? b.name)))
    : { columns: [], byBench: new Map() };
  const columns = pythonColumns(pythons, recorded);
  const rows = summarize(benches, runs, runtimes, columns, recorded);
  const tableLines = renderTables(rows, { runtimes, columns, repeats, scale, echoClient });
  const runtime = targetRuntime(runtimes.map((rt) => rt.label));
  const targets = runtime === null ? [] : checkTargets(rows, runtime);
  const targetLines = runtime === null ? [] : renderTargets(targets, runtime, formatOps);
  const document = resultsDocument({
    date,
    machine: machineFacts(runtimes, pythons),
    options: { smoke: opts.smoke, only: opts.only, repeats, scale, echo_client: echoClient },
    runs,
    rows,
    recorded,
    targets,
  });

  if (opts.smoke) {
    console.log(
      `bench smoke: ${ran - failures} of ${ran} benchmark runs produced a result on ${labels}`,
    );
  } else {
    console.log(`\n${tableLines.join('\n')}`);
    console.log(`\n${targetLines.join('\n')}`);
    const note = [
      repeats > 1 ? `; medians of ${repeats} runs` : '',
      scale === 1 ? '' : `; sizes scaled by ${scale}`,
    ].join('');
    const written = writeResults(path.resolve(String(opts.out)), {
      document,
      tableLines,
      rows,
      runtimes,
      columns,
      note,
    });
    const shown = (f) =>
      f.startsWith(`${process.cwd()}${path.sep}`) ? path.relative(process.cwd(), f) : f;
    // The default folder is the one docs/performance.md shows: its tables follow the run.
    if (path.resolve(String(opts.out)) === path.join(here, 'results')) {
      const doc = path.join(root, 'docs', 'performance.md');
      const sections = { latest: docTables({ document, tableLines, note }), targets: targetLines };
      if (updateDocSections(doc, sections)) written.push(doc);
    }
    console.log(`\nbench: wrote ${written.map(shown).join(', ')}`);
  }
  if (opts.json) {
    fs.writeFileSync(path.resolve(String(opts.json)), `${JSON.stringify(document, null, 2)}\n`);
    console.log(`bench: results saved to ${opts.json}`);
  }
  if (failures > 0) console.log(`bench: ${failures} benchmark run(s) failed`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = main();
