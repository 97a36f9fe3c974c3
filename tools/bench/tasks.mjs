// tasks: a main task creates `--batch` tasks with loop.createTask, each doing one
// `await sleep(0)` and returning its index, then awaits them in order; repeated for n/batch
// rounds. ops = tasks completed. Usage: node tools/bench/tasks.mjs [-n 100000] [--batch 100000]
import { BaseEventLoop } from '@tsio/event-loop';
import { sleep } from '@tsio/futures';
import { emit, now, parseArgs } from './common.mjs';

const args = parseArgs({ n: 100_000 });
const batch = Math.min(args.batch ?? args.n, args.n);
const rounds = Math.max(1, Math.floor(args.n / batch));
const n = rounds * batch;

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(async () => {
    const t0 = now();
    for (let r = 0; r < rounds; r++) {
      const tasks = new Array(batch);
      for (let i = 0; i < batch; i++) {
        tasks[i] = loop.createTask(async () => {
          await sleep(0);
          return i;
        });
      }
      let last = -1;
      for (let i = 0; i < batch; i++) last = await tasks[i];
      if (last !== batch - 1) throw new Error(`last task returned ${last}, expected ${batch - 1}`);
    }
    return now() - t0;
  }),
);
loop.close();
emit('tasks', n, seconds, { batch });
