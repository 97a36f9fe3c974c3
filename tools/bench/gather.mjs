// gather: a main task creates `--batch` tasks with loop.createTask, each doing one
// `await sleep(0)` and returning 1, and awaits `gather(tasks)`; repeated for n/batch rounds.
// ops = tasks completed. No recorded Python figure has this name; the raw-Node row is the
// `tasks` anchor (Promise.all over async functions), the same shape of work.
// Usage: node tools/bench/gather.mjs [-n 100000] [--batch 100000]
import { BaseEventLoop } from '@tsio/event-loop';
import { gather, sleep } from '@tsio/futures';
import { emit, parseArgs, timeGatheredRounds } from './common.mjs';

const args = parseArgs({ n: 100_000 });
const batch = Math.min(args.batch ?? args.n, args.n);
const rounds = Math.max(1, Math.floor(args.n / batch));
const n = rounds * batch;

const one = async () => {
  await sleep(0);
  return 1;
};

const seconds = await timeGatheredRounds({ loopClass: BaseEventLoop, gather, rounds, batch, one });
emit('gather', n, seconds, { batch });
