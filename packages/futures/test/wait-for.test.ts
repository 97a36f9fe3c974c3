import { getRunningLoop, RuntimeError, TimeoutError } from '@tsio/core';
import { createTask, currentTask, Future, sleep, waitFor } from '../src/index.js';
import { busyUntil, cancelling, named, runOnNewLoop, settle, spin } from './helpers.js';

describe('waitFor()', () => {
  it('cancels the task on timeout and waits for it to finish (test_wait_for)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const task = createTask(async () => {
        try {
          await sleep(3600);
        } finally {
          out.push('task finally');
        }
        return 'done';
      });
      out.push(await settle(waitFor(task, 0.01)));
      out.push(`task cancelled=${task.cancelled()} cancelling=${cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'task finally',
      'TimeoutError(cause=CancelledError)',
      'task cancelled=true cancelling=0',
    ]);
  });

  it('waits without limit with null (test_wait_for_blocking)', async () => {
    const r = await runOnNewLoop(async () => await waitFor(async () => 'done', null));
    expect(r).toBe('done');
  });

  it('returns a result that arrives before the deadline (test_wait_for_race_condition)', async () => {
    const r = await runOnNewLoop(async () => {
      const fut = new Future<string>();
      getRunningLoop().callSoon(() => fut.setResult('ok'));
      return await waitFor(fut, 1);
    });
    expect(r).toBe('ok');
  });

  it('runs a coroutine function in the calling task, with the Timeout signal (3.12+)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const me = currentTask();
      const result = await settle(
        waitFor(async (signal) => {
          out.push(`same task=${currentTask() === me} signal aborted=${signal.aborted}`);
          signal.addEventListener('abort', () => out.push('signal aborted'));
          await sleep(10);
        }, 0.01),
      );
      out.push(result);
      return out;
    });
    expect(trace).toEqual([
      'same task=true signal aborted=false',
      'signal aborted',
      'TimeoutError(cause=CancelledError)',
    ]);
  });

  it('returns the value of a coroutine that swallows the cancellation (test_wait_for_cancellation_race_condition, test_wait_for_cancel_suppressed)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const r = await waitFor(async () => {
        try {
          await sleep(10);
        } catch (e) {
          out.push(`inner caught ${named(e)}`);
        }
        return 42;
      }, 0.01);
      out.push(`value ${r}, cancelling=${cancelling()}`);
      await sleep(0);
      out.push('next await is not cancelled');
      return out;
    });
    expect(trace).toEqual([
      'inner caught CancelledError',
      'value 42, cancelling=0',
      'next await is not cancelled',
    ]);
  });

  it('returns the value of a task that swallows the cancellation', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const inner = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          out.push(`inner caught ${named(e)}`);
          await sleep(0.01);
          out.push('inner cleanup done');
        }
        return 42;
      });
      out.push(await settle(waitFor(inner, 0.01)));
      out.push(`outer cancelling=${cancelling()} inner cancelling=${inner.cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'inner caught CancelledError',
      'inner cleanup done',
      'value 42',
      'outer cancelling=0 inner cancelling=1',
    ]);
  });

  it('waits for a task that ignores cancellations until it exits (test_asyncio_wait_for_timeout)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      const exitAt = loop.time() + 0.3; // well after the deadline of 0.1 s
      const slow = createTask(async () => {
        while (loop.time() < exitAt) {
          try {
            await sleep(exitAt - loop.time());
          } catch {
            out.push('slow ignored a cancel');
          }
        }
        out.push('slow exited');
      });
      out.push(await settle(waitFor(slow, 0.1)));
      return out;
    });
    expect(trace).toEqual(['slow ignored a cancel', 'slow exited', 'value undefined']);
  });

  it('waits for the task to handle its cancellation, with the CancelledError as cause (test_wait_for_waits_for_task_cancellation)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const inner = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          await sleep(0.001);
          out.push('inner handled its cancellation');
          throw e;
        } finally {
          out.push('inner finally');
        }
      });
      out.push(await settle(waitFor(inner, 0.001)));
      return out;
    });
    expect(trace).toEqual([
      'inner handled its cancellation',
      'inner finally',
      'TimeoutError(cause=CancelledError)',
    ]);
  });

  it('throws the error the task raises while cancelled (test_wait_for_reraises_exception_during_cancellation)', async () => {
    const r = await runOnNewLoop(async () => {
      const inner = createTask(async () => {
        try {
          await sleep(0.2);
        } finally {
          throw new RangeError('FooException');
        }
      });
      return await settle(waitFor(inner, 0.001));
    });
    expect(r).toBe('RangeError');
  });

  it('cancels the inner task when the wait is cancelled (test_cancel_blocking_wait_for, test_cancel_wait_for)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      for (const limit of [null, 60]) {
        const blocked = createTask(async () => await new Future<void>());
        const wait = createTask(async () => await waitFor(blocked, limit));
        getRunningLoop().callSoon(() => wait.cancel());
        out.push(`${String(limit)}: ${await settle(wait)} inner cancelled=${blocked.cancelled()}`);
      }
      return out;
    });
    expect(trace).toEqual([
      'null: CancelledError inner cancelled=true',
      '60: CancelledError inner cancelled=true',
    ]);
  });

  it('stays a CancelledError when the caller is cancelled, with right cancelling() counts', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const waiting = createTask(async () => {
        try {
          await waitFor(async () => await sleep(10), 10);
        } catch (e) {
          out.push(`caught ${named(e)}, cancelling=${cancelling()}`);
          throw e;
        }
      });
      await spin();
      waiting.cancel();
      out.push(await settle(waiting));
      out.push(`cancelled=${waiting.cancelled()} cancelling=${waiting.cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'caught CancelledError, cancelling=1',
      'CancelledError',
      'cancelled=true cancelling=1',
    ]);
  });

  it('does not swallow a cancel that comes right after the inner task finished (test_wait_for_issue86296)', async () => {
    const trace = await runOnNewLoop(async () => {
      let reachedEnd = false;
      const inner = createTask(async () => 'done');
      const task = createTask(async () => {
        await waitFor(inner, 100);
        await sleep(1);
        reachedEnd = true;
      });
      await sleep(0);
      task.cancel();
      return [await settle(task), `inner ${await inner}`, `reached end=${reachedEnd}`];
    });
    expect(trace).toEqual(['CancelledError', 'inner done', 'reached end=false']);
  });

  it('keeps a result produced in the same iteration as the deadline', async () => {
    const trace = await runOnNewLoop(async () => {
      const loop = getRunningLoop();
      const out: string[] = [];
      for (const outcome of ['result', 'error'] as const) {
        const fut = new Future<string>();
        const now = loop.time();
        // Due before the deadline; a busy callback makes both due in the same iteration,
        // so the future is done when the timeout cancels the waiting task.
        loop.callAt(now + 0.01, () => {
          if (outcome === 'result') fut.setResult('ok');
          else fut.setException(new RangeError('failed'));
        });
        loop.callAt(now + 0.005, () => busyUntil(now + 0.03));
        out.push(`${outcome}: ${await settle(waitFor(fut, 0.02))} cancelling=${cancelling()}`);
      }
      return out;
    });
    expect(trace).toEqual(['result: value ok cancelling=0', 'error: RangeError cancelling=0']);
  });

  it('abandons a native promise on timeout (it cannot be cancelled)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let release!: (v: string) => void;
      const never = new Promise<string>((resolve) => (release = resolve));
      out.push(await settle(waitFor(never, 0.01)));
      release('late');
      out.push(await settle(waitFor(Promise.resolve('now'), 1)));
      out.push(await settle(waitFor(Promise.reject(new RangeError('no')), 1)));
      return out;
    });
    expect(trace).toEqual(['TimeoutError(cause=CancelledError)', 'value now', 'RangeError']);
  });
});

describe('waitFor() with a timeout of 0 or less', () => {
  it('returns the result of a done future (test_wait_for_timeout_less_then_0_or_0_future_done)', async () => {
    const r = await runOnNewLoop(async () => {
      const fut = new Future<string>();
      fut.setResult('done');
      return await waitFor(fut, 0);
    });
    expect(r).toBe('done');
  });

  it('never starts a coroutine function (test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started)', async () => {
    const trace = await runOnNewLoop(async () => {
      let started = false;
      const r = await settle(
        waitFor(async () => {
          started = true;
        }, 0),
      );
      await spin(2);
      return [r, `started=${started}`];
    });
    expect(trace).toEqual(['TimeoutError(cause=CancelledError)', 'started=false']);
  });

  it('cancels a running task and waits for it (test_wait_for_timeout_less_then_0_or_0, test_wait_for_waits_for_task_cancellation_w_timeout_0)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      for (const limit of [0, -1]) {
        const task = createTask(async () => {
          try {
            await sleep(10);
          } catch (e) {
            await sleep(0.001);
            throw e;
          } finally {
            out.push(`${limit}: task finally`);
          }
        });
        await spin();
        out.push(`${limit}: ${await settle(waitFor(task, limit))} cancelled=${task.cancelled()}`);
      }
      return out;
    });
    expect(trace).toEqual([
      '0: task finally',
      '0: TimeoutError(cause=CancelledError) cancelled=true',
      '-1: task finally',
      '-1: TimeoutError(cause=CancelledError) cancelled=true',
    ]);
  });
});

describe('waitFor() with a native promise and a timeout of 0 or less', () => {
  it('times out even if the promise has settled (its state cannot be read synchronously)', async () => {
    const r = await runOnNewLoop(async () => await settle(waitFor(Promise.resolve(1), 0)));
    expect(r).toBe('TimeoutError(cause=CancelledError)');
  });
});

describe('waitFor() bad input', () => {
  it('rejects what cannot be awaited, naming the argument', async () => {
    await runOnNewLoop(async () => {
      await expect(waitFor(5 as never, 1)).rejects.toThrow(TypeError);
      await expect(waitFor(5 as never, 1)).rejects.toThrow(
        'waitFor() expects a Future, a Task, a promise or a coroutine function as aw, got number 5',
      );
      await expect(waitFor({} as never, 1)).rejects.toThrow('as aw, got an object (Object)');
    });
  });

  it('rejects a timeout that is not a number or null', async () => {
    await runOnNewLoop(async () => {
      const fut = new Future<void>();
      await expect(waitFor(fut, NaN)).rejects.toThrow(
        'waitFor() expects timeout in seconds (a number) or null, got number NaN',
      );
      await expect(waitFor(fut, undefined as never)).rejects.toThrow(TypeError);
      expect(fut.done()).toBe(false);
    });
  });

  it('needs a task when it has a timeout block', async () => {
    const message = await runOnNewLoop(async () => {
      const result = new Future<string>();
      getRunningLoop().callSoon(() => {
        waitFor(async () => 1, 1).then(
          () => result.setResult('ran'),
          (e: unknown) => result.setResult(`${named(e)}: ${(e as Error).message}`),
        );
      });
      return await result;
    });
    expect(message).toBe('RuntimeError: Timeout should be used inside a task');
    expect(RuntimeError.name).toBe('RuntimeError');
  });
});

describe('waitFor() errors', () => {
  it('throws TimeoutError, not something else', async () => {
    const isTimeout = await runOnNewLoop(async () => {
      try {
        await waitFor(() => sleep(1), 0.001);
        return false;
      } catch (e) {
        return e instanceof TimeoutError;
      }
    });
    expect(isTimeout).toBe(true);
  });
});
