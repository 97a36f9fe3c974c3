// lock / semaphore: 100 tasks contend for one Lock (or a Semaphore(10)); together they make
// n acquisitions, each holding the primitive across one `await sleep(0)` so that waiters really
// queue up. The same work as the anchors' py/lock.py (`async with prim: counter += 1; await
// asyncio.sleep(0)`) and js/lock.mjs. ops = acquisitions.
// --style hold (default): the guard of `await using _ = await prim.hold()`, the counterpart of
// `async with`, written out as what `await using` does (Node 20 cannot parse `await using` in
// plain JavaScript): take the guard, try { ... } finally { await guard[Symbol.asyncDispose]() }.
// --style acquire: `await prim.acquire()` with try/finally `prim.release()`.
// Usage: node tools/bench/lock.mjs [--variant lock|semaphore] [--style hold|acquire] [-n 200000]
import { BaseEventLoop } from '@tsio/event-loop';
import { gather, sleep } from '@tsio/futures';
import { Lock, Semaphore } from '@tsio/sync';
import { emit, now, parseArgs } from './common.mjs';

const WORKERS = 100;
const args = parseArgs({ n: 200_000, variant: 'lock', style: 'hold' });
if (args.variant !== 'lock' && args.variant !== 'semaphore') {
  throw new Error(`--variant must be lock or semaphore, not ${args.variant}`);
}
if (args.style !== 'hold' && args.style !== 'acquire') {
  throw new Error(`--style must be hold or acquire, not ${args.style}`);
}
const per = Math.max(1, Math.floor(args.n / WORKERS));
const n = per * WORKERS;

const loop = new BaseEventLoop();
const seconds = await loop.runUntilComplete(
  loop.createTask(async () => {
    const prim = args.variant === 'lock' ? new Lock() : new Semaphore(10);
    let counter = 0;
    const withHold = async () => {
      for (let i = 0; i < per; i++) {
        const guard = await prim.hold();
        try {
          counter++;
          await sleep(0);
        } finally {
          await guard[Symbol.asyncDispose]();
        }
      }
    };
    const withAcquire = async () => {
      for (let i = 0; i < per; i++) {
        await prim.acquire();
        try {
          counter++;
          await sleep(0);
        } finally {
          prim.release();
        }
      }
    };
    const worker = args.style === 'hold' ? withHold : withAcquire;
    const t0 = now();
    const tasks = [];
    for (let w = 0; w < WORKERS; w++) tasks.push(loop.createTask(worker));
    await gather(tasks);
    const elapsed = now() - t0;
    if (counter !== n) throw new Error(`counter is ${counter}, expected ${n}`);
    return elapsed;
  }),
);
loop.close();
emit(args.variant, n, seconds, { workers: WORKERS, style: args.style });
