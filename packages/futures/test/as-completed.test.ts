import { getRunningLoop, RuntimeError, TimeoutError } from '@tsio/core';
import {
  allTasks,
  asCompleted,
  createTask,
  ensureFuture,
  Future,
  sleep,
  wait,
  type Task,
} from '../src/index.js';
import { runVirtual } from '@tsio/testing';
import { runOnNewLoop, spin, outcome } from './helpers.js';

/**
 * A coroutine function that waits `until` (a number of loop iterations, or a Future the test
 * resolves), records its end, and returns (or throws) its name. No real time: the order of
 * completions does not depend on the speed of the machine.
 */
function worker(out: string[], name: string, until: number | Future<void>, fail = false) {
  return async (): Promise<string> => {
    await (typeof until === 'number' ? spin(until) : until);
    out.push(`${name} ${fail ? 'fails' : 'done'}`);
    if (fail) throw new RangeError(name);
    return name;
  };
}

describe('asCompleted', () => {
  it('hands results back in completion order, with plain iteration (test_as_completed)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const [a, b, c] = [worker(out, 'a', 1), worker(out, 'b', 10), worker(out, 'c', 20)];
      for (const next of asCompleted([b, c, a])) out.push(`got ${await next}`);
      return out;
    });
    expect(trace).toEqual(['a done', 'got a', 'b done', 'got b', 'c done', 'got c']);
  });

  it('yields the finished tasks in completion order, with async iteration (test_as_completed)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const [a, b, c] = [worker(out, 'a', 1), worker(out, 'b', 10), worker(out, 'c', 20)];
      for await (const task of asCompleted([b, c, a])) {
        out.push(`got task done=${task.done()} ${task.result()}`);
      }
      return out;
    });
    expect(trace).toEqual([
      'a done',
      'got task done=true a',
      'b done',
      'got task done=true b',
      'c done',
      'got task done=true c',
    ]);
  });

  it('yields the very tasks it was given, and new tasks for functions (test_as_completed_same_tasks_in_as_out)', async () => {
    const trace = await runOnNewLoop(async () => {
      const fnA = async () => 'a';
      const taskB = createTask(async () => 'b');
      const fnC = async () => 'c';
      const taskD = createTask(async () => 'd');
      const given = new Set<unknown>([fnA, taskB, fnC, taskD]);
      const yielded: Task<string>[] = [];
      for await (const task of asCompleted([fnA, taskB, fnC, taskD]))
        yielded.push(task as Task<string>);
      return [
        yielded
          .filter((t) => given.has(t))
          .map((t) => t.result())
          .sort(),
        yielded.map((t) => t.result()).sort(),
      ];
    });
    expect(trace).toEqual([
      ['b', 'd'],
      ['a', 'b', 'c', 'd'],
    ]);
  });

  it.each([['plain'], ['async']])(
    'throws TimeoutError for what is not done in time, which keeps running (test_as_completed_with_timeout, %s)',
    async (form) => {
      // Virtual time: the timeout fires when nothing else can run, however slow the machine.
      const [trace, waited] = await runVirtual(async () => {
        const out: string[] = [];
        const loop = getRunningLoop();
        const release = new Future<void>(); // resolved only after the timeout expired
        const a = createTask(worker(out, 'a', 1));
        const b = createTask(worker(out, 'b', release));
        const t0 = loop.time();
        let elapsed = 0;
        if (form === 'plain') {
          for (const next of asCompleted([a, b], { timeout: 0.1 })) out.push(await outcome(next));
        } else {
          try {
            for await (const task of asCompleted([a, b], { timeout: 0.1 })) {
              out.push(await outcome(Promise.resolve().then(() => task.result())));
            }
          } catch (e) {
            out.push(`${(e as Error).name} ${e instanceof TimeoutError}`);
          }
        }
        elapsed = loop.time() - t0;
        out.push(`b cancelled=${b.cancelled()}`);
        release.setResult();
        out.push(`b: ${await outcome(b)}`);
        return [out, elapsed] as const;
      });
      expect(trace).toEqual([
        'a done',
        'result "a"',
        form === 'plain'
          ? 'TimeoutError(asCompleted() timed out before every awaitable was done)'
          : 'TimeoutError true',
        'b cancelled=false',
        'b done',
        'b: result "b"',
      ]);
      expect(waited).toBeGreaterThanOrEqual(0.099);
    },
  );

  it.each([['plain'], ['async']])(
    'ignores a timeout that does not expire (test_as_completed_with_unused_timeout, %s)',
    async (form) => {
      // Virtual time: the sleep past the deadline takes no real time.
      const trace = await runVirtual(async () => {
        const out: string[] = [];
        // `a` finishes on the first iterations, far from the deadline even on a loaded machine.
        const a = worker(out, 'a', 1);
        if (form === 'plain') {
          for (const next of asCompleted([a], { timeout: 1 })) out.push(await outcome(next));
        } else {
          for await (const t of asCompleted([a], { timeout: 1 }))
            out.push(`result ${JSON.stringify(t.result())}`);
        }
        await sleep(1.05);
        out.push('after the timeout would have expired');
        return out;
      });
      expect(trace).toEqual(['a done', 'result "a"', 'after the timeout would have expired']);
    },
  );

  it.each([['plain'], ['async']])(
    'can be resumed after a break (test_as_completed_resume_iterator, %s)',
    async (form) => {
      const collected = await runOnNewLoop(async () => {
        const values: number[] = [];
        const fns = [0, 1, 2, 3].map((i) => async () => i);
        const iterator = asCompleted(fns);
        if (form === 'plain') {
          for (const next of iterator) {
            values.push(await next);
            if (values.length === 2) break;
          }
          values.push(-1);
          for (const next of iterator) values.push(await next);
        } else {
          for await (const task of iterator) {
            values.push(task.result());
            if (values.length === 2) break;
          }
          values.push(-1);
          for await (const task of iterator) values.push(task.result());
        }
        return values;
      });
      expect(collected.length).toBe(5);
      expect(collected[2]).toBe(-1);
      expect([...collected].sort()).toEqual([-1, 0, 1, 2, 3]);
    },
  );

  it('gives the first completion to the first awaitable awaited (test_as_completed_reverse_wait)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const nexts = [...asCompleted([worker(out, 'a', 1), worker(out, 'b', 10)])];
      out.push(`${nexts.length} awaitables`);
      out.push(`second awaitable: ${await nexts[1]!}`);
      out.push(`first awaitable: ${await nexts[0]!}`);
      return out;
    });
    expect(trace).toEqual([
      '2 awaitables',
      'a done',
      'second awaitable: a',
      'b done',
      'first awaitable: b',
    ]);
  });

  it('lets the awaitables of plain iteration be awaited concurrently (test_as_completed_concurrent)', async () => {
    const results = await runOnNewLoop(async () => {
      const out: string[] = [];
      const nexts = [...asCompleted([worker(out, 'a', 1), worker(out, 'b', 1)])];
      const [done] = await wait(nexts.map((n) => ensureFuture(n)));
      return [...done].map((f) => f.result()).sort();
    });
    expect(results).toEqual(['a', 'b']);
  });

  it('counts an awaitable given twice once (test_as_completed_duplicate_coroutines)', async () => {
    const results = await runOnNewLoop(async () => {
      const ham = async () => 'ham';
      const values: string[] = [];
      for (const next of asCompleted([ham, ham, async () => 'spam'])) values.push(await next);
      return values.sort();
    });
    expect(results).toEqual(['ham', 'spam']);
  });

  it('reports errors: plain awaitables throw them, async iteration yields the failed task', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      for (const next of asCompleted([worker(out, 'x', 1, true)])) {
        out.push(`plain: ${await outcome(next)}`);
      }
      for await (const task of asCompleted([worker(out, 'y', 1, true)])) {
        out.push(`async: yielded, exception=${String(task.exception())}`);
      }
      return out;
    });
    expect(trace).toEqual([
      'x fails',
      'plain: RangeError(x)',
      'y fails',
      'async: yielded, exception=RangeError: y',
    ]);
  });

  it('loses no completion when the task awaiting one is cancelled', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const gate = new Future<void>();
      const never = new Future<string>();
      const gated = async () => {
        await gate;
        out.push('gated done');
        return 'first';
      };
      const [n0, n1] = [...asCompleted([gated, never])];
      const reader = createTask(async () => await n0!);
      await spin();
      reader.cancel('reader stops');
      out.push(`reader: ${await outcome(reader)}`);
      gate.setResult();
      out.push(`next awaitable: ${await outcome(n1!)}`);
      out.push(`the cancelled one stays cancelled: ${await outcome(n0!)}`);
      never.cancel();
      return out;
    });
    expect(trace).toEqual([
      'reader: CancelledError(reader stops)',
      'gated done',
      'next awaitable: result "first"',
      'the cancelled one stays cancelled: CancelledError(reader stops)',
    ]);
  });

  it('yields nothing for empty input, without needing a loop', async () => {
    const plain = [...asCompleted([])];
    const yielded: unknown[] = [];
    for await (const t of asCompleted([])) yielded.push(t);
    expect([plain, yielded]).toEqual([[], []]);
  });

  it('needs a loop to wrap coroutine functions (test_as_completed_coroutine_without_loop)', () => {
    expect(() => asCompleted([async () => 42])).toThrow(RuntimeError);
    expect(() => asCompleted([async () => 42])).toThrow('no running event loop');
  });

  it('uses the running loop (test_as_completed_coroutine_use_running_loop)', async () => {
    const value = await runOnNewLoop(async () => {
      const nexts = [...asCompleted([async () => 42])];
      return [nexts.length, await nexts[0]!];
    });
    expect(value).toEqual([1, 42]);
  });

  describe('bad input (test_as_completed_invalid_args)', () => {
    it('throws a TypeError naming the problem, and starts no task', async () => {
      const trace = await runOnNewLoop(async () => {
        const errorOf = (f: () => unknown) => {
          try {
            f();
            return 'no error';
          } catch (e) {
            return `${(e as Error).name}: ${(e as Error).message}`;
          }
        };
        const fut = new Future<number>();
        const before = allTasks().size;
        const out = [
          errorOf(() => asCompleted(fut as never)),
          errorOf(() => asCompleted((async () => 1) as never)),
          errorOf(() => asCompleted(5 as never)),
          errorOf(() => asCompleted([async () => 1, 7 as never])),
          errorOf(() => asCompleted([fut], { timeout: 'soon' as never })),
          `tasks started: ${allTasks().size - before}`,
        ];
        fut.cancel();
        return out;
      });
      expect(trace).toEqual([
        'TypeError: asCompleted() expects an iterable of awaitables, not a thenable (Future)',
        'TypeError: asCompleted() expects an iterable of awaitables, not function (anonymous)',
        'TypeError: asCompleted() expects an iterable of awaitables, got number 5',
        'TypeError: asCompleted(): aws[1] is not awaitable (got number 7); pass a Future, a ' +
          'Task, a promise or a coroutine function',
        'TypeError: asCompleted(): timeout must be a number of seconds or null, got string soon',
        'tasks started: 0',
      ]);
    });
  });
});

describe('asCompleted types', () => {
  it('types the yielded futures as the objects passed, and awaitables by their values', async () => {
    const trace = await runOnNewLoop(async () => {
      const named = createTask(async () => 1, { name: 'named' });
      const fn = async () => 'text';
      const out: string[] = [];
      for await (const finished of asCompleted([named, fn])) {
        // A Task passed in comes back as that Task; the one made for fn is a Task too.
        const value: number | string = finished.result();
        out.push(`${finished === named ? finished.getName() : 'made for fn'}: ${value}`);
      }
      for (const next of asCompleted([named, fn])) {
        const value: number | string = await next;
        out.push(`plain: ${value}`);
      }
      return out.sort();
    });
    expect(trace).toEqual(['made for fn: text', 'named: 1', 'plain: 1', 'plain: text']);
  });
});
