// switch_sleep0: one task doing N x `await sleep(0)`, each a bare yield to the loop.
// Usage: node tools/bench/switch.mjs [-n 1000000]
import { BaseEventLoop } from '@tsio/event-loop';
import { sleep } from '@tsio/futures';
import { emit, now, parseArgs } from './common.mjs';

const { n } = parseArgs({ n: 1_000_000 });

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(async () => {
    const t0 = now();
    for (let i = 0; i < n; i++) await sleep(0);
    return now() - t0;
  }),
);
loop.close();
emit('switch_sleep0', n, seconds);
