#!/usr/bin/env node
// Runs the tsio benchmarks and their raw-Node anchors, one child process at a time, and prints
// a comparison table with the recorded CPython asyncio and uvloop figures. The echo benchmarks
// also run the anchors' Python script live under asyncio and (when installed) uvloop.
//
// Usage: node tools/bench/run.mjs [--smoke] [--node PATH] [--json FILE] [--only REGEX]
//                                 [--python PATH] [--no-python]
//   --smoke      tiny sizes: proves that every benchmark runs (CI); no timing claims
//   --node PATH  run the benchmarks under another node binary (e.g. Node 24)
//   --json FILE  also save every result line, and the table's figures, as JSON
//   --only RE    run only the benchmarks whose name matches RE
//   --python P   the Python that runs the live asyncio echo runs (default python3)
//   --no-python  no live Python runs (the echo table then shows the recorded figures)
// The tsio benchmarks import the built packages (dist): run `npm run bench`, which builds
// first. The anchors are looked up in ../shared/bench-anchors, relative to the repo root.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatOps, parseArgs, ratio } from './common.mjs';
import { echoClientCommand } from './echo-client.mjs';
import { printEchoTable } from './echo-table.mjs';
import { detectPythons } from './python-anchors.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const anchorsDir = path.resolve(root, '..', 'shared', 'bench-anchors');

/**
 * The benchmarks. `tsio` and each anchor are [script, ...args]; sizes are the full run's
 * (the anchors' are those of the anchors' own run_all.sh, so that each run lasts long enough
 * to measure). `raw` is the anchor printed under the same bench name, `setImmediate` the
 * anchor's `/setImmediate` variant.
 */
const BENCHES = [
  {
    name: 'call_soon_chain',
    what: 'each callback calls loop.callSoon(next)',
    tsio: ['call-soon.mjs', '--variant', 'chain', '-n', 1_000_000],
    raw: ['call_soon.mjs', '--variant', 'chain', '-n', 1_000_000],
  },
  {
    name: 'call_soon_batch',
    what: 'N loop.callSoon up front, then run them',
    tsio: ['call-soon.mjs', '--variant', 'batch', '-n', 1_000_000],
    raw: ['call_soon.mjs', '--variant', 'batch', '-n', 2_000_000],
  },
  {
    name: 'switch_sleep0',
    what: 'one task doing N x await sleep(0)',
    tsio: ['switch.mjs', '-n', 1_000_000],
    raw: ['switch.mjs', '--variant', 'sleep0', '-n', 20_000_000],
    setImmediate: ['switch.mjs', '--variant', 'sleep0', '--mech', 'setImmediate', '-n', 1_000_000],
  },
  {
    name: 'tasks',
    what: 'createTask(sleep(0); return i), awaited in order',
    tsio: ['tasks.mjs', '-n', 100_000, '--batch', 100_000],
    raw: ['tasks.mjs', '-n', 2_000_000, '--batch', 100_000],
    setImmediate: ['tasks.mjs', '--mech', 'setImmediate', '-n', 1_000_000, '--batch', 100_000],
  },
  {
    // No anchor of this name: the `tasks` anchors do the same work (Python: 100k create_task
    // then gather; raw Node: Promise.all of 100k), so their figures stand beside it.
    name: 'gather',
    recordedAs: 'tasks',
    what: 'gather(tasks) of 100k createTask(sleep(0))',
    tsio: ['gather.mjs', '-n', 100_000, '--batch', 100_000],
    raw: ['tasks.mjs', '-n', 2_000_000, '--batch', 100_000],
  },
  {
    // No anchor of this name: as for gather, the `tasks` anchors do the same work.
    name: 'taskgroup',
    recordedAs: 'tasks',
    what: '100k tg.createTask(sleep(0)) in one TaskGroup',
    tsio: ['taskgroup.mjs', '-n', 100_000, '--batch', 100_000],
    raw: ['tasks.mjs', '-n', 2_000_000, '--batch', 100_000],
  },
  {
    name: 'gather_timeout',
    what: 'batches of 10k tasks doing timeout(1).run(() => sleep(0.001)), gathered',
    tsio: ['timeout.mjs', '-n', 100_000, '--batch', 10_000],
    raw: ['gather_timeout.mjs', '-n', 1_000_000, '--batch', 10_000],
  },
  {
    name: 'queue_1p1c',
    what: 'Queue(maxsize 100): 1 producer put()s, 1 consumer get()s',
    tsio: ['queue.mjs', '--pairs', 1, '-n', 1_000_000],
    raw: ['queue.mjs', '--pairs', 1, '-n', 10_000_000],
  },
  {
    name: 'queue_10p10c',
    what: 'Queue(maxsize 100): 10 producers, 10 consumers',
    tsio: ['queue.mjs', '--pairs', 10, '-n', 1_000_000],
    raw: ['queue.mjs', '--pairs', 10, '-n', 10_000_000],
  },
  {
    name: 'lock',
    what: '100 tasks: await using _ = await lock.hold(); sleep(0) inside',
    tsio: ['lock.mjs', '--variant', 'lock', '-n', 200_000],
    raw: ['lock.mjs', '--variant', 'lock', '-n', 2_000_000],
  },
  {
    name: 'semaphore',
    what: '100 tasks, Semaphore(10): hold(); sleep(0) inside',
    tsio: ['lock.mjs', '--variant', 'semaphore', '-n', 200_000],
    raw: ['lock.mjs', '--variant', 'semaphore', '-n', 2_000_000],
  },
  ...echoBenches(),
];

/**
 * The echo benchmarks (the anchors' bench 7): a Protocol server (`protocol`) and a streams
 * server (`streams`: startServer, read/write/drain), 10 connections, 1, 10 and 100 KiB
 * messages, with in-process clients (of the same API style) and with the anchors' external C
 * client (`_ext`). `raw` is the anchors' js/echo.mjs of the same variant (streams:
 * `socket.pipe(socket)`), `py` their py/echo.py, run live under asyncio and uvloop. The `_ext`
 * rows need a C compiler (or fall back to the anchors' Node client), so the smoke run leaves
 * them out.
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
          what: `echo server (${server}), 10 connections, ${label} messages, ${ext ? 'external C client' : 'in-process client'}`,
          echo: true,
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

/** The same command with tiny sizes. */
function smokeArgs(args, n = SMOKE_N) {
  const out = [...args];
  for (let i = 0; i < out.length - 1; i++) {
    if (out[i] === '-n') out[i + 1] = n;
    if (out[i] === '--batch') out[i + 1] = SMOKE_BATCH;
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Recorded asyncio and uvloop medians: bench -> column label -> { median, runs }. */
function readRecorded() {
  const file = path.join(anchorsDir, 'results', 'raw.jsonl');
  if (!fs.existsSync(file)) return { columns: [], byBench: new Map() };
  const groups = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    if (rec.impl !== 'asyncio' && rec.impl !== 'uvloop') continue;
    if (typeof rec.ops_per_s !== 'number') continue;
    const py = /CPython (\S+)/.exec(rec.runtime ?? '')?.[1] ?? rec.runtime;
    const uvloopVersion = /uvloop (\S+)/.exec(rec.runtime ?? '')?.[1];
    const label =
      rec.impl === 'uvloop'
        ? `uvloop${uvloopVersion ? ` ${uvloopVersion}` : ''} py${py}`
        : `asyncio py${py}`;
    const key = `${rec.bench}\0${label}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(rec.ops_per_s);
  }
  const byBench = new Map();
  const columns = new Set();
  for (const [key, values] of groups) {
    const [bench, label] = key.split('\0');
    if (!BENCHES.some((b) => b.name === bench)) continue;
    columns.add(label);
    if (!byBench.has(bench)) byBench.set(bench, new Map());
    byBench.get(bench).set(label, { median: median(values), runs: values.length });
  }
  const order = (l) => (l.startsWith('uvloop') ? 1 : 0);
  return {
    columns: [...columns].sort((a, b) => order(a) - order(b) || a.localeCompare(b)),
    byBench,
  };
}

/**
 * Runs one benchmark script in a child process (`program` is node or python); returns its
 * JSON record or an error.
 */
function runOne(program, script, args, timeoutMs, env = process.env) {
  const shown = `${path.relative(root, script)} ${args.join(' ')}`;
  process.stderr.write(`  running ${shown} ... `);
  const r = spawnSync(program, [script, ...args.map(String)], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
    env,
  });
  const lines = (r.stdout ?? '').trim().split('\n');
  const last = lines.reverse().find((l) => l.startsWith('{'));
  let record = null;
  try {
    record = last ? JSON.parse(last) : null;
  } catch {
    record = null;
  }
  const stderr = (r.stderr ?? '').trim();
  let error = null;
  if (r.error)
    error =
      r.error.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : r.error.message;
  else if (r.status !== 0) error = `exit code ${r.status ?? r.signal}`;
  else if (record === null) error = 'printed no JSON result line';
  else if (!(record.n > 0) || typeof record.seconds !== 'number')
    error = `bad result line: ${last}`;
  if (error === null) {
    process.stderr.write(`${formatOps(record.ops_per_s)} ops/s\n`);
  } else {
    process.stderr.write(`FAILED: ${error}\n`);
  }
  if (/ERR_MODULE_NOT_FOUND/.test(stderr) && /@tsio[/\\]/.test(stderr)) {
    const first = stderr.split('\n').find((l) => /Error \[ERR_MODULE_NOT_FOUND\]/.test(l)) ?? '';
    process.stderr.write(`    ${first.trim()}\n`);
    process.stderr.write(
      '    the tsio packages are not built: run `npm run bench` (it builds first)\n',
    );
  } else if (stderr !== '') {
    const tail = stderr.split('\n').slice(-15).join('\n    ');
    process.stderr.write(`    ${tail}\n`);
  }
  return { command: shown, record: error === null ? record : null, error };
}

function printTable(rows, recorded, nodeVersion) {
  const header = [
    'bench',
    'tsio ops/s',
    'raw Node ops/s',
    'raw Node /setImmediate',
    'tsio ÷ raw Node',
    'tsio ÷ /setImmediate',
    ...recorded.columns.map((c) => `${c} (recorded)`),
  ];
  const uvloopColumn = recorded.columns.find((c) => c.startsWith('uvloop'));
  if (uvloopColumn) header.push('tsio ÷ uvloop');
  const body = rows.map((row) => {
    const rec = recorded.byBench.get(row.recordedAs ?? row.name) ?? new Map();
    const cells = [
      row.recordedAs === undefined ? row.name : `${row.name} ²`,
      formatOps(row.tsio),
      formatOps(row.raw) + (row.rawIsSetImmediate && row.raw ? ' ¹' : ''),
      formatOps(row.setImmediate),
      ratio(row.tsio, row.raw),
      ratio(row.tsio, row.setImmediate),
      ...recorded.columns.map((c) => formatOps(rec.get(c)?.median)),
    ];
    if (uvloopColumn) cells.push(ratio(row.tsio, rec.get(uvloopColumn)?.median));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\ntsio vs raw Node on ${nodeVersion} (ops/s, higher is better)\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of body) console.log(line(r));
  if (rows.some((r) => r.rawIsSetImmediate && r.raw)) {
    console.log(
      '\n¹ the call_soon anchor schedules with setImmediate, the macrotask analogue of call_soon.',
    );
  }
  if (rows.some((r) => r.recordedAs !== undefined)) {
    console.log(
      '² compared with the `tasks` anchors, which do the same work (100k create_task + gather).',
    );
  }
  if (recorded.columns.length > 0) {
    console.log(
      'Recorded: median of the runs in ../shared/bench-anchors/results/raw.jsonl (machine and versions: its README).',
    );
  }
}

function main() {
  const opts = parseArgs({
    smoke: false,
    node: process.execPath,
    json: null,
    only: null,
    python: 'python3',
    noPython: false,
  });
  const nodeBin = opts.node === true ? process.execPath : String(opts.node);
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    console.error(`bench: cannot run ${nodeBin} --version`);
    return 1;
  }
  const nodeVersion = `node ${version.stdout.trim()}`;
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
  const timeoutMs = opts.smoke ? 60_000 : 600_000;
  const sized = (b, args) => (opts.smoke ? smokeArgs(args, b.smokeN) : args);
  process.stderr.write(`bench: ${opts.smoke ? 'smoke run' : 'full run'} on ${nodeVersion}\n`);

  // Echo: the live Python runs (not in the smoke run), and one external client for all.
  const anyEcho = benches.some((b) => b.echo);
  const pythons =
    anyEcho && haveAnchors && !opts.smoke
      ? detectPythons(opts)
      : { asyncio: null, uvloop: null, asyncioMissing: 'not run', uvloopMissing: 'not run' };
  if (anyEcho && !opts.smoke) {
    for (const kind of ['asyncio', 'uvloop']) {
      const p = pythons[kind];
      process.stderr.write(
        `echo: ${kind}: ${p ? `${p.label} (${p.python})` : pythons[`${kind}Missing`]}\n`,
      );
    }
  }
  let env = process.env;
  let echoClient = null;
  if (benches.some((b) => b.echo && b.name.endsWith('_ext'))) {
    const client = echoClientCommand(nodeBin);
    echoClient = client.label;
    env =
      client.label === 'ext:node'
        ? { ...process.env, ECHO_CLIENT_NODE: nodeBin }
        : { ...process.env, ECHO_CLIENT: client.cmd[0] };
    process.stderr.write(`echo: external client ${client.cmd.join(' ')}\n`);
  }

  const results = [];
  const rows = [];
  let failures = 0;
  for (const b of benches) {
    process.stderr.write(`${b.name}: ${b.what}\n`);
    const row = {
      name: b.name,
      tsio: null,
      raw: null,
      setImmediate: null,
      rawIsSetImmediate: b.name.startsWith('call_soon'),
      recordedAs: b.recordedAs,
      echo: b.echo === true,
      asyncio: null,
      uvloop: null,
      tsioMib: null,
    };
    const jobs = [['tsio', nodeBin, path.join(here, b.tsio[0]), b.tsio.slice(1)]];
    if (haveAnchors) {
      for (const kind of ['raw', 'setImmediate']) {
        if (b[kind]) {
          jobs.push([kind, nodeBin, path.join(anchorsDir, 'js', b[kind][0]), b[kind].slice(1)]);
        }
      }
      for (const kind of b.py ? ['asyncio', 'uvloop'] : []) {
        const p = pythons[kind];
        if (p === null) continue;
        const args = [...b.py.slice(1), '--loop', kind];
        jobs.push([kind, p.python, path.join(anchorsDir, 'py', b.py[0]), args]);
      }
    }
    for (const [kind, program, script, args] of jobs) {
      const r = runOne(program, script, sized(b, args), timeoutMs, env);
      results.push({ bench: b.name, kind, ...r });
      if (r.error !== null) failures++;
      else row[kind] = r.record.ops_per_s;
      if (kind === 'tsio' && r.error === null) row.tsioMib = r.record.mib_per_s ?? null;
    }
    rows.push(row);
  }

  const recorded = haveAnchors ? readRecorded() : { columns: [], byBench: new Map() };
  if (opts.smoke) {
    const ok = results.length - failures;
    console.log(
      `bench smoke: ${ok} of ${results.length} benchmark runs produced a result on ${nodeVersion}`,
    );
  } else {
    const plain = rows.filter((r) => !r.echo);
    const echo = rows.filter((r) => r.echo);
    if (plain.length > 0) printTable(plain, recorded, nodeVersion);
    if (echo.length > 0) printEchoTable(echo, recorded, pythons, nodeVersion, echoClient);
  }
  if (opts.json) {
    const out = {
      date: new Date().toISOString(),
      runtime: nodeVersion,
      smoke: opts.smoke,
      results: results.map((r) => ({
        bench: r.bench,
        kind: r.kind,
        command: r.command,
        error: r.error,
        record: r.record,
      })),
      recorded: Object.fromEntries(
        [...recorded.byBench].map(([bench, cols]) => [bench, Object.fromEntries(cols)]),
      ),
    };
    fs.writeFileSync(path.resolve(String(opts.json)), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`bench: results saved to ${opts.json}`);
  }
  if (failures > 0) console.log(`bench: ${failures} benchmark run(s) failed`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = main();
