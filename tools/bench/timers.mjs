// timers (the anchors' bench 2): batches of `--batch` loop.callLater handles with seeded random
// delays in [0, 100) ms; every second handle is cancelled, then the loop runs until the rest
// have fired; n/batch batches one after another. ops = handles scheduled (fired + cancelled).
// The same work as shared/bench-anchors py/timers.py and js/timers.mjs (setTimeout and
// clearTimeout); like theirs, each batch's timed region includes the ~100 ms longest delay.
// Usage: node tools/bench/timers.mjs [-n 1000000] [--batch 200000]
import { BaseEventLoop } from '@tsio/event-loop';
import { emit, now, parseArgs, seededRandom } from './common.mjs';

const args = parseArgs({ n: 1_000_000, batch: 200_000 });
const batch = Math.min(args.batch, args.n);
const rounds = Math.max(1, Math.floor(args.n / batch));
const n = rounds * batch;

// Drawn before timing, as the anchors do: the timed region measures the loop, not the PRNG.
const random = seededRandom(12345);
const delays = new Float64Array(batch);
for (let i = 0; i < batch; i++) delays[i] = random() * 0.1; // seconds
const expected = batch - Math.floor(batch / 2);

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(async () => {
    const t0 = now();
    for (let r = 0; r < rounds; r++) {
      const done = loop.createFuture();
      let fired = 0;
      const cb = () => {
        if (++fired === expected) done.setResult(fired);
      };
      const handles = new Array(batch);
      for (let i = 0; i < batch; i++) handles[i] = loop.callLater(delays[i], cb);
      for (let i = 1; i < batch; i += 2) handles[i].cancel();
      await done;
      if (fired !== expected) throw new Error(`${fired} timers fired, expected ${expected}`);
    }
    return now() - t0;
  }),
);
loop.close();
emit('timers', n, seconds, { batch, cancelled: rounds * Math.floor(batch / 2) });
