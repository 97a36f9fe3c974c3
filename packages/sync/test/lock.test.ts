import { getRunningLoop, isCancelledError, RuntimeError, ValueError } from '@tsio/core';
import { createTask, Future } from '@tsio/futures';
import { Lock } from '../src/index.js';
import { outcome, runOnNewLoop, spin, thrown } from './helpers.js';

describe('Lock', () => {
  it('shows its state (test_repr)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const out = [String(lock)];
      await lock.acquire();
      out.push(String(lock));
      const waiter = createTask(() => lock.acquire());
      await spin();
      out.push(String(lock));
      lock.release();
      await waiter;
      out.push(String(lock));
      return out;
    });
    expect(trace).toEqual([
      '<Lock [unlocked]>',
      '<Lock [locked]>',
      '<Lock [locked, waiters:1]>',
      '<Lock [locked]>',
    ]);
  });

  it('acquires and releases (test_lock, test_release_no_waiters)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const out = [`acquire -> ${await lock.acquire()}`, `locked=${lock.locked()}`];
      lock.release();
      out.push(`locked=${lock.locked()}`);
      return out;
    });
    expect(trace).toEqual(['acquire -> true', 'locked=true', 'locked=false']);
  });

  it('can be created before a loop runs and acquired without one while free', async () => {
    const lock = new Lock();
    await expect(lock.acquire()).resolves.toBe(true);
    lock.release();
  });

  it('gives the lock to waiters in FIFO order (test_acquire)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const result: number[] = [];
      const out: string[] = [];
      await lock.acquire();
      const worker = (n: number) => async () => {
        await lock.acquire();
        result.push(n);
        return true;
      };
      const t1 = createTask(worker(1));
      const t2 = createTask(worker(2));
      await spin();
      out.push(`[${result.join()}]`);
      lock.release();
      await spin(2);
      out.push(`[${result.join()}]`);
      await spin(2);
      out.push(`[${result.join()}]`);
      const t3 = createTask(worker(3));
      lock.release();
      await spin(2);
      out.push(`[${result.join()}]`);
      lock.release();
      await spin(2);
      out.push(`[${result.join()}]`);
      out.push(`results ${[t1, t2, t3].map((t) => String(t.result())).join()}`);
      return out;
    });
    expect(trace).toEqual(['[]', '[1]', '[1]', '[1,2]', '[1,2,3]', 'results true,true,true']);
  });

  it('removes a cancelled waiter (test_acquire_cancel)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      await lock.acquire();
      const task = createTask(() => lock.acquire());
      getRunningLoop().callSoon(() => task.cancel());
      return [await outcome(task), `waiters=${lock.statistics().waiters}`];
    });
    expect(trace).toEqual(['CancelledError', 'waiters=0']);
  });

  it('skips a waiter cancelled while the holder releases (test_cancel_race)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const out: string[] = [];
      const lockit = (name: string, blocker: Future<null> | null) => async () => {
        await lock.acquire();
        try {
          out.push(`${name} has the lock`);
          if (blocker !== null) await blocker;
        } finally {
          lock.release();
        }
      };
      const fa = new Future<null>();
      const ta = createTask(lockit('A', fa));
      await spin();
      const tb = createTask(lockit('B', null));
      await spin();
      const tc = createTask(lockit('C', null));
      await spin();
      out.push(`waiters=${lock.statistics().waiters}`);
      fa.setResult(null);
      tb.cancel();
      await spin(3);
      out.push(`ta done=${ta.done()} tb cancelled=${tb.cancelled()}`);
      await tc;
      out.push(`locked=${lock.locked()}`);
      return out;
    });
    expect(trace).toEqual([
      'A has the lock',
      'waiters=2',
      'C has the lock',
      'ta done=true tb cancelled=true',
      'locked=false',
    ]);
  });

  it('lets one task take the lock when a waiter is cancelled as it is released (test_cancel_release_race)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      let lockCount = 0;
      let callCount = 0;
      const lockit = async () => {
        callCount += 1;
        await lock.acquire();
        lockCount += 1;
      };
      await lock.acquire();
      const t1 = createTask(lockit);
      const t2 = createTask(lockit);
      const t3 = createTask(lockit);
      await spin();
      getRunningLoop().callSoon(() => {
        t1.cancel();
        lock.release();
      });
      const out = [await outcome(t1)];
      await spin(2);
      out.push(`lockCount=${lockCount} callCount=${callCount} t2 done=${t2.done()}`);
      t3.cancel();
      await spin(2);
      out.push(`t3 cancelled=${t3.cancelled()}`);
      return out;
    });
    expect(trace).toEqual([
      'CancelledError',
      'lockCount=1 callCount=3 t2 done=true',
      't3 cancelled=true',
    ]);
  });

  it('wakes the next waiter when the first is cancelled before the release (test_finished_waiter_cancelled)', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      await lock.acquire();
      const tb = createTask(() => lock.acquire());
      await spin();
      const out = [`waiters=${lock.statistics().waiters}`];
      const tc = createTask(() => lock.acquire());
      tb.cancel();
      lock.release();
      await spin(2);
      out.push(`locked=${lock.locked()} tb cancelled=${tb.cancelled()}`);
      out.push(await outcome(tc));
      return out;
    });
    expect(trace).toEqual(['waiters=1', 'locked=true tb cancelled=true', 'result true']);
  });

  it('does not let a new task barge past a woken waiter', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const out: string[] = [];
      await lock.acquire();
      const waiter = createTask(async () => {
        await lock.acquire();
        out.push('waiter has it');
        lock.release();
      });
      await spin();
      lock.release();
      // The waiter is woken but has not resumed: the lock looks free, yet a newcomer queues.
      out.push(`locked=${lock.locked()}`);
      const late = createTask(async () => {
        await lock.acquire();
        out.push('late has it');
        lock.release();
      });
      await waiter;
      await late;
      return out;
    });
    expect(trace).toEqual(['locked=false', 'waiter has it', 'late has it']);
  });

  it('passes the lock on when a woken waiter is cancelled before it resumes', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const out: string[] = [];
      await lock.acquire();
      const tb = createTask(async () => {
        await lock.acquire();
        try {
          out.push('B acquired');
          await spin();
        } catch (e) {
          out.push(`B ${isCancelledError(e) ? 'cancelled' : 'failed'} inside`);
          throw e;
        } finally {
          lock.release();
        }
      });
      const tc = createTask(async () => {
        await lock.acquire();
        out.push('C acquired');
        lock.release();
      });
      await spin();
      lock.release();
      tb.cancel();
      out.push(await outcome(tb));
      await tc;
      out.push(`locked=${lock.locked()}`);
      return out;
    });
    // As in asyncio: B's task gets the CancelledError at its `await` on the woken waiter.
    expect(trace).toEqual(['C acquired', 'CancelledError', 'locked=false']);
  });

  it('rejects a release of an unlocked lock (test_release_not_acquired)', () => {
    const lock = new Lock();
    expect(thrown(() => lock.release())).toBe('RuntimeError(Lock is not acquired.)');
    expect(() => lock.release()).toThrow(RuntimeError);
  });

  it('refuses to wait outside a running loop', async () => {
    const lock = new Lock();
    await lock.acquire();
    await expect(lock.acquire()).rejects.toThrow('no running event loop');
  });

  it('refuses to be used from a second loop', async () => {
    const lock = new Lock();
    await runOnNewLoop(async () => {
      await lock.acquire();
      const waiter = createTask(() => lock.acquire());
      await spin();
      lock.release();
      await waiter;
    });
    const second = await runOnNewLoop(() => outcome(lock.acquire()));
    expect(second).toBe('RuntimeError(<Lock [locked]> is bound to a different event loop)');
  });

  it('reports statistics', async () => {
    const trace = await runOnNewLoop(async () => {
      const lock = new Lock();
      const out = [JSON.stringify(lock.statistics())];
      await lock.acquire();
      createTask(() => lock.acquire());
      await spin();
      out.push(JSON.stringify(lock.statistics()));
      lock.release();
      await spin(2);
      out.push(JSON.stringify(lock.statistics()));
      return out;
    });
    expect(trace).toEqual([
      '{"locked":false,"waiters":0}',
      '{"locked":true,"waiters":1}',
      '{"locked":true,"waiters":0}',
    ]);
  });

  describe('hold() with await using (test_context_manager, test_lock_by_with_statement)', () => {
    it('releases the lock when the block ends', async () => {
      const trace = await runOnNewLoop(async () => {
        const lock = new Lock();
        const out: string[] = [];
        {
          await using _ = await lock.hold();
          out.push(`inside locked=${lock.locked()}`);
        }
        out.push(`after locked=${lock.locked()}`);
        return out;
      });
      expect(trace).toEqual(['inside locked=true', 'after locked=false']);
    });

    it('releases the lock when the block throws', async () => {
      const trace = await runOnNewLoop(async () => {
        const lock = new Lock();
        const out: string[] = [];
        try {
          await using _ = await lock.hold();
          throw new ValueError('boom');
        } catch (e) {
          out.push(`caught ${(e as Error).message} locked=${lock.locked()}`);
        }
        return out;
      });
      expect(trace).toEqual(['caught boom locked=false']);
    });

    it('releases the lock when the task is cancelled inside the block', async () => {
      const trace = await runOnNewLoop(async () => {
        const lock = new Lock();
        const out: string[] = [];
        const task = createTask(async () => {
          await using _ = await lock.hold();
          out.push('holding');
          await new Future<never>();
        });
        await spin(2);
        out.push(`locked=${lock.locked()}`);
        task.cancel();
        out.push(await outcome(task));
        out.push(`locked=${lock.locked()}`);
        return out;
      });
      expect(trace).toEqual(['holding', 'locked=true', 'CancelledError', 'locked=false']);
    });

    it('releases exactly once when disposed twice', async () => {
      const trace = await runOnNewLoop(async () => {
        const lock = new Lock();
        const guard = await lock.hold();
        guard[Symbol.dispose]();
        await lock.acquire(); // someone else holds it now
        await guard[Symbol.asyncDispose]();
        return `locked=${lock.locked()}`;
      });
      expect(trace).toBe('locked=true');
    });

    it('holds nothing when cancelled while waiting for the lock', async () => {
      const trace = await runOnNewLoop(async () => {
        const lock = new Lock();
        await lock.acquire();
        const task = createTask(async () => {
          await using _ = await lock.hold();
          return 'never';
        });
        await spin();
        task.cancel();
        const out = [await outcome(task), `locked=${lock.locked()}`];
        lock.release();
        out.push(`locked=${lock.locked()}`);
        return out;
      });
      expect(trace).toEqual(['CancelledError', 'locked=true', 'locked=false']);
    });
  });
});
