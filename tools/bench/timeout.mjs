// gather_timeout (the anchors' bench 8): batches of `--batch` tasks, each doing
// `await timeout(1).run(() => sleep(0.001))` and returning 1, gathered with `gather(tasks)`;
// n/batch batches one after another. ops = tasks completed. Same work as
// shared/bench-anchors py/gather_timeout.py (`async with asyncio.timeout(1): await
// asyncio.sleep(0.001)`), so the recorded asyncio and uvloop figures compare directly.
// Usage: node tools/bench/timeout.mjs [-n 100000] [--batch 10000]
import { BaseEventLoop } from '@tsio/event-loop';
import { gather, sleep, timeout } from '@tsio/futures';
import { emit, now, parseArgs } from './common.mjs';

const args = parseArgs({ n: 100_000, batch: 10_000 });
const batch = Math.min(args.batch, args.n);
const rounds = Math.max(1, Math.floor(args.n / batch));
const n = rounds * batch;

const nap = () => sleep(0.001);
const one = async () => {
  await timeout(1).run(nap);
  return 1;
};

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(async () => {
    const t0 = now();
    let total = 0;
    for (let r = 0; r < rounds; r++) {
      const tasks = new Array(batch);
      for (let i = 0; i < batch; i++) tasks[i] = loop.createTask(one);
      const results = await gather(tasks);
      for (const v of results) total += v;
    }
    const seconds = now() - t0;
    if (total !== n) throw new Error(`gather returned a total of ${total}, expected ${n}`);
    return seconds;
  }),
);
loop.close();
emit('gather_timeout', n, seconds, { batch });
