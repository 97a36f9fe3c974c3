// Self-test of tools/name-map.mjs on small fake packages in a temp folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parityOf } from '../name-map.mjs';

const script = fileURLToPath(new URL('../name-map.mjs', import.meta.url));

const futuresSources = {
  'packages/futures/package.json': JSON.stringify({ name: '@tsio/futures' }),
  'packages/futures/src/index.ts': [
    "export { Loop, makeLoop as createLoop } from './loop.js';",
    "export type { LoopOptions } from './options.js';",
    "export { sleep, _hook } from './sleep.js';",
    "export * from './more.js';",
    "export { CancelledError } from '@tsio/core';",
    '',
  ].join('\n'),
  'packages/futures/src/loop.ts': `/** File header, not the TSDoc of anything. */
import type { LoopOptions } from './options.js';

/**
 * A loop.
 *
 * Python parity: \`asyncio.AbstractEventLoop\`
 */
export class Loop {
  /** Schedules a callback. Python parity: \`loop.call_soon\` */
  callSoon(cb: () => void): void {
    void cb;
  }
  /**
   * The loop time.
   *
   * Python parity: \`loop.time\`
   *
   * @returns seconds
   */
  get now(): number {
    return 0;
  }
  /** Python parity: \`loop._run_once\` */
  _runOnce(): void {}
  /** @internal Python parity: \`loop._internal\` */
  _internal(): void {}
  /** Python parity: \`loop._private\` */
  private secret(): void {}
  /** No counterpart. */
  extra(): void {}
}

/**
 * Creates a loop.
 *
 * Python parity: \`asyncio.new_event_loop\`, \`asyncio.EventLoop\` (both)
 */
export function makeLoop(): Loop;
export function makeLoop(options: LoopOptions): Loop;
export function makeLoop(options?: LoopOptions): Loop {
  void options;
  return new Loop();
}
`,
  'packages/futures/src/options.ts':
    '/** Options of `createLoop`. */\nexport interface LoopOptions {\n  debug?: boolean;\n}\n',
  'packages/futures/src/sleep.ts': [
    '/**',
    ' * Sleeps.',
    ' * Python parity: `asyncio.sleep`',
    ' */',
    'export const sleep = async (s: number): Promise<void> => { void s; };',
    '',
    '/** For implementers. Python parity: `asyncio._hook` */',
    'export function _hook(): void {}',
    '',
  ].join('\n'),
  'packages/futures/src/more.ts': '/** Python parity: `asyncio.Event` */\nexport class Event {}\n',
};

const coreSources = {
  'packages/core/package.json': JSON.stringify({ name: '@tsio/core' }),
  'packages/core/src/index.ts': "export { CancelledError } from './errors.js';\n",
  'packages/core/src/errors.ts':
    '/** Cancelled. Python parity: `asyncio.CancelledError` */\nexport class CancelledError extends Error {}\n',
};

function makeTree(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsio-name-map-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

const run = (root, ...args) => {
  const r = spawnSync(process.execPath, [script, ...args, root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
};

test('builds the map from index.ts exports and TSDoc, in layer order, prettier-clean', async (t) => {
  const root = makeTree({ ...futuresSources, ...coreSources });
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const w = run(root, '--write');
  assert.equal(w.code, 0, w.out);
  const md = fs.readFileSync(path.join(root, 'docs/name-map.md'), 'utf8');
  const rows = md.split('\n').filter((l) => l.startsWith('| `'));
  const row = (ts) => rows.find((l) => l.includes(`| \`${ts}\` `))?.replace(/ +/g, ' ');

  // sorted by Python name (case-insensitive), one row per declaration or class member
  const pythonSection = md.slice(
    md.indexOf('## Python names'),
    md.indexOf('## Public names without'),
  );
  const order = [...pythonSection.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
  assert.deepEqual(order, [
    'asyncio.AbstractEventLoop',
    'asyncio.CancelledError',
    'asyncio.Event',
    'asyncio.new_event_loop',
    'asyncio.sleep',
    'loop.call_soon',
    'loop.time',
  ]);
  assert.equal(row('Loop'), '| `asyncio.AbstractEventLoop` | `Loop` | `@tsio/futures` |');
  assert.equal(
    row('createLoop'), // renamed export, TSDoc on the first overload
    '| `asyncio.new_event_loop`, `asyncio.EventLoop` (both) | `createLoop` | `@tsio/futures` |',
  );
  assert.equal(row('Loop.callSoon'), '| `loop.call_soon` | `Loop.callSoon` | `@tsio/futures` |');
  assert.equal(row('Loop.now'), '| `loop.time` | `Loop.now` | `@tsio/futures` |');
  assert.equal(
    row('CancelledError'),
    '| `asyncio.CancelledError` | `CancelledError` | `@tsio/core` |',
  );
  assert.match(md, /`@tsio\/core` \(1\), `@tsio\/futures` \(6\)/); // core first: layer order
  assert.match(md, /`@tsio\/futures` also re-exports 1 name\(s\) from `@tsio\/core`/);

  // no Python counterpart, hooks, and what must not appear
  assert.match(md, /\| `LoopOptions` +\| interface +\| `@tsio\/futures` \|/);
  assert.match(md, /\| `_hook` +\| `asyncio._hook` +\| `@tsio\/futures` \|/);
  assert.match(md, /\| `Loop._runOnce` +\| `loop._run_once` +\| `@tsio\/futures` \|/);
  assert.doesNotMatch(md, /_internal|secret|Loop\.extra|File header/);
  assert.match(md, /## Exported names without TSDoc\n\nNone\./);

  assert.ok(await prettier.check(md, { parser: 'markdown' }), 'prettier would reformat the map');
  assert.equal(run(root, '--check').code, 0);

  // an edited TSDoc makes the committed map stale
  const sleepFile = path.join(root, 'packages/futures/src/sleep.ts');
  fs.writeFileSync(
    sleepFile,
    fs.readFileSync(sleepFile, 'utf8').replace('asyncio.sleep', 'asyncio.nap'),
  );
  const c = run(root, '--check');
  assert.equal(c.code, 1);
  assert.match(c.out, /out of date; run `npm run name-map`/);
});

test('--check fails on an exported name without TSDoc', (t) => {
  const root = makeTree({
    ...coreSources,
    'packages/core/src/index.ts':
      "export { CancelledError } from './errors.js';\nexport { bare } from './bare.js';\n",
    'packages/core/src/bare.ts': '// a line comment is not TSDoc\nexport const bare = 1;\n',
  });
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  assert.equal(run(root, '--write').code, 0);
  const md = fs.readFileSync(path.join(root, 'docs/name-map.md'), 'utf8');
  assert.match(md, /\| `bare` +\| const +\| `@tsio\/core` \| `packages\/core\/src\/bare\.ts` \|/);
  const c = run(root, '--check');
  assert.equal(c.code, 1);
  assert.match(
    c.out,
    /without TSDoc[^\n]*\n +@tsio\/core: bare \(const in packages\/core\/src\/bare\.ts\)/,
  );
});

test('parityOf reads the paragraph after "Python parity:"', () => {
  assert.equal(
    parityOf('Does x.\n\nPython parity: `a.b` and\n`c.d` too\n\n@example x'),
    '`a.b` and `c.d` too',
  );
  assert.equal(parityOf('Python parity: `a`\n@throws E'), '`a`');
  assert.equal(parityOf('One line. Python parity: `x.y`'), '`x.y`');
  assert.equal(parityOf('No parity here.'), null);
  assert.equal(parityOf(null), null);
});

test('lists members inherited from an unexported base class under the exported class', (t) => {
  const root = makeTree({
    'packages/core/package.json': JSON.stringify({ name: '@tsio/core' }),
    'packages/core/src/index.ts':
      "export { Loop, Base } from './loop.js';\nexport { Child } from './child.js';\n",
    'packages/core/src/services.ts': `/** Internal base. */
export class Services {
  /** Sets the handler. Python parity: \`loop.set_exception_handler\` */
  setExceptionHandler(): void {}
  /** Overridden below. Python parity: \`loop.stop\` */
  stop(): void {}
}
`,
    'packages/core/src/loop.ts': `import { Services } from './services.js';
/** A loop. Python parity: \`asyncio.AbstractEventLoop\` */
export class Loop extends Services {
  /** Stops. Python parity: \`loop.stop\` */
  override stop(): void {}
}
/** An exported base. Python parity: \`asyncio.Future\` */
export class Base {
  /** The result. Python parity: \`Future.result\` */
  result(): void {}
}
`,
    'packages/core/src/child.ts': `import { Base } from './loop.js';
/** A child of an exported base. Python parity: \`asyncio.Task\` */
export class Child extends Base {}
`,
  });
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const w = run(root, '--write');
  assert.equal(w.code, 0, w.out);
  const md = fs.readFileSync(path.join(root, 'docs/name-map.md'), 'utf8');
  assert.match(md, /\| `loop\.set_exception_handler` +\| `Loop\.setExceptionHandler` +\|/);
  assert.equal(md.match(/`Loop\.stop`/g)?.length, 1); // the override, once
  assert.match(md, /\| `Future\.result` +\| `Base\.result` +\|/);
  assert.doesNotMatch(md, /`Child\.result`/); // an exported base has rows of its own
});
