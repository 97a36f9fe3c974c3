// The benchmark harness's target check and its update of docs/performance.md, on made-up
// medians (no benchmark runs here).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatOps } from '../bench/common.mjs';
import { updateDocSections } from '../bench/results.mjs';
import { checkTargets, renderTargets, targetRuntime, TARGETS } from '../bench/targets.mjs';

const V20 = 'node v20.20.2';
const V24 = 'node v24.22.3';

/** A medians row as summary.mjs makes it. */
function row(name, { tsio24 = null, raw24 = null, uvloop = null, bytes24 = null } = {}) {
  const cell = (ops, bytes = null) =>
    ops === null && bytes === null ? null : { ops, mib: null, bytes, runs: 1 };
  return {
    name,
    node: {
      [V20]: { tsio: cell(1), raw: cell(1), setImmediate: null },
      [V24]: { tsio: cell(tsio24, bytes24), raw: cell(raw24), setImmediate: null },
    },
    asyncio: cell(1),
    uvloop: cell(uvloop),
  };
}

describe('bench targets', () => {
  it('are checked on Node 24 when the run has it, else on the last runtime', () => {
    assert.equal(targetRuntime([V20, V24]), V24);
    assert.equal(targetRuntime([V20]), V20);
    assert.equal(targetRuntime([]), null);
  });

  it('compare tsio with uvloop, raw Node or a byte ceiling, and say which are met', () => {
    const rows = [
      row('tasks', { tsio24: 300, uvloop: 100 }),
      row('lock', { tsio24: 299, uvloop: 100 }),
      row('echo_protocol_1KiB', { tsio24: 90, raw24: 100 }),
      row('echo_streams_1KiB', { tsio24: 79, raw24: 100, uvloop: 70 }),
      row('memory_per_task', { bytes24: 1025 }),
    ];
    const results = checkTargets(rows, V24);
    assert.equal(results.length, TARGETS.length);
    const find = (bench, against) =>
      results.find((r) => r.bench === bench && r.against === against);
    assert.equal(find('tasks', 'uvloop').met, true);
    assert.equal(find('lock', 'uvloop').met, false);
    assert.equal(find('echo_protocol_1KiB', 'raw').met, true);
    assert.equal(find('echo_streams_1KiB', 'raw').met, false);
    assert.equal(find('echo_streams_1KiB', 'uvloop').met, true);
    assert.equal(find('memory_per_task', 'bytes').met, false);
    assert.equal(find('gather', 'uvloop').met, null, 'a bench that did not run is not measured');

    const lines = renderTargets(results, V24, formatOps);
    assert.match(lines[0], /^Targets on node v24\.22\.3: 3 of \d+ met \(\d+ not measured\)\.$/);
    assert.ok(
      lines.some((l) =>
        /\| lock +\| ≥ 3× uvloop +\| 299 +\| 100 +\| 2\.99× +\| \*\*no\*\* +\|/.test(l),
      ),
    );
    assert.ok(lines.some((l) => /\| memory_per_task .*\| 1\.0 KiB .*\*\*no\*\*/.test(l)));
  });

  it('rewrites only the marked sections of the performance page', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsio-bench-doc-'));
    const doc = path.join(dir, 'performance.md');
    const page = [
      '# Performance',
      '<!-- bench:latest:start -->',
      'old table',
      '<!-- bench:latest:end -->',
      'prose stays',
      '<!-- bench:targets:start -->',
      '<!-- bench:targets:end -->',
      '',
    ].join('\n');
    fs.writeFileSync(doc, page);
    assert.equal(updateDocSections(doc, { latest: ['new table'], targets: ['3 of 4 met'] }), true);
    const text = fs.readFileSync(doc, 'utf8');
    assert.ok(
      text.includes('<!-- bench:latest:start -->\n\nnew table\n\n<!-- bench:latest:end -->'),
    );
    assert.ok(!text.includes('old table'));
    assert.ok(text.includes('prose stays'));
    assert.ok(
      text.includes('<!-- bench:targets:start -->\n\n3 of 4 met\n\n<!-- bench:targets:end -->'),
    );
    // A page without the markers is left alone.
    fs.writeFileSync(doc, '# no markers\n');
    assert.equal(updateDocSections(doc, { latest: ['x'] }), false);
    assert.equal(fs.readFileSync(doc, 'utf8'), '# no markers\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
