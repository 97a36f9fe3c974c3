import { getRunningLoop, isCancelledError, RuntimeError, ValueError } from '@tsio/core';
import { BaseEventLoop } from '@tsio/event-loop';
import {
  ALL_COMPLETED,
  createTask,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  sleep,
  wait,
  type Task,
} from '../src/index.js';
import { runVirtual } from '@tsio/testing';
import { runOnNewLoop, spin } from './helpers.js';

/**
 * A task that waits `until` (seconds, or a Future the test resolves), records its end in `out`,
 * and returns its name.
 */
function sleeper(
  out: string[],
  name: string,
  until: number | Future<void>,
  fail = false,
): Task<string> {
  return createTask(
    async () => {
      await (typeof until === 'number' ? sleep(until) : until);
      out.push(`${name} ${fail ? 'fails' : 'done'}`);
      if (fail) throw new RangeError(name);
      return name;
    },
    { name },
  );
}

/** The names of a set of tasks, sorted. */
function names(set: Set<Task<unknown>>): string {
  return `{${[...set]
    .map((t) => t.getName())
    .sort()
    .join(', ')}}`;
}

/** The error `promise` rejects with, as text. */
async function rejection(promise: PromiseLike<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('wait', () => {
  it('exports the asyncio constants', () => {
    expect([FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED]).toEqual([
      'FIRST_COMPLETED',
      'FIRST_EXCEPTION',
      'ALL_COMPLETED',
    ]);
  });

  it('waits for all by default, then resolves at once for done futures (test_wait)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const a = sleeper(out, 'a', 0.01);
      const b = sleeper(out, 'b', 0.02);
      let [done, pending] = await wait([b, a]);
      out.push(`done=${names(done)} pending=${names(pending)}`);
      getRunningLoop().callSoon(() => out.push('callback scheduled before the second wait'));
      [done, pending] = await wait([b, a]);
      out.push(`again: done=${names(done)} pending=${names(pending)}`);
      return out;
    });
    expect(trace).toEqual([
      'a done',
      'b done',
      'done={a, b} pending={}',
      'callback scheduled before the second wait',
      'again: done={a, b} pending={}',
    ]);
  });

  it('counts a future given twice once (test_wait_duplicate_coroutines)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const c = sleeper(out, 'c', 0);
      const [done, pending] = await wait([c, c, sleeper(out, 'spam', 0)]);
      return [done.size, pending.size, [...done].map((f) => f.result()).sort()];
    });
    expect(trace).toEqual([2, 0, ['c', 'spam']]);
  });

  it('returns at the first completion with FIRST_COMPLETED, cancelling nothing (test_wait_first_completed)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const a = sleeper(out, 'a', 10);
      const b = sleeper(out, 'b', 0.01);
      const [done, pending] = await wait([b, a], { returnWhen: FIRST_COMPLETED });
      out.push(`done=${names(done)} pending=${names(pending)} a cancelled=${a.cancelled()}`);
      a.cancel();
      return out;
    });
    expect(trace).toEqual(['b done', 'done={b} pending={a} a cancelled=false']);
  });

  it('counts every future that is done by the time it returns (test_wait_really_done)', async () => {
    const trace = await runOnNewLoop(async () => {
      const a = createTask(async () => await sleep(0), { name: 'a' });
      const b = createTask(
        async () => {
          await sleep(0);
          await sleep(0);
        },
        { name: 'b' },
      );
      const [done] = await wait([b, a], { returnWhen: FIRST_COMPLETED });
      return names(done);
    });
    expect(trace).toEqual('{a, b}');
  });

  it('returns at once when a future already failed, with FIRST_EXCEPTION (test_wait_first_exception)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const a = sleeper(out, 'a', 10);
      const b = createTask(
        async () => {
          throw new RangeError('err');
        },
        { name: 'b' },
      );
      const [done, pending] = await wait([b, a], { returnWhen: FIRST_EXCEPTION });
      out.push(`done=${names(done)} pending=${names(pending)}`);
      a.cancel();
      return out;
    });
    expect(trace).toEqual(['done={b} pending={a}']);
  });

  it('returns when a future fails during the wait, with FIRST_EXCEPTION (test_wait_first_exception_in_wait)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const a = sleeper(out, 'a', 10);
      const b = sleeper(out, 'b', 0.01, true);
      const [done, pending] = await wait([b, a], { returnWhen: FIRST_EXCEPTION });
      out.push(`done=${names(done)} pending=${names(pending)}`);
      a.cancel();
      return out;
    });
    expect(trace).toEqual(['b fails', 'done={b} pending={a}']);
  });

  it('does not count a cancellation as an exception with FIRST_EXCEPTION', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const a = sleeper(out, 'a', 0.02);
      const b = sleeper(out, 'b', 10);
      getRunningLoop().callLater(0.005, () => {
        out.push('cancel b');
        b.cancel();
      });
      const [done, pending] = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
      out.push(`done=${names(done)} pending=${names(pending)}`);
      return out;
    });
    expect(trace).toEqual(['cancel b', 'a done', 'done={a, b} pending={}']);
  });

  it('never throws the errors of the futures (test_wait_with_exception)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const a = sleeper(out, 'a', 0.01);
      const b = sleeper(out, 'b', 0.02, true);
      const [done, pending] = await wait([b, a]);
      const errors = [...done].filter((f) => f.exception() !== null);
      out.push(`done=${names(done)} pending=${names(pending)} errors=${errors.length}`);
      return out;
    });
    expect(trace).toEqual(['a done', 'b fails', 'done={a, b} pending={} errors=1']);
  });

  it('returns on timeout with the rest pending and still running (test_wait_with_timeout)', async () => {
    // Virtual time: the timeout fires when nothing else can run, however slow the machine.
    const [trace, waited] = await runVirtual(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      const release = new Future<void>(); // resolved only after the timeout expired
      const a = sleeper(out, 'a', 0);
      const b = sleeper(out, 'b', release);
      const t0 = loop.time();
      const [done, pending] = await wait([b, a], { timeout: 0.1 });
      const elapsed = loop.time() - t0;
      out.push(`done=${names(done)} pending=${names(pending)} b cancelled=${b.cancelled()}`);
      release.setResult();
      out.push(`b: ${await b}`);
      return [out, elapsed] as const;
    });
    expect(trace).toEqual(['a done', 'done={a} pending={b} b cancelled=false', 'b done', 'b: b']);
    expect(waited).toBeGreaterThanOrEqual(0.099);
  });

  it('accepts any iterable, a generator included (test_wait_with_iterator_of_tasks, test_wait_generator)', async () => {
    const sizes = await runOnNewLoop(async () => {
      const out: string[] = [];
      const tasks = [sleeper(out, 'a', 0), sleeper(out, 'b', 0)];
      const [done1] = await wait(tasks[Symbol.iterator](), { returnWhen: ALL_COMPLETED });
      function* generate() {
        for (let i = 0; i < 10; i++) yield sleeper(out, `t${i}`, 0);
      }
      const [done2, pending2] = await wait(generate());
      return [done1.size, done2.size, pending2.size];
    });
    expect(sizes).toEqual([2, 10, 0]);
  });

  it('cancels only the wait, not the futures, when the awaiting task is cancelled', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const release = new Future<void>();
      const a = sleeper(out, 'a', release);
      const waiter = createTask(async () => {
        try {
          await wait([a]);
        } catch (e) {
          out.push(`waiter got ${isCancelledError(e) ? 'CancelledError' : String(e)}`);
          throw e;
        }
      });
      await spin();
      waiter.cancel();
      await spin(2);
      out.push(`waiter cancelled=${waiter.cancelled()} a cancelled=${a.cancelled()}`);
      release.setResult();
      out.push(`a: ${await a}`);
      return out;
    });
    expect(trace).toEqual([
      'waiter got CancelledError',
      'waiter cancelled=true a cancelled=false',
      'a done',
      'a: a',
    ]);
  });

  describe('bad input (test_wait_errors, test_wait_invalid_args)', () => {
    it('rejects with the documented errors', async () => {
      const trace = await runOnNewLoop(async () => {
        const fut = new Future<number>();
        const results = [
          await rejection(wait([])),
          await rejection(wait(new Set<Future<unknown>>())),
          await rejection(wait([fut], { returnWhen: -1 as never })),
          await rejection(wait(fut as never)),
          await rejection(wait((async () => 1) as never)),
          await rejection(wait(5 as never)),
          await rejection(wait([fut, async () => 1] as never)),
          await rejection(wait([fut, Promise.resolve(1)] as never)),
          await rejection(wait([fut, 'x'] as never)),
          await rejection(wait([fut], { timeout: Number.NaN })),
        ];
        fut.cancel();
        return results;
      });
      const fix =
        ': wrap it in a task first, createTask(fn), so that you can find it in the done and pending sets';
      expect(trace).toEqual([
        'ValueError: Set of Tasks/Futures is empty.',
        'ValueError: Set of Tasks/Futures is empty.',
        'ValueError: Invalid return_when value: -1',
        'TypeError: wait() expects a collection of futures, not a thenable (Future)',
        'TypeError: wait() expects a collection of futures, not function (anonymous)',
        'TypeError: wait() expects an iterable of futures, got number 5',
        `TypeError: wait(): fs[1] is not a Future or Task (got function (anonymous))${fix}`,
        `TypeError: wait(): fs[1] is not a Future or Task (got a Promise)${fix}`,
        'TypeError: wait(): fs[1] is not a Future or Task (got string x)',
        'TypeError: wait(): timeout must be a number of seconds or null, got number NaN',
      ]);
    });

    it('needs a running loop', async () => {
      const loop = new BaseEventLoop();
      try {
        const promise = wait([new Future({ loop })]);
        await expect(promise).rejects.toBeInstanceOf(RuntimeError);
        await expect(promise).rejects.toThrow('no running event loop');
      } finally {
        loop.close();
      }
    });

    it('rejects instead of throwing: errors come at the await, as in asyncio', async () => {
      let promise: Promise<unknown> | null = null;
      expect(() => (promise = wait([]))).not.toThrow();
      await expect(promise).rejects.toBeInstanceOf(ValueError);
    });
  });
});
