// queue_1p1c / queue_10p10c: k producers put n/k numbered items each into one
// Queue(maxsize 100) while k consumers get n/k items each; the consumers' sums prove that every
// item arrived once. The same work as the anchors' py/queue_bench.py and js/queue.mjs.
// ops = items moved.
// Usage: node tools/bench/queue.mjs [--pairs 1|10] [-n 1000000]
import { BaseEventLoop } from '@tsio/event-loop';
import { gather } from '@tsio/futures';
import { Queue } from '@tsio/queues';
import { emit, now, parseArgs } from './common.mjs';

const args = parseArgs({ n: 1_000_000, pairs: 1 });
const k = args.pairs;
if (!Number.isInteger(k) || k < 1) throw new Error(`--pairs must be a positive integer`);
const per = Math.max(1, Math.floor(args.n / k));
const n = per * k;

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(async () => {
    const q = new Queue(100);
    const producer = async () => {
      for (let i = 0; i < per; i++) await q.put(i);
      return 0;
    };
    const consumer = async () => {
      let sum = 0;
      for (let i = 0; i < per; i++) sum += await q.get();
      return sum;
    };
    const t0 = now();
    const tasks = [];
    for (let c = 0; c < k; c++) tasks.push(loop.createTask(consumer));
    for (let p = 0; p < k; p++) tasks.push(loop.createTask(producer));
    const sums = await gather(tasks);
    const elapsed = now() - t0;
    const total = sums.reduce((a, b) => a + b, 0);
    const expected = (k * per * (per - 1)) / 2;
    if (total !== expected)
      throw new Error(`the consumers got a sum of ${total}, expected ${expected}`);
    return elapsed;
  }),
);
loop.close();
emit(`queue_${k}p${k}c`, n, seconds, { pairs: k });
