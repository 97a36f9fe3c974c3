// Property tests of cancel safety (issue 4): random producer/consumer schedules over the queues
// and random lock/semaphore schedules, with a random subset of the tasks cancelled at a random
// moment, never lose or duplicate an item, never lose or create a permit, keep FIFO order, and
// never leave a waiter blocked while the resource it waits for is free.
//
// The moment of each cancellation is a count of the main task's `sleep(0)` trips; the workers
// interleave their own `sleep(0)`s at random, so over the runs a cancellation lands at every
// await of a worker: while it waits in put/get/acquire, just after it was woken (before it
// resumed), and inside the critical section. Some workers swallow their first cancellation
// (`uncancel()`) and carry on, so the primitive must also stay usable by the task it cancelled.
//
// Checked by mutation: removing the "give the permit back" step of Semaphore.acquire or the
// "pass the wakeup on" step of Lock.acquire makes the lock property fail within the default
// runs; removing the "pass the wakeup on" step of Queue.get or Queue.put makes the queue
// property fail within a few thousand runs (TSIO_PROPERTY_RUNS=5000).
//
// Runs: 1000 per property, about a second in all (TSIO_PROPERTY_RUNS=5000 explores more;
// fast-check prints the seed on failure).
import fc from 'fast-check';
import {
  BaseEventLoop,
  BoundedSemaphore,
  createTask,
  currentTask,
  isCancelledError,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  run,
  Semaphore,
  sleep,
  type Task,
} from '../../src/index.js';

const RUNS = Number(process.env['TSIO_PROPERTY_RUNS'] ?? 1000);
/** How many sleep(0) trips the system may take to settle before a waiter counts as stuck. */
const SETTLE_LIMIT = 500;

/** One worker of a schedule: its rhythm and when (if ever) the main task cancels it. */
interface WorkerSpec {
  /** sleep(0)s before each operation. */
  readonly before: number;
  /** sleep(0)s inside the critical section (locks) or after each item (queues). */
  readonly inside: number;
  /** Operations (items to put, acquisitions); consumers ignore it and run until cancelled. */
  readonly count: number;
  /** The main task's sleep(0) count at which it cancels this worker; null: never. */
  readonly cancelAt: number | null;
  /** Swallows the first CancelledError (uncancel) and carries on. */
  readonly swallow: boolean;
  /**
   * After its first operation (a put, a get, a release) the worker cancels this other worker
   * (index modulo the number of candidates: for a producer the consumers, for a consumer the
   * producers, for a lock user the lock users): the cancellation then lands in the same iteration
   * as the wakeup that operation may have sent, before the woken task resumes.
   */
  readonly victim: number | null;
}

const workerArb = (maxCount: number): fc.Arbitrary<WorkerSpec> =>
  fc.record({
    before: fc.nat(2),
    inside: fc.nat(3),
    count: fc.integer({ min: 1, max: maxCount }),
    cancelAt: fc.option(fc.nat(30), { nil: null, freq: 2 }),
    swallow: fc.boolean(),
    victim: fc.option(fc.nat(5), { nil: null, freq: 2 }),
  });

async function spin(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await sleep(0);
}

/**
 * The main task's sleep(0) trips so far in the current run, a coarse clock for the workers;
 * `stopping`: the run is ending (or failed), so no worker may swallow a cancellation any more
 * (run() cancels the tasks left once, as asyncio.run does, and waits for them).
 */
const clock = { tick: 0, stopping: false };

/** Returns a function that cancels the spec's victim among `all`, the first time it is called. */
function striker(spec: WorkerSpec, all: readonly Task<void>[]): () => void {
  let struck = false;
  return () => {
    if (struck || spec.victim === null || all.length === 0) return;
    struck = true;
    all[spec.victim % all.length]?.cancel();
  };
}

/** Runs `body` as a worker: handles the swallow-once option. */
function worker(spec: WorkerSpec, body: () => Promise<void>): () => Promise<void> {
  return async () => {
    let swallowed = !spec.swallow;
    for (;;) {
      try {
        await body();
        return;
      } catch (error) {
        if (!isCancelledError(error) || swallowed || clock.stopping) throw error;
        swallowed = true;
        (currentTask() as Task<unknown>).uncancel();
      }
    }
  };
}

/**
 * The main task's schedule: cancels each worker at its tick, then lets the system settle
 * until `settled()` holds (failing if it takes more than SETTLE_LIMIT trips), then cancels
 * whatever still runs and waits for every worker to finish.
 */
async function drive(
  tasks: readonly Task<void>[],
  specs: readonly WorkerSpec[],
  settled: () => boolean,
  describe: () => string,
): Promise<void> {
  const lastTick = Math.max(0, ...specs.map((s) => s.cancelAt ?? 0));
  clock.stopping = false;
  const trip = async (): Promise<void> => {
    await sleep(0);
    clock.tick++;
  };
  try {
    for (let tick = 0; tick <= lastTick; tick++) {
      specs.forEach((s, i) => {
        if (s.cancelAt === tick) tasks[i]?.cancel();
      });
      await trip();
    }
    let trips = 0;
    while (!settled()) {
      if (++trips > SETTLE_LIMIT) {
        throw new Error(`a waiter stayed blocked while the resource was free: ${describe()}`);
      }
      await trip();
    }
  } finally {
    // Cancel what still runs.
    clock.stopping = true;
    for (let round = 0; tasks.some((t) => !t.done()); round++) {
      if (round > SETTLE_LIMIT) throw new Error(`a task ignores cancellation: ${describe()}`);
      for (const t of tasks) t.cancel();
      await trip();
    }
  }
  for (const t of tasks) {
    try {
      await t;
    } catch (error) {
      if (!isCancelledError(error)) throw error;
    }
  }
}

const newLoop = (): BaseEventLoop => new BaseEventLoop();

/** Where the cancellations landed, over all runs: proves the schedules reach every await. */
const landed = {
  inPut: 0,
  inGet: 0,
  inAcquire: 0,
  inCriticalSection: 0,
};

/** Runs `op`, counting a CancelledError it throws under `where`. */
async function counted<T>(where: keyof typeof landed, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    if (isCancelledError(error)) landed[where]++;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Queues

type QueueKind = 'fifo' | 'lifo' | 'priority';

interface QueueSchedule {
  readonly kind: QueueKind;
  readonly maxsize: number;
  readonly producers: readonly WorkerSpec[];
  readonly consumers: readonly WorkerSpec[];
  /** Per consumer: take items with `for await (const item of queue)` instead of get(). */
  readonly iterate: readonly boolean[];
}

const queueScheduleArb: fc.Arbitrary<QueueSchedule> = fc.record({
  kind: fc.constantFrom<QueueKind>('fifo', 'fifo', 'lifo', 'priority'),
  maxsize: fc.constantFrom(0, 1, 1, 1, 2, 3),
  producers: fc.array(workerArb(6), { minLength: 1, maxLength: 4 }),
  consumers: fc.array(workerArb(1), { minLength: 1, maxLength: 3 }),
  iterate: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
});

type AnyQueue = Queue<number> | LifoQueue<number> | PriorityQueue<number>;

function newQueue(kind: QueueKind, maxsize: number): AnyQueue {
  if (kind === 'lifo') return new LifoQueue<number>(maxsize);
  if (kind === 'priority') return new PriorityQueue<number>(maxsize);
  return new Queue<number>(maxsize);
}

async function runQueueSchedule(s: QueueSchedule): Promise<void> {
  const put: number[] = [];
  const got: number[] = [];
  const remaining: number[] = [];
  await run(
    async () => {
      const q = newQueue(s.kind, s.maxsize);
      // A producer's put may wake a getter, a consumer's get a putter: each strikes the other side.
      const producerTasks: Task<void>[] = [];
      const consumerTasks: Task<void>[] = [];
      const producers = s.producers.map((spec, p) => {
        let next = 0;
        const strike = striker(spec, consumerTasks);
        return createTask(
          worker(spec, async () => {
            while (next < spec.count) {
              await spin(spec.before);
              const item = p * 1000 + next;
              await counted('inPut', () => q.put(item));
              // Recorded in the same step as put() resolving: nothing can run in between.
              put.push(item);
              next++;
              strike();
              await spin(spec.inside);
            }
          }),
        );
      });
      const consumers = s.consumers.map((spec, c) => {
        const strike = striker(spec, producerTasks);
        return createTask(
          worker(spec, async () => {
            if (s.iterate[c] ?? false) {
              // for await: each step is a get(); a cancellation ends the loop by throwing.
              await counted('inGet', async () => {
                for await (const item of q) {
                  got.push(item);
                  q.taskDone();
                  strike();
                  await spin(spec.inside);
                }
              });
              return;
            }
            for (;;) {
              await spin(spec.before);
              const item = await counted('inGet', () => q.get());
              got.push(item);
              q.taskDone();
              strike();
              await spin(spec.inside);
            }
          }),
        );
      });
      const tasks = [...producers, ...consumers];
      producerTasks.push(...producers);
      consumerTasks.push(...consumers);
      const specs = [...s.producers, ...s.consumers];
      const live = (ts: readonly Task<void>[]): number => ts.filter((t) => !t.done()).length;
      await drive(
        tasks,
        specs,
        () => {
          const consumersLive = live(consumers) > 0;
          // A producer may stay blocked only on a full queue nobody empties; a consumer only on
          // an empty queue.
          if (live(producers) > 0 && !(q.full() && !consumersLive)) return false;
          return q.empty() || !consumersLive;
        },
        () => `qsize=${q.qsize()} producers live=${live(producers)} consumers=${live(consumers)}`,
      );
      const size = q.qsize();
      while (!q.empty()) {
        remaining.push(q.getNowait());
        q.taskDone();
      }
      if (remaining.length !== size) {
        throw new Error(`qsize() said ${size} but ${remaining.length} items were left`);
      }
      // Every item taken was marked done, so join() must not block.
      const join = createTask(() => q.join());
      await spin(3);
      if (!join.done()) throw new Error('join() still blocks after every item was marked done');
    },
    { loopFactory: newLoop },
  );

  // No item lost, none duplicated, none invented.
  const seen = new Map<number, number>();
  for (const item of [...got, ...remaining]) seen.set(item, (seen.get(item) ?? 0) + 1);
  for (const [item, times] of seen) {
    if (times > 1) throw new Error(`item ${item} came out ${times} times`);
  }
  const putSet = new Set(put);
  for (const item of seen.keys()) {
    if (!putSet.has(item)) throw new Error(`item ${item} came out but its put() did not resolve`);
  }
  for (const item of put) {
    if (!seen.has(item)) throw new Error(`item ${item} was put but is lost`);
  }
  // FIFO: each producer's items come out of a Queue in the order they went in.
  if (s.kind === 'fifo') {
    const out = [...got, ...remaining];
    const last = new Map<number, number>();
    for (const item of out) {
      const p = Math.floor(item / 1000);
      const prev = last.get(p);
      if (prev !== undefined && prev > item) {
        throw new Error(`FIFO broken: ${prev} came out before ${item} (order ${out.join(',')})`);
      }
      last.set(p, item);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Lock and semaphores

type LockKind = 'lock' | 'semaphore' | 'bounded';

interface LockSchedule {
  readonly kind: LockKind;
  readonly permits: number;
  /**
   * How the workers acquire: `await using _ = await prim.hold()`, acquire() with try/finally
   * release(), or each worker at random (`mixed` picks per worker).
   */
  readonly style: 'hold' | 'acquire' | 'mixed';
  readonly mixed: readonly boolean[];
  readonly workers: readonly WorkerSpec[];
}

const lockScheduleArb: fc.Arbitrary<LockSchedule> = fc
  .record({
    kind: fc.constantFrom<LockKind>('lock', 'semaphore', 'bounded'),
    permits: fc.integer({ min: 1, max: 3 }),
    style: fc.constantFrom<'hold' | 'acquire' | 'mixed'>('hold', 'acquire', 'mixed'),
    mixed: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    workers: fc.array(workerArb(4), { minLength: 1, maxLength: 6 }),
  })
  .map((s) => (s.kind === 'lock' ? { ...s, permits: 1 } : s));

async function runLockSchedule(s: LockSchedule): Promise<void> {
  await run(
    async () => {
      const prim =
        s.kind === 'lock'
          ? new Lock()
          : s.kind === 'semaphore'
            ? new Semaphore(s.permits)
            : new BoundedSemaphore(s.permits);
      let holders = 0;
      let maxHolders = 0;
      let nextCall = 0;
      /**
       * The calls that had to wait (the primitive was locked when they were made), in the order
       * they were made; and every call, in the order its caller saw it succeed.
       */
      const calls: number[] = [];
      const acquired: number[] = [];
      const acquiredAt = new Map<number, number>();
      clock.tick = 0;
      const failed = new Set<number>();
      const enter = (): void => {
        holders++;
        maxHolders = Math.max(maxHolders, holders);
        if (holders > s.permits) {
          throw new Error(`${holders} holders of a primitive with ${s.permits} permits`);
        }
      };
      const all: Task<void>[] = [];
      const tasks = s.workers.map((spec, w) => {
        let done = 0;
        const strike = striker(spec, all);
        const useGuard = s.style === 'mixed' ? (s.mixed[w] ?? false) : s.style === 'hold';
        const seenAcquired = (id: number): void => {
          acquired.push(id);
          acquiredAt.set(id, clock.tick);
        };
        return createTask(
          worker(spec, async () => {
            while (done < spec.count) {
              await spin(spec.before);
              const id = nextCall++;
              if (prim.locked()) calls.push(id);
              if (useGuard) {
                let guard: AsyncDisposable;
                try {
                  guard = await counted('inAcquire', () => prim.hold());
                } catch (error) {
                  failed.add(id);
                  throw error;
                }
                await using _ = guard;
                seenAcquired(id);
                enter();
                try {
                  await counted('inCriticalSection', () => spin(spec.inside));
                } finally {
                  holders--;
                }
              } else {
                try {
                  await counted('inAcquire', () => prim.acquire());
                } catch (error) {
                  failed.add(id);
                  throw error;
                }
                seenAcquired(id);
                enter();
                try {
                  await counted('inCriticalSection', () => spin(spec.inside));
                } finally {
                  holders--;
                  prim.release();
                }
              }
              done++;
              strike();
            }
          }),
        );
      });
      all.push(...tasks);
      await drive(
        tasks,
        s.workers,
        () => tasks.every((t) => t.done()),
        () =>
          `locked=${String(prim.locked())} holders=${holders} ${JSON.stringify(prim.statistics())}`,
      );

      // FIFO: the calls that waited and did not fail were handed the primitive in the order
      // they were made. The hand-over itself is not observable, only the moment each caller
      // resumes; with one permit that is the same order (the next hand-over needs a release).
      // With several permits, two waiters handed permits in the same iteration were seen to
      // resume in either order (tsio resumes tasks in microtasks: python-differences item 7;
      // e.g. semaphore, 3 permits, five workers, no cancellation, seed 916090959). So a later
      // waiter may be seen first only if the earlier one is seen within the same trip of the
      // main task (or the next: the main task is itself one of the tasks of an iteration).
      const waited = new Set(calls);
      const expected = calls.filter((id) => !failed.has(id));
      const seen = acquired.filter((id) => waited.has(id));
      const order = `waited ${expected.join(',')}, seen ${seen.join(',')}`;
      if (expected.length !== seen.length) throw new Error(`waiters lost: ${order}`);
      if (s.permits === 1) {
        if (expected.join(',') !== seen.join(',')) throw new Error(`not FIFO: ${order}`);
      } else {
        seen.forEach((b, j) => {
          for (const a of seen.slice(j + 1)) {
            const late = (acquiredAt.get(a) ?? 0) - (acquiredAt.get(b) ?? 0);
            if (a < b && late > 1) throw new Error(`${b} overtook ${a} by ${late} trips: ${order}`);
          }
        });
      }
      if (holders !== 0) throw new Error(`${holders} holders left at the end`);
      const stats = prim.statistics();
      if (stats.waiters !== 0) throw new Error(`waiters left at the end: ${JSON.stringify(stats)}`);
      if ('value' in stats && stats.value !== s.permits) {
        throw new Error(`the semaphore's value is ${stats.value}, expected ${s.permits}`);
      }
      // No permit lost or created: exactly `permits` acquisitions succeed without waiting.
      for (let i = 0; i < s.permits; i++) {
        if (prim.locked()) throw new Error(`only ${i} of ${s.permits} permits are left`);
        const t = createTask(() => prim.acquire());
        await spin(2);
        if (!t.done()) throw new Error(`acquire() blocked with ${i} of ${s.permits} permits taken`);
      }
      if (!prim.locked()) throw new Error(`more than ${s.permits} permits are left`);
      for (let i = 0; i < s.permits; i++) prim.release();
      if (prim.locked()) throw new Error('still locked after releasing every permit');
    },
    { loopFactory: newLoop },
  );
}

describe('cancel safety (property)', () => {
  it('queues: cancelling producers and consumers at any await never loses, duplicates or reorders an item, and never leaves a waiter stuck', async () => {
    await fc.assert(fc.asyncProperty(queueScheduleArb, runQueueSchedule), { numRuns: RUNS });
    expect(landed.inPut).toBeGreaterThan(0);
    expect(landed.inGet).toBeGreaterThan(0);
  });

  it('Lock, Semaphore, BoundedSemaphore: cancelling users at any await never loses or creates a permit, keeps FIFO order, and never leaves a waiter stuck', async () => {
    await fc.assert(fc.asyncProperty(lockScheduleArb, runLockSchedule), { numRuns: RUNS });
    expect(landed.inAcquire).toBeGreaterThan(0);
    expect(landed.inCriticalSection).toBeGreaterThan(0);
  });
});
