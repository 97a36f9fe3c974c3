// The recorded CPython asyncio and uvloop figures of ../shared/bench-anchors/results/raw.jsonl:
// the fallback for a Python column that this run cannot measure live (--no-python, no uvloop).
import fs from 'node:fs';
import path from 'node:path';
import { median } from './common.mjs';

/**
 * Returns `{ columns, byBench }`: columns are labels like `asyncio py3.11.7` and
 * `uvloop 0.17.0 py3.11.2` (asyncio first), byBench maps an anchors' bench name to
 * label -> `{ median, runs }` (ops/s). Only the benches named in `benchNames` are kept.
 */
export function readRecorded(anchorsDir, benchNames) {
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
    if (typeof rec.ops_per_s !== 'number' || !benchNames.has(rec.bench)) continue;
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
 * The recorded column that stands in for a Python that cannot run live: for asyncio, the one
 * of the same interpreter version as the live asyncio run if there is one, else of the uvloop
 * interpreter (the anchors compare uvloop with asyncio on one interpreter); for uvloop, the
 * first. Undefined when nothing was recorded.
 */
export function recordedColumnFor(kind, recorded, pythons) {
  const ofKind = recorded.columns.filter((c) => c.startsWith(kind));
  const versions = [pythons.asyncio?.version, pythons.uvloop?.version].filter(Boolean);
  for (const v of kind === 'asyncio' ? versions : []) {
    const match = ofKind.find((c) => c.endsWith(`py${v}`));
    if (match) return match;
  }
  if (kind === 'asyncio') {
    const uvloopColumn = recorded.columns.find((c) => c.startsWith('uvloop'));
    const uvPy = uvloopColumn?.split(' ').pop();
    const match = ofKind.find((c) => uvPy && c.endsWith(uvPy));
    if (match) return match;
  }
  return ofKind[0];
}
