import { getRunningLoop, isCancelledError, RuntimeError, ValueError } from '@tsio/core';
import { createTask, Future, gather, type Task } from '@tsio/futures';
import { Condition, Lock } from '../src/index.js';
import { outcome, runOnNewLoop, spin, thrown } from './helpers.js';

describe('Condition', () => {
  it('wakes waiters one notify at a time, each re-acquiring the lock (test_wait)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      const out: string[] = [];
      const waiter = (n: number) => async () => {
        await cond.acquire();
        const r = await cond.wait();
        out.push(`${n} woke ${r} locked=${cond.locked()}`);
        cond.release();
      };
      const tasks = [1, 2, 3].map((n) => createTask(waiter(n)));
      await spin(4);
      out.push(`waiters=${cond.statistics().waiters} locked=${cond.locked()}`);
      await cond.acquire();
      cond.notify();
      cond.release();
      await spin(3);
      await cond.acquire();
      cond.notify(2);
      cond.release();
      await gather(...tasks);
      return out;
    });
    expect(trace).toEqual([
      'waiters=3 locked=false',
      '1 woke true locked=true',
      '2 woke true locked=true',
      '3 woke true locked=true',
    ]);
  });

  it('re-acquires the lock when cancelled while waiting (test_wait_cancel)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      await cond.acquire();
      const wait = createTask(() => cond.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      return [
        await outcome(wait),
        `waiters=${cond.statistics().waiters}`,
        `locked=${cond.locked()}`,
      ];
    });
    expect(trace).toEqual(['CancelledError', 'waiters=0', 'locked=true']);
  });

  it('returns normally when notified and cancelled while the lock is contested (test_wait_cancel_contested)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      await cond.acquire();
      const waitTask = createTask(() => cond.wait());
      await spin();
      const out = [`locked=${cond.locked()}`];
      await cond.acquire();
      cond.notify();
      getRunningLoop().callSoon(() => waitTask.cancel());
      getRunningLoop().callSoon(() => cond.release());
      out.push(await outcome(waitTask));
      out.push(`locked=${cond.locked()}`);
      return out;
    });
    // As asyncio 3.13: cancelled while re-acquiring, it keeps trying, ends holding the lock,
    // then re-throws the CancelledError.
    expect(trace).toEqual(['locked=false', 'CancelledError', 'locked=true']);
  });

  it('ends cancelled when cancelled after the notify, while re-acquiring (test_wait_cancel_after_notify)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      let waited = false;
      const waiter = createTask(async () => {
        await using _ = await cond.hold();
        waited = true;
        await cond.wait();
      });
      await spin(2);
      await cond.acquire();
      cond.notify();
      await spin();
      waiter.cancel();
      await spin();
      cond.release();
      await spin(3);
      return `cancelled=${waiter.cancelled()} waited=${waited} locked=${cond.locked()}`;
    });
    expect(trace).toBe('cancelled=true waited=true locked=false');
  });

  it('rejects wait and waitFor without the lock (test_wait_unacquired, test_wait_for_unacquired)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      return [
        await outcome(cond.wait()),
        await outcome(cond.waitFor(() => false)),
        await outcome(cond.waitFor(() => 'ready')),
      ];
    });
    expect(trace).toEqual([
      'RuntimeError(cannot wait on un-acquired lock)',
      'RuntimeError(cannot wait on un-acquired lock)',
      'result "ready"',
    ]);
  });

  it('waits until the predicate holds and returns its value (test_wait_for)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      const out: string[] = [];
      let presult: number | null = null;
      const predicate = () => presult;
      const task = createTask(async () => {
        await using _ = await cond.hold();
        const r = await cond.waitFor(predicate);
        out.push(`got ${r}`);
        return r;
      });
      await spin(2);
      await cond.acquire();
      cond.notify();
      cond.release();
      await spin(3);
      out.push(`still waiting=${!task.done()}`);
      presult = 42;
      await cond.acquire();
      cond.notify();
      cond.release();
      out.push(await outcome(task));
      return out;
    });
    expect(trace).toEqual(['still waiting=true', 'got 42', 'result 42']);
  });

  it('notifies n waiters in FIFO order (test_notify)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const waiter = (n: number) => async () => {
        await using _ = await cond.hold();
        await cond.wait();
        result.push(n);
      };
      const tasks = [1, 2, 3].map((n) => createTask(waiter(n)));
      await spin(2);
      const out: string[] = [];
      await cond.acquire();
      cond.notify(1);
      cond.release();
      await spin(3);
      out.push(`[${result.join()}]`);
      await cond.acquire();
      cond.notify(1);
      cond.notify(2048);
      cond.release();
      await gather(...tasks);
      out.push(`[${result.join()}]`);
      return out;
    });
    expect(trace).toEqual(['[1]', '[1,2,3]']);
  });

  it('wakes every waiter with notifyAll (test_notify_all)', async () => {
    const result = await runOnNewLoop(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const tasks = [1, 2].map((n) =>
        createTask(async () => {
          await using _ = await cond.hold();
          await cond.wait();
          result.push(n);
        }),
      );
      await spin(2);
      await cond.acquire();
      cond.notifyAll();
      cond.release();
      await gather(...tasks);
      return result;
    });
    expect(result).toEqual([1, 2]);
  });

  it('rejects notify and notifyAll without the lock (test_notify_unacquired, test_notify_all_unacquired)', () => {
    const cond = new Condition();
    expect(thrown(() => cond.notify())).toBe('RuntimeError(cannot notify on un-acquired lock)');
    expect(thrown(() => cond.notifyAll())).toBe('RuntimeError(cannot notify on un-acquired lock)');
    expect(() => cond.notify()).toThrow(RuntimeError);
  });

  it('rejects a release without the lock', () => {
    expect(thrown(() => new Condition().release())).toBe('RuntimeError(Lock is not acquired.)');
  });

  it('shows its state (test_repr)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      const out = [String(cond)];
      await cond.acquire();
      out.push(String(cond));
      createTask(async () => {
        await cond.acquire();
        await cond.wait();
      });
      cond.release();
      await spin(2);
      out.push(String(cond));
      return out;
    });
    expect(trace).toEqual([
      '<Condition [unlocked]>',
      '<Condition [locked]>',
      '<Condition [unlocked, waiters:1]>',
    ]);
  });

  it('uses a given lock (test_explicit_lock)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const cond = new Condition(lock);
      const other = new Condition(lock);
      await lock.acquire();
      const out = [`cond locked=${cond.locked()} other locked=${other.locked()}`];
      cond.release();
      out.push(`lock locked=${lock.locked()}`);
      return out;
    });
    expect(trace).toEqual(['cond locked=true other locked=true', 'lock locked=false']);
  });

  it('re-throws the same CancelledError received while waiting (test_cancelled_error_wakeup)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      let raised: unknown = null;
      const task = createTask(async () => {
        await using _ = await cond.hold();
        try {
          await cond.waitFor(() => false);
        } catch (e) {
          raised = e;
          throw e;
        }
      });
      await spin(2);
      task.cancel('foo');
      try {
        await task;
        return 'no error';
      } catch (e) {
        return `${isCancelledError(e)} message=${(e as Error).message} same=${e === raised}`;
      }
    });
    expect(trace).toBe('true message=foo same=true');
  });

  it('re-throws the same CancelledError received while re-acquiring (test_cancelled_error_re_aquire)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      let wake = false;
      let raised: unknown = null;
      const task = createTask(async () => {
        await using _ = await cond.hold();
        try {
          await cond.waitFor(() => wake);
        } catch (e) {
          raised = e;
          throw e;
        }
      });
      await spin(2);
      await cond.acquire();
      wake = true;
      cond.notify();
      await spin(2);
      task.cancel('foo');
      cond.release();
      try {
        await task;
        return 'no error';
      } catch (e) {
        return `${isCancelledError(e)} message=${(e as Error).message} same=${e === raised} locked=${cond.locked()}`;
      }
    });
    expect(trace).toBe('true message=foo same=true locked=false');
  });

  const consumers = (cond: Condition, state: { n: number }): Task<void>[] =>
    [0, 1].map(() =>
      createTask(async () => {
        await using _ = await cond.hold();
        for (;;) {
          await cond.waitFor(() => state.n !== 0);
          if (state.n < 0) return;
          state.n -= 1;
        }
      }),
    );

  it('does not lose a notify when the woken task is cancelled before it runs (test_cancelled_wakeup)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      const state = { n: 0 };
      const c = consumers(cond, state);
      await spin(2);
      await cond.acquire();
      state.n += 1;
      cond.notify(1);
      c[0]?.cancel();
      cond.release();
      await spin(6);
      const out = [`state=${state.n}`, `c0 ${await outcome(c[0] as Task<void>)}`];
      await cond.acquire();
      state.n = -1;
      cond.notifyAll();
      cond.release();
      out.push(`c1 ${await outcome(c[1] as Task<void>)}`);
      return out;
    });
    expect(trace).toEqual(['state=0', 'c0 CancelledError', 'c1 result undefined']);
  });

  it('does not lose a notify when the woken task is cancelled while re-locking (test_cancelled_wakeup_relock)', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      const state = { n: 0 };
      const c = consumers(cond, state);
      await spin(2);
      await cond.acquire();
      state.n += 1;
      cond.notify(1);
      await spin(2);
      c[0]?.cancel();
      cond.release();
      await spin(6);
      const out = [`state=${state.n}`, `c0 ${await outcome(c[0] as Task<void>)}`];
      await cond.acquire();
      state.n = -1;
      cond.notifyAll();
      cond.release();
      out.push(`c1 ${await outcome(c[1] as Task<void>)}`);
      return out;
    });
    expect(trace).toEqual(['state=0', 'c0 CancelledError', 'c1 result undefined']);
  });

  it('releases the lock when an await using block throws or is cancelled', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      const out: string[] = [];
      try {
        await using _ = await cond.hold();
        throw new ValueError('boom');
      } catch (e) {
        out.push(`caught ${(e as Error).message} locked=${cond.locked()}`);
      }
      const task = createTask(async () => {
        await using _ = await cond.hold();
        await new Future<never>();
      });
      await spin(2);
      out.push(`held locked=${cond.locked()}`);
      task.cancel();
      out.push(`${await outcome(task)} locked=${cond.locked()}`);
      // Cancelled inside wait(): the lock is re-acquired, then released by the guard.
      const waiter = createTask(async () => {
        await using _ = await cond.hold();
        await cond.wait();
      });
      await spin(2);
      waiter.cancel();
      out.push(`${await outcome(waiter)} locked=${cond.locked()}`);
      return out;
    });
    expect(trace).toEqual([
      'caught boom locked=false',
      'held locked=true',
      'CancelledError locked=false',
      'CancelledError locked=false',
    ]);
  });

  it('reports statistics', async () => {
    const trace = await runOnNewLoop(async () => {
      const cond = new Condition();
      await cond.acquire();
      const out = [JSON.stringify(cond.statistics())];
      createTask(async () => {
        await using _ = await cond.hold();
        await cond.wait();
      });
      cond.release();
      await spin(3);
      out.push(JSON.stringify(cond.statistics()));
      return out;
    });
    expect(trace).toEqual(['{"locked":true,"waiters":0}', '{"locked":false,"waiters":1}']);
  });
});
