// taskgroup: a main task runs `TaskGroup.run` and starts `--batch` tasks in the group with
// tg.createTask, each doing one `await sleep(0)`; the group waits for all of them. Repeated
// for n/batch rounds (one round by default: 100k tasks in one group). ops = tasks completed.
// No recorded Python figure has this name; the raw-Node row is the `tasks` anchor.
// Usage: node tools/bench/taskgroup.mjs [-n 100000] [--batch 100000]
import { BaseEventLoop } from '@tsio/event-loop';
import { sleep, TaskGroup } from '@tsio/futures';
import { emit, now, parseArgs } from './common.mjs';

const args = parseArgs({ n: 100_000 });
const batch = Math.min(args.batch ?? args.n, args.n);
const rounds = Math.max(1, Math.floor(args.n / batch));
const n = rounds * batch;

let finished = 0;
const one = async () => {
  await sleep(0);
  finished++;
};

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(async () => {
    const t0 = now();
    for (let r = 0; r < rounds; r++) {
      await TaskGroup.run((tg) => {
        for (let i = 0; i < batch; i++) tg.createTask(one);
      });
    }
    const seconds = now() - t0;
    if (finished !== n) throw new Error(`${finished} tasks finished, expected ${n}`);
    return seconds;
  }),
);
loop.close();
emit('taskgroup', n, seconds, { batch });
