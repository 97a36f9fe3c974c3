// Event, Condition and Barrier: the guide docs/sync-and-queues.md walks through this file.
// Run it with `node examples/dist/sync-signals.js`.
import { Barrier, Condition, createTask, Event, gather, run, sleep } from 'tsio';

await run(async () => {
  // An Event is a flag that tasks wait for: set() wakes every waiter, now and later.
  const ready = new Event();
  const runners = ['ann', 'bob'].map((name) =>
    createTask(async () => {
      await ready.wait();
      return `${name} started`;
    }),
  );
  await sleep(0.01);
  console.log(
    'before set:',
    runners.map((t) => t.done()),
  ); // [ false, false ]
  ready.set();
  console.log(await gather(...runners)); // [ 'ann started', 'bob started' ]

  // A Condition is a lock plus notifications: wait until shared state is as you need it.
  const stock = new Condition();
  let items = 0;

  const buyer = createTask(async () => {
    await using _ = await stock.hold();
    await stock.waitFor(() => items >= 3); // releases the lock while it waits
    items -= 3;
    return 'bought 3';
  });

  for (let i = 0; i < 4; i++) {
    await sleep(0.01);
    await using _ = await stock.hold(); // notify() needs the lock, as in asyncio
    items++;
    stock.notifyAll(); // the buyer re-checks its predicate
  }
  console.log(await buyer, '- left:', items); // bought 3 - left: 1

  // A Barrier holds tasks until `parties` of them have arrived, then lets them all through.
  const barrier = new Barrier(3);
  const phases: string[] = [];

  async function worker(name: string, delay: number): Promise<void> {
    await sleep(delay); // each worker takes its own time to finish phase 1
    phases.push(`${name}:1`);
    await barrier.wait(); // nobody starts phase 2 before everybody finished phase 1
    phases.push(`${name}:2`);
  }

  await gather(
    () => worker('x', 0.03),
    () => worker('y', 0.01),
    () => worker('z', 0.02),
  );
  console.log(phases.join(' ')); // y:1 z:1 x:1 followed by the three phase-2 entries
});
