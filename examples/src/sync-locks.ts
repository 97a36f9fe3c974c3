// Lock, Semaphore and BoundedSemaphore: the guide docs/sync-and-queues.md walks through this file.
// Run it with `node examples/dist/sync-locks.js`.
import {
  BoundedSemaphore,
  gather,
  Lock,
  run,
  Semaphore,
  sleep,
  timeout,
  TimeoutError,
  ValueError,
} from 'tsio';

await run(async () => {
  // A Lock makes a check-then-act sequence with an await in the middle atomic.
  const lock = new Lock();
  let balance = 100;

  async function withdraw(amount: number): Promise<boolean> {
    await using _ = await lock.hold(); // Python: async with lock:
    if (balance < amount) return false;
    await sleep(0.01); // ask the bank: other tasks run meanwhile, but none can enter
    balance -= amount;
    return true;
  } // the lock is released here, also when the block throws or the task is cancelled

  const granted = await gather(
    () => withdraw(80),
    () => withdraw(80),
  );
  console.log('withdrawals:', granted, 'balance:', balance); // [ true, false ] 20

  // The same with acquire() and release(), for when the exact point of release matters.
  await lock.acquire();
  try {
    balance += 10;
  } finally {
    lock.release();
  }

  // A bounded wait: on timeout, acquire() is cancelled and takes nothing.
  await lock.acquire();
  try {
    await timeout(0.01).run(() => lock.acquire()); // this task holds it: not re-entrant
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log('gave up waiting for the lock');
  } finally {
    lock.release();
  }
  console.log('locked after release:', lock.locked()); // false

  // A Semaphore lets at most `value` tasks in at once: here, two downloads at a time.
  const slots = new Semaphore(2);
  let running = 0;
  let busiest = 0;

  async function download(name: string): Promise<string> {
    await using _ = await slots.hold();
    running++;
    busiest = Math.max(busiest, running);
    await sleep(0.02);
    running--;
    return `${name}: done`;
  }

  const pages = await gather(...['a', 'b', 'c', 'd', 'e'].map((name) => () => download(name)));
  console.log(pages.length, 'pages, at most', busiest, 'at a time'); // 5 pages, at most 2 at a time

  // A BoundedSemaphore also catches the bug of releasing more often than acquiring.
  const pool = new BoundedSemaphore(1);
  await pool.acquire();
  pool.release();
  try {
    pool.release(); // one release too many
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    console.log('BoundedSemaphore:', e.message);
  }
});
