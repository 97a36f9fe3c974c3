import { CancelledError, getRunningLoop, isCancelledError } from '@tsio/core';
import { createTask, Future, sleep, type Task } from '../../src/index.js';
import { runOnNewLoop, spin } from '../helpers.js';

/** Awaits `task` and reports how it ended, for traces. */
async function outcome(task: Task<unknown>): Promise<string> {
  try {
    return `result ${String(await task)}`;
  } catch (e) {
    return isCancelledError(e) ? `cancelled(${e.message})` : `error ${(e as Error).message}`;
  }
}

describe('Task cancellation', () => {
  it('delivers CancelledError at the await of a Future, and cancels that Future (test_cancel_inner_future)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const inner = new Future<number>();
      const task = createTask(async () => {
        try {
          await inner;
          out.push('not reached');
        } catch (e) {
          out.push(`caught ${(e as Error).name}`);
          throw e;
        }
      });
      await spin();
      expect(task.cancel()).toBe(true);
      out.push(await outcome(task));
      out.push(`inner cancelled=${inner.cancelled()} task cancelled=${task.cancelled()}`);
      return out;
    });
    expect(trace).toEqual([
      'caught CancelledError',
      'cancelled()',
      'inner cancelled=true task cancelled=true',
    ]);
  });

  it('delivers CancelledError at the await of a sleep, and removes its timer (test_cancel_yield)', async () => {
    const [trace, elapsed] = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      const t0 = loop.time();
      const task = createTask(async () => {
        out.push('sleeping');
        await sleep(3600);
        out.push('woke (not reached)');
      });
      await spin();
      task.cancel();
      out.push(await outcome(task));
      return [out, loop.time() - t0] as const;
    });
    expect(trace).toEqual(['sleeping', 'cancelled()']);
    expect(elapsed).toBeLessThan(1);
  });

  it('cancels the awaited Task too (test_cancel_awaited_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const child = createTask(async () => {
        try {
          await sleep(10);
        } finally {
          out.push('child finally');
        }
      });
      const parent = createTask(async () => {
        await child;
      });
      await spin(2);
      parent.cancel('from test');
      out.push(`parent: ${await outcome(parent)}`);
      out.push(`child cancelled=${child.cancelled()}`);
      return out;
    });
    expect(trace).toEqual([
      'child finally',
      'parent: cancelled(from test)',
      'child cancelled=true',
    ]);
  });

  it('delivers at the next tsio await when the task is awaiting a native promise', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let release!: () => void;
      const native = new Promise<void>((resolve) => (release = resolve));
      const task = createTask(async () => {
        await native;
        out.push('native promise resolved, still running');
        try {
          await sleep(0);
          out.push('not reached');
        } catch (e) {
          out.push(`next tsio await threw ${(e as Error).name}`);
          throw e;
        }
      });
      await spin();
      task.cancel();
      out.push(`cancelling=${task.cancelling()} done=${task.done()}`);
      release();
      out.push(await outcome(task));
      return out;
    });
    expect(trace).toEqual([
      'cancelling=1 done=false',
      'native promise resolved, still running',
      'next tsio await threw CancelledError',
      'cancelled()',
    ]);
  });

  it('aborts the signal with the CancelledError as reason', async () => {
    const [reason, aborted, sameAsTaskSignal] = await runOnNewLoop(async () => {
      let seen: AbortSignal | undefined;
      const task = createTask(async (signal) => {
        seen = signal;
        await new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
        });
      });
      await spin();
      task.cancel('shutting down');
      await outcome(task);
      return [seen?.reason as unknown, seen?.aborted, seen === task.signal] as const;
    });
    expect(aborted).toBe(true);
    expect(reason).toBeInstanceOf(CancelledError);
    expect((reason as Error).message).toBe('shutting down');
    expect(sameAsTaskSignal).toBe(true);
  });

  it('gives a lazily read signal that is already aborted after cancel()', async () => {
    const aborted = await runOnNewLoop(async () => {
      const task = createTask(async () => sleep(1));
      await spin();
      task.cancel();
      return task.signal.aborted && isCancelledError(task.signal.reason);
    });
    expect(aborted).toBe(true);
  });

  it('ends cancelled, with the message, when cancelled before it starts (test_cancel_with_message_before_starting_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const task = createTask(async () => {
        out.push('body ran (must not)');
      });
      task.cancel('too early');
      out.push(await outcome(task));
      expect(() => task.result()).toThrow(new CancelledError('too early'));
      return out;
    });
    expect(trace).toEqual(['cancelled(too early)']);
  });

  it('ends cancelled when the coroutine returns while a cancellation is pending (test_cancel_at_end)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let task!: Task<string>;
      task = createTask(async () => {
        task.cancel('at end');
        return 'value';
      });
      out.push(await outcome(task));
      return out;
    });
    expect(trace).toEqual(['cancelled(at end)']);
  });

  it('lets a task that catches the CancelledError carry on (test_cancel_task_catching)', async () => {
    const result = await runOnNewLoop(async () => {
      const task = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          if (!isCancelledError(e)) throw e;
        }
        return 'survived';
      });
      await spin();
      task.cancel();
      return [await outcome(task), task.cancelling()];
    });
    expect(result).toEqual(['result survived', 1]);
  });

  it('counts requests with cancelling() and withdraws them with uncancel() (test_uncancel_basic)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const task = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          out.push(`caught; cancelling=${task.cancelling()}`);
          out.push(`uncancel -> ${task.uncancel()}`);
        }
        await sleep(0);
        out.push('next await not cancelled');
        return 'ok';
      });
      await spin();
      expect(task.cancelling()).toBe(0);
      task.cancel();
      task.cancel();
      out.push(`after two cancels: ${task.cancelling()}`);
      task.uncancel();
      out.push(await outcome(task));
      out.push(`uncancel at zero stays zero: ${task.uncancel()}`);
      return out;
    });
    expect(trace).toEqual([
      'after two cancels: 2',
      'caught; cancelling=1',
      'uncancel -> 0',
      'next await not cancelled',
      'result ok',
      'uncancel at zero stays zero: 0',
    ]);
  });

  it('drops a pending (undelivered) cancellation when uncancel() reaches zero', async () => {
    const result = await runOnNewLoop(async () => {
      let release!: () => void;
      const native = new Promise<void>((r) => (release = r));
      const task = createTask(async () => {
        await native;
        await sleep(0);
        return 'not cancelled';
      });
      await spin();
      task.cancel();
      task.uncancel();
      release();
      return outcome(task);
    });
    expect(result).toBe('result not cancelled');
  });

  it('cancel() on a done task returns false and leaves it alone (test_cancel_done_future)', async () => {
    const result = await runOnNewLoop(async () => {
      const task = createTask(async () => 1);
      await task;
      return [task.cancel(), task.cancelling(), task.result()];
    });
    expect(result).toEqual([false, 0, 1]);
  });

  it('cancels the current task from inside (test_cancel_current_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let task!: Task<void>;
      task = createTask(async () => {
        task.cancel();
        out.push('still running after self-cancel');
        await sleep(0);
        out.push('not reached');
      });
      out.push(await outcome(task));
      return out;
    });
    expect(trace).toEqual(['still running after self-cancel', 'cancelled()']);
  });

  it('cancels a pending new waiter at once when the cancellation was requested earlier', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let release!: () => void;
      const native = new Promise<void>((r) => (release = r));
      const inner = new Future<number>();
      const task = createTask(async () => {
        await native;
        try {
          await inner;
        } finally {
          out.push(`inner cancelled=${inner.cancelled()}`);
        }
      });
      await spin();
      task.cancel('later');
      release();
      out.push(await outcome(task));
      return out;
    });
    expect(trace).toEqual(['inner cancelled=true', 'cancelled(later)']);
  });

  it('delivers the cancellation instead of a result that was already on its way', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const inner = new Future<number>();
      const task = createTask(async () => {
        try {
          out.push(`got ${await inner}`);
        } catch (e) {
          out.push(`got ${(e as Error).name}`);
          throw e;
        }
      });
      await spin();
      inner.setResult(1); // the resumption is now scheduled
      task.cancel(); // inner is done, so the cancellation is pending
      out.push(await outcome(task));
      return out;
    });
    expect(trace).toEqual(['got CancelledError', 'cancelled()']);
  });

  it('cancels every future it waits on through Promise.all', async () => {
    const trace = await runOnNewLoop(async () => {
      const a = new Future<number>();
      const b = new Future<number>();
      const task = createTask(async () => Promise.all([a, b]));
      await spin();
      task.cancel();
      return [await outcome(task), a.cancelled(), b.cancelled()];
    });
    expect(trace).toEqual(['cancelled()', true, true]);
  });

  it('does not make a future a waiter through addDoneCallback', async () => {
    const cancelled = await runOnNewLoop(async () => {
      const f = new Future<number>();
      const task = createTask(async () => {
        f.addDoneCallback(() => undefined);
        await sleep(10);
      });
      await spin();
      task.cancel();
      await outcome(task);
      return f.cancelled();
    });
    expect(cancelled).toBe(false);
  });

  it('keeps the first message when cancelled twice before it resumes (test_cancel_with_message_then_future_exception)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const inner = new Future<number>();
      const task = createTask(async () => {
        try {
          await inner;
        } catch (e) {
          out.push(`caught ${(e as Error).message}`);
          throw e;
        }
      });
      await spin();
      task.cancel('m1');
      task.cancel('m2'); // the waiter is already cancelled: this one is pending
      out.push(await outcome(task));
      out.push(`cancelling=${task.cancelling()}`);
      return out;
    });
    expect(trace).toEqual(['caught m1', 'cancelled(m1)', 'cancelling=2']);
  });

  it('cancels a task whose function returns a tsio awaitable without awaiting it', async () => {
    const [trace, elapsed] = await runOnNewLoop(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const inner = new Future<number>();
      const viaSleep = createTask(() => sleep(3600));
      const viaFuture = createTask(() => inner);
      await spin();
      viaSleep.cancel('a');
      viaFuture.cancel('b');
      const out = [
        await outcome(viaSleep),
        await outcome(viaFuture),
        `inner cancelled=${inner.cancelled()}`,
      ];
      return [out, loop.time() - t0] as const;
    });
    expect(trace).toEqual(['cancelled(a)', 'cancelled(b)', 'inner cancelled=true']);
    expect(elapsed).toBeLessThan(1);
  });
});
