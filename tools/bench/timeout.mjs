// gather_timeout (the anchors' bench 8): batches of `--batch` tasks, each doing
// `await timeout(1).run(() => sleep(0.001))` and returning 1, gathered with `gather(tasks)`;
// n/batch batches one after another. ops = tasks completed. Same work as
// shared/bench-anchors py/gather_timeout.py (`async with asyncio.timeout(1): await
// asyncio.sleep(0.001)`), so the recorded asyncio and uvloop figures compare directly.
// Usage: node tools/bench/timeout.mjs [-n 100000] [--batch 10000]
import { BaseEventLoop } from '@tsio/event-loop';
import { gather, sleep, timeout } from '@tsio/futures';
import { emit, parseArgs, timeGatheredRounds } from './common.mjs';

const args = parseArgs({ n: 100_000, batch: 10_000 });
const batch = Math.min(args.batch, args.n);
const rounds = Math.max(1, Math.floor(args.n / batch));
const n = rounds * batch;

const nap = () => sleep(0.001);
const one = async () => {
  await timeout(1).run(nap);
  return 1;
};

const seconds = await timeGatheredRounds({ loopClass: BaseEventLoop, gather, rounds, batch, one });
emit('gather_timeout', n, seconds, { batch });
