// memory_per_task: the heap that one pending task costs. n tasks each `await event.wait()` on
// one shared Event; once they are all parked, the heap (process.memoryUsage().heapUsed after
// forced GCs) is compared with the heap before they were created. bytes_per_task = delta / n,
// which includes the task's Future state, its coroutine (the async function's frame and
// promise), the Event's waiter Future and the slot of the array that keeps the task (8 to 16 bytes).
// Then the event is set and every task must finish. ops/s is the creation rate (create n tasks
// and run each up to its wait), so the result line keeps the usual shape. The target is
// <= 1 KiB per task. No anchor measures this.
// Needs --expose-gc (run.mjs passes it). Usage: node --expose-gc tools/bench/memory.mjs [-n 100000]
import { BaseEventLoop } from '@tsio/event-loop';
import { gather, sleep } from '@tsio/futures';
import { Event } from '@tsio/sync';
import { emit, now, parseArgs } from './common.mjs';

const { n } = parseArgs({ n: 100_000 });
if (typeof globalThis.gc !== 'function') {
  throw new Error('memory.mjs needs node --expose-gc (run.mjs passes it)');
}

/** heapUsed after enough full collections for the figure to settle. */
function settledHeap() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

const loop = new BaseEventLoop();
const result = await loop.runUntilComplete(
  loop.createTask(async () => {
    const event = new Event();
    const waitForEvent = async () => {
      await event.wait();
      return 1;
    };
    // One task goes through the whole path first, so that the code it runs is compiled and
    // its lazily created state exists before the baseline is taken.
    const warmUp = loop.createTask(waitForEvent);
    await sleep(0);
    event.set();
    await warmUp;
    event.clear();
    const tasks = [];
    const before = settledHeap();
    const t0 = now();
    for (let i = 0; i < n; i++) tasks.push(loop.createTask(waitForEvent));
    // One trip through the loop runs every new task up to its wait: they were scheduled first.
    await sleep(0);
    const elapsed = now() - t0;
    const waiters = event.statistics().waiters;
    if (waiters !== n) throw new Error(`${waiters} tasks wait for the event, expected ${n}`);
    const after = settledHeap();
    event.set();
    const results = await gather(tasks);
    const finished = results.reduce((a, b) => a + b, 0);
    if (finished !== n) throw new Error(`${finished} tasks finished, expected ${n}`);
    return { elapsed, before, after };
  }),
);
loop.close();
emit('memory_per_task', n, result.elapsed, {
  bytes_per_task: Math.round(((result.after - result.before) / n) * 10) / 10,
  heap_before: result.before,
  heap_after: result.after,
});
