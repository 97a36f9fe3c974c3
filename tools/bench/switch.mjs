// switch_sleep0 (default): one task doing N x `await sleep(0)`, each a bare yield to the loop.
// switch_pingpong (--variant pingpong): two tasks pass a value back and forth through a fresh
// `loop.createFuture()` per hop (futures are single-shot), N round trips: the cost of waking
// another task through a Future. The same work as the anchors' py/switch.py and js/switch.mjs.
// Usage: node tools/bench/switch.mjs [--variant sleep0|pingpong] [-n 1000000]
import { BaseEventLoop } from '@tsio/event-loop';
import { sleep } from '@tsio/futures';
import { emit, now, parseArgs } from './common.mjs';

const { n, variant } = parseArgs({ n: 1_000_000, variant: 'sleep0' });
if (variant !== 'sleep0' && variant !== 'pingpong') throw new Error(`unknown --variant ${variant}`);

async function sleep0() {
  const t0 = now();
  for (let i = 0; i < n; i++) await sleep(0);
  return now() - t0;
}

async function pingpong(loop) {
  // The box holds the future each side waits on next, as in the Python version.
  const box = { ping: loop.createFuture(), pong: null };
  const pinger = async () => {
    let v = -1;
    for (let i = 0; i < n; i++) {
      box.pong = loop.createFuture();
      box.ping.setResult(i);
      v = await box.pong;
    }
    return v;
  };
  const ponger = async () => {
    for (let i = 0; i < n; i++) {
      const v = await box.ping;
      box.ping = loop.createFuture();
      box.pong.setResult(v);
    }
  };
  const t0 = now();
  const other = loop.createTask(ponger);
  const last = await pinger();
  await other;
  const elapsed = now() - t0;
  if (last !== n - 1) throw new Error(`the last round trip carried ${last}, expected ${n - 1}`);
  return elapsed;
}

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(() => (variant === 'sleep0' ? sleep0() : pingpong(loop))),
);
loop.close();
emit(`switch_${variant}`, n, seconds);
