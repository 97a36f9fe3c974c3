import {
  CancelledError,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  ValueError,
} from '@tsio/core';
import { BaseEventLoop } from '@tsio/event-loop';
import { allTasks, createTask, Future, gather, sleep } from '../src/index.js';
import { runOnNewLoop, spin, outcome } from './helpers.js';

/** A child that waits `until` (seconds, or a Future the test resolves) and records how it ends. */
function child(out: string[], name: string, until: number | Future<void>, fail = false) {
  return async () => {
    try {
      await (typeof until === 'number' ? sleep(until) : until);
    } catch (e) {
      out.push(`${name} ${isCancelledError(e) ? `cancelled(${e.message})` : 'error'}`);
      throw e;
    }
    if (fail) {
      out.push(`${name} fails`);
      throw new Error(`${name} failed`);
    }
    out.push(`${name} done`);
    return name;
  };
}

describe('gather', () => {
  it.each([[false], [true]])(
    'gives the results in argument order, not completion order (test_success, returnExceptions=%s)',
    async (returnExceptions) => {
      const trace = await runOnNewLoop(async () => {
        const out: string[] = [];
        const [a, b, c] = [new Future<number>(), new Future<number>(), new Future<number>()];
        const fut = gather([a, b, c], { returnExceptions });
        fut.addDoneCallback(() => out.push('gather done'));
        b.setResult(1);
        a.setResult(2);
        await spin(2);
        out.push(`after a and b: done=${fut.done()}`);
        const awaiter = createTask(() => outcome(fut));
        await spin();
        c.setResult(3);
        out.push(await awaiter);
        return out;
      });
      expect(trace).toEqual(['after a and b: done=false', 'gather done', 'result [2,1,3]']);
    },
  );

  it('fails with the first error at once; the other children keep running (test_one_exception)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const release = new Future<void>(); // b runs until the test resolves this
      const a = createTask(child(out, 'a', 0, true));
      const b = createTask(child(out, 'b', release));
      const fut = gather(a, b);
      out.push(await outcome(fut));
      out.push(`b done=${b.done()}`);
      release.setResult();
      out.push(`b: ${await outcome(b)}`);
      out.push(`gather still ${await outcome(fut)}`);
      return out;
    });
    expect(trace).toEqual([
      'a fails',
      'Error(a failed)',
      'b done=false',
      'b done',
      'b: result "b"',
      'gather still Error(a failed)',
    ]);
  });

  it('puts errors among the results with returnExceptions (test_return_exceptions)', async () => {
    const [trace, results] = await runOnNewLoop(async () => {
      const out: string[] = [];
      const [a, b, c, d] = [0, 1, 2, 3].map(() => new Future<number>());
      const fut = gather([a!, b!, c!, d!], { returnExceptions: true });
      const zde = new RangeError('zero');
      b!.setResult(1);
      c!.setException(zde);
      a!.setResult(3);
      await spin(2);
      out.push(`done=${fut.done()}`);
      d!.setException(new ValueError('d'));
      const res = await fut;
      out.push(`c's error is the same object: ${res[2] === zde}`);
      return [out, res] as const;
    });
    expect(trace).toEqual(['done=false', "c's error is the same object: true"]);
    expect(results.slice(0, 2)).toEqual([3, 1]);
    expect(results[3]).toBeInstanceOf(ValueError);
  });

  it('fails with CancelledError when a child is cancelled, without being cancelled itself (test_one_cancellation)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const [a, b, c] = [new Future<number>(), new Future<number>(), new Future<number>()];
      const fut = gather(a, b, c);
      a.setResult(1);
      b.cancel('b stops');
      out.push(await outcome(fut));
      out.push(`gather cancelled=${fut.cancelled()} exception=${String(fut.exception())}`);
      c.setResult(3); // does nothing to the gather
      await spin();
      out.push(`c pending was left alone: ${c.result()}`);
      return out;
    });
    expect(trace).toEqual([
      'CancelledError(b stops)',
      'gather cancelled=false exception=CancelledError: b stops',
      'c pending was left alone: 3',
    ]);
  });

  it("makes a child's CancelledError a value with returnExceptions (test_result_exception_one_cancellation)", async () => {
    const results = await runOnNewLoop(async () => {
      const [a, b, c] = [new Future<number>(), new Future<number>(), new Future<number>()];
      const fut = gather([a, b, c], { returnExceptions: true });
      a.setResult(1);
      b.cancel('why');
      c.setResult(3);
      return await fut;
    });
    expect(results[0]).toBe(1);
    expect(results[1]).toBeInstanceOf(CancelledError);
    expect((results[1] as Error).message).toBe('why');
    expect(results[2]).toBe(3);
  });

  it('wraps coroutine functions and promises in tasks, and runs the same one once (test_duplicate_coroutines)', async () => {
    const [trace, results] = await runOnNewLoop(async () => {
      const out: string[] = [];
      const ham = async () => {
        out.push('ham runs');
        return 'ham';
      };
      const promise = Promise.resolve('native');
      const res = await gather(ham, ham, async () => 'spam', promise, ham, promise);
      return [out, res] as const;
    });
    expect(trace).toEqual(['ham runs']);
    expect(results).toEqual(['ham', 'ham', 'spam', 'native', 'ham', 'native']);
  });

  it('is cancelled with the task that awaits it, and cancels its children (test_cancellation_broadcast)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const waiter = new Future<void>();
      const inner = (name: string) => async () => {
        try {
          await waiter;
          out.push(`${name} not reached`);
        } catch (e) {
          out.push(`${name} ${isCancelledError(e) ? `cancelled(${e.message})` : 'error'}`);
          throw e;
        }
      };
      const child1 = createTask(inner('child1'));
      const child2 = createTask(inner('child2'));
      let gatherer: Future<unknown> | null = null;
      const outer = createTask(async () => {
        gatherer = gather(child1, child2);
        try {
          await gatherer;
        } catch (e) {
          out.push(`outer got ${String(e)}`);
          throw e;
        }
      });
      await spin();
      out.push(`outer.cancel() -> ${outer.cancel('stop')}`);
      out.push(`outer: ${await outcome(outer)}`);
      const g = gatherer as unknown as Future<unknown>;
      out.push(`gather.cancel() -> ${g.cancel()}, waiter cancelled=${waiter.cancelled()}`);
      out.push(`children cancelled: ${child1.cancelled()} ${child2.cancelled()}`);
      return out;
    });
    expect(trace).toEqual([
      'outer.cancel() -> true',
      'child1 cancelled(stop)',
      'child2 cancelled(stop)',
      'outer got CancelledError: stop',
      'outer: CancelledError(stop)',
      'gather.cancel() -> false, waiter cancelled=true',
      'children cancelled: true true',
    ]);
  });

  it.each([[true], [false]])(
    'cancelled while a child is already done: cancels the rest and fails with CancelledError (issue 3 edge case, returnExceptions=%s)',
    async (returnExceptions) => {
      const trace = await runOnNewLoop(async () => {
        const out: string[] = [];
        const a = createTask(child(out, 'a', 0));
        const b = createTask(child(out, 'b', 1));
        const g = gather([a, b], { returnExceptions });
        await spin(2);
        out.push(`a done=${a.done()}, gather.cancel() -> ${g.cancel('stop')}`);
        out.push(`await gather: ${await outcome(g)}`);
        out.push(`gather cancelled=${g.cancelled()} done=${g.done()}`);
        out.push(`a: ${await outcome(a)}, b: ${await outcome(b)}`);
        return out;
      });
      expect(trace).toEqual([
        'a done',
        'a done=true, gather.cancel() -> true',
        'b cancelled(stop)',
        'await gather: CancelledError(stop)',
        'gather cancelled=false done=true',
        'a: result "a", b: CancelledError(stop)',
      ]);
    },
  );

  it('sends one cancellation request to a task given twice (difference: asyncio sends one per argument)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const t = createTask(child(out, 't', 1));
      const g = gather(t, t);
      await spin();
      out.push(`gather.cancel() -> ${g.cancel('once')}, t.cancelling()=${t.cancelling()}`);
      out.push(`gather: ${await outcome(g)}`);
      return out;
    });
    expect(trace).toEqual([
      'gather.cancel() -> true, t.cancelling()=1',
      't cancelled(once)',
      'gather: CancelledError(once)',
    ]);
  });

  it('refuses cancellation once every child is done, and keeps the results (test_cancel_gather_1)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const fut = new Future<number>();
      const task = createTask(async () => 'task');
      const g = gather(task, fut);
      await task;
      fut.setResult(42);
      // Every child is done, but the gather has not heard of fut yet.
      out.push(`gather done=${g.done()}, gather.cancel() -> ${g.cancel('late')}`);
      out.push(await outcome(g));
      out.push(`gather cancelled=${g.cancelled()}`);
      return out;
    });
    expect(trace).toEqual([
      'gather done=false, gather.cancel() -> false',
      'result ["task",42]',
      'gather cancelled=false',
    ]);
  });

  it('still cancels the awaiting task when the gather refuses cancellation (test_cancel_gather_1, from a task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const fut = new Future<number>();
      const g = gather(fut);
      const awaiting = createTask(async () => {
        try {
          return await g;
        } catch (e) {
          out.push(`awaiting task got ${String(e)}`);
          throw e;
        }
      });
      await spin();
      fut.setResult(42);
      out.push(`awaiting.cancel('now') -> ${awaiting.cancel('now')}`);
      out.push(`awaiting: ${await outcome(awaiting)}`);
      out.push(`gather: ${await outcome(g)}`);
      return out;
    });
    expect(trace).toEqual([
      "awaiting.cancel('now') -> true",
      'awaiting task got CancelledError: now',
      'awaiting: CancelledError(now)',
      'gather: result [42]',
    ]);
  });

  it('propagates the cancel message of the awaiting task through a gather of sleeps (test_cancel_gather_2)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const looper = createTask(async () => {
        for (;;) await gather([sleep(0.005)], { returnExceptions: true });
      });
      await sleep(0.02);
      looper.cancel('my message');
      out.push(await outcome(looper));
      return out;
    });
    expect(trace).toEqual(['CancelledError(my message)']);
  });

  it('works from inside tasks: a failing child reaches the awaiting task (test_exception_marking)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const [a, b] = [new Future<void>(), new Future<void>()];
      const inner = (f: Future<void>, name: string) => async () => {
        await f;
        throw new RuntimeError(`${name} should not be ignored`);
      };
      const outer = createTask(async () => {
        await gather(inner(a, 'a'), inner(b, 'b'));
      });
      await spin();
      a.setResult();
      await spin(2);
      b.setResult();
      await spin(2);
      out.push(`outer: ${await outcome(outer)}`);
      return out;
    });
    expect(trace).toEqual(['outer: RuntimeError(a should not be ignored)']);
  });

  it('returns a finished Future of [] with no arguments (test_constructor_empty_sequence_use_running_loop)', async () => {
    const trace = await runOnNewLoop(async () => {
      const fut = gather();
      return [fut instanceof Future, fut.getLoop() === getRunningLoop(), fut.done(), await fut];
    });
    expect(trace).toEqual([true, true, true, []]);
  });

  it('needs a loop for no arguments and for coroutine functions (test_constructor_empty_sequence_without_loop)', () => {
    expect(() => gather()).toThrow(RuntimeError);
    expect(() => gather()).toThrow('no running event loop');
    expect(() => gather(async () => 1)).toThrow('no running event loop');
  });

  it('finishes at once when every child is already done', async () => {
    const trace = await runOnNewLoop(async () => {
      const a = new Future<number>();
      a.setResult(1);
      const g = gather(a, a);
      return [g.done(), g.result()];
    });
    expect(trace).toEqual([true, [1, 1]]);
  });

  it('takes the loop of its futures and refuses futures of two loops (test_constructor_heterogenous_futures, test_constructor_homogenous_futures)', async () => {
    const one = new BaseEventLoop();
    const other = new BaseEventLoop();
    try {
      const children = [0, 1, 2].map(() => new Future<number>({ loop: other }));
      const g = gather(...children);
      expect(g.getLoop()).toBe(other);
      const mixed = [new Future({ loop: one }), new Future({ loop: other })];
      expect(() => gather(...mixed)).toThrow(ValueError);
      expect(() => gather(...mixed)).toThrow(
        'gather(): argument 2 belongs to a different event loop than argument 1',
      );
    } finally {
      one.close();
      other.close();
    }
  });

  describe('bad input', () => {
    it('names the argument that is not awaitable, and starts no task (test_issue46672)', async () => {
      const trace = await runOnNewLoop(async () => {
        const out: string[] = [];
        const errorOf = (f: () => unknown) => {
          try {
            f();
            return 'no error';
          } catch (e) {
            return `${(e as Error).name}: ${(e as Error).message}`;
          }
        };
        const before = allTasks().size;
        const work = async () => 1;
        out.push(errorOf(() => gather(work, 5 as never)));
        out.push(errorOf(() => gather([work, null as never])));
        out.push(`tasks started: ${allTasks().size - before}`);
        return out;
      });
      expect(trace).toEqual([
        'TypeError: gather(): argument 2 is not awaitable (got number 5); pass a Future, a Task, ' +
          'a promise or a coroutine function; to pass options, give the awaitables as an array: ' +
          'gather([a, b], { returnExceptions: true })',
        'TypeError: gather(): aws[1] is not awaitable (got null); pass a Future, a Task, a promise ' +
          'or a coroutine function',
        'tasks started: 0',
      ]);
    });

    it('tells the two call forms apart and rejects bad options', async () => {
      await runOnNewLoop(async () => {
        const t = new Future<number>();
        expect(() => gather(t, { returnExceptions: true } as never)).toThrow(
          /argument 2 is not awaitable \(got an object \(Object\)\).*gather\(\[a, b\], \{ returnExceptions: true \}\)/,
        );
        expect(() => gather([t], 5 as never)).toThrow(
          'gather(aws, options): options must be an object such as { returnExceptions: true }, got number 5',
        );
        expect(() => (gather as (...a: unknown[]) => unknown)([t], {}, t)).toThrow(
          'gather(aws, options) takes 2 arguments, got 3: put every awaitable in the array',
        );
        expect(() => gather([t], { returnExceptions: 'yes' as never })).toThrow(
          'gather(): returnExceptions must be a boolean, got string yes',
        );
        expect(() => gather([t], t as never)).toThrow(TypeError);
        t.cancel();
      });
    });
  });

  it('types the results per argument', async () => {
    await runOnNewLoop(async () => {
      const n = createTask(async () => 1);
      const s = async () => 'x';
      const [a, b]: [number, string] = await gather(n, s);
      const [c, d]: [number, string] = await gather([n, s]);
      const [e]: [number | Error, string | Error] = await gather([n, s], {
        returnExceptions: true,
      });
      expect([a, b, c, d, e]).toEqual([1, 'x', 1, 'x', 1]);
    });
  });
});
