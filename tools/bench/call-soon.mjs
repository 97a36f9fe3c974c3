// call_soon_chain: each callback schedules the next with loop.callSoon, N times.
// call_soon_batch: N loop.callSoon calls in one go, then the loop runs them.
// Both start timing inside a first callback, with the loop already running, as the Python
// benchmark does. Usage: node tools/bench/call-soon.mjs --variant chain|batch [-n 1000000]
import { BaseEventLoop } from '@tsio/event-loop';
import { emit, now, parseArgs } from './common.mjs';

const { n, variant } = parseArgs({ n: 1_000_000, variant: 'chain' });
if (variant !== 'chain' && variant !== 'batch') throw new Error(`unknown --variant ${variant}`);

const loop = new BaseEventLoop();
let count = 0;
let t0 = 0;
let t1 = 0;

if (variant === 'chain') {
  const next = () => {
    if (++count < n) {
      loop.callSoon(next);
    } else {
      t1 = now();
      loop.stop();
    }
  };
  loop.callSoon(() => {
    t0 = now();
    loop.callSoon(next);
  });
} else {
  const cb = () => {
    if (++count === n) {
      t1 = now();
      loop.stop();
    }
  };
  loop.callSoon(() => {
    t0 = now();
    for (let i = 0; i < n; i++) loop.callSoon(cb);
  });
}

await loop.runForever();
loop.close();
if (count !== n) throw new Error(`ran ${count} callbacks, expected ${n}`);
emit(`call_soon_${variant}`, n, t1 - t0, { variant });
