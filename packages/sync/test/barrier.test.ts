import { BrokenBarrierError, RuntimeError } from '@tsio/core';
import { createTask, gather, type Task } from '@tsio/futures';
import { Barrier } from '../src/index.js';
import { outcome, runOnNewLoop, spin, thrown } from './helpers.js';

const N = 5;

function makeTasks<T>(n: number, coro: () => Promise<T>): Task<T>[] {
  return Array.from({ length: n }, () => createTask(coro));
}

describe('Barrier', () => {
  it('opens when all parties wait (test_barrier, test_filling_one_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const one = new Barrier(1);
      const out = [`one -> ${await one.wait()}`];
      const barrier = new Barrier(N);
      const results = await gather(makeTasks(N, () => barrier.wait()));
      out.push(`indexes ${results.join()} nWaiting=${barrier.nWaiting} broken=${barrier.broken}`);
      return out;
    });
    expect(trace).toEqual(['one -> 0', 'indexes 0,1,2,3,4 nWaiting=0 broken=false']);
  });

  it('can be passed again (test_filling_one_task_twice, test_filling_tasks_wait_twice)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(N);
      const results: string[] = [];
      await gather(
        makeTasks(N, async () => {
          results.push(`a${await barrier.wait()}`);
          results.push(`b${await barrier.wait()}`);
        }),
      );
      return results.sort().join();
    });
    expect(trace).toBe('a0,a1,a2,a3,a4,b0,b1,b2,b3,b4');
  });

  it('counts waiting tasks one by one (test_filling_task_by_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(3);
      const out: string[] = [];
      const t1 = createTask(() => barrier.wait());
      await spin(2);
      out.push(`nWaiting=${barrier.nWaiting}`);
      const t2 = createTask(() => barrier.wait());
      await spin(2);
      out.push(`nWaiting=${barrier.nWaiting} ${String(barrier)}`);
      const t3 = createTask(() => barrier.wait());
      out.push(`indexes ${(await gather(t1, t2, t3)).join()} ${String(barrier)}`);
      return out;
    });
    expect(trace).toEqual([
      'nWaiting=1',
      'nWaiting=2 <Barrier [filling, waiters:2/3]>',
      'indexes 0,1,2 <Barrier [filling, waiters:0/3]>',
    ]);
  });

  it('reports parties (test_barrier_parties)', () => {
    expect(new Barrier(N).parties).toBe(N);
  });

  it('drains: all but the last task leaving see the draining state (test_draining_state)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(N);
      const results: boolean[] = [];
      await gather(
        makeTasks(N, async () => {
          await barrier.wait();
          results.push(String(barrier).includes('draining'));
        }),
      );
      return `${results.join()} nWaiting=${barrier.nWaiting} broken=${barrier.broken}`;
    });
    expect(trace).toBe('true,true,true,true,false nWaiting=0 broken=false');
  });

  it('blocks new arrivals while draining (test_blocking_tasks_while_draining)', async () => {
    const done = await runOnNewLoop(async () => {
      const rewait = 2;
      const barrier = new Barrier(N);
      const barrierNoWaiting = new Barrier(N - rewait);
      let rewaitN = rewait;
      await gather(
        makeTasks(N, async () => {
          await barrier.wait();
          if (rewaitN > 0) {
            rewaitN -= 1;
            await barrier.wait();
          } else {
            await barrierNoWaiting.wait();
            await barrier.wait();
          }
        }),
      );
      return true;
    });
    expect(done).toBe(true);
  });

  it('forgets a cancelled waiter (test_filling_tasks_cancel_one)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(3);
      const out: string[] = [];
      const coro = async () => {
        await barrier.wait();
        out.push('passed');
      };
      const t1 = createTask(coro);
      await spin(2);
      const t2 = createTask(coro);
      await spin(2);
      out.push(`nWaiting=${barrier.nWaiting}`);
      t1.cancel();
      await spin(4);
      out.push(`nWaiting=${barrier.nWaiting} t1 ${await outcome(t1)}`);
      const t3 = createTask(coro);
      await spin(2);
      out.push(`nWaiting=${barrier.nWaiting}`);
      const t4 = createTask(coro);
      await gather(t2, t3, t4);
      out.push(`nWaiting=${barrier.nWaiting} broken=${barrier.broken}`);
      return out;
    });
    expect(trace).toEqual([
      'nWaiting=2',
      'nWaiting=1 t1 CancelledError',
      'nWaiting=2',
      'passed',
      'passed',
      'passed',
      'nWaiting=0 broken=false',
    ]);
  });

  it('resets an idle barrier (test_reset_barrier)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(1);
      await barrier.reset();
      return `nWaiting=${barrier.nWaiting} broken=${barrier.broken}`;
    });
    expect(trace).toBe('nWaiting=0 broken=false');
  });

  it('breaks the waiters on reset (test_reset_barrier_while_tasks_waiting)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(N);
      const tasks = makeTasks(N - 1, () => outcome(barrier.wait()));
      await spin();
      createTask(() => barrier.reset());
      const results = await gather(tasks);
      return [...new Set(results), String(barrier)];
    });
    expect(trace).toEqual([
      'BrokenBarrierError(Abort or reset of barrier)',
      '<Barrier [filling, waiters:0/5]>',
    ]);
  });

  it('can be used again after a reset (test_reset_barrier_while_tasks_waiting_and_waiting_again)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(N);
      const results: string[] = [];
      const first = makeTasks(N - 1, async () => {
        results.push(await outcome(barrier.wait()));
        results.push(await outcome(barrier.wait()));
      });
      await spin();
      await barrier.reset();
      const last = createTask(() => barrier.wait());
      await gather(...first, last);
      return [...new Set(results)];
    });
    // The 4 first tasks are broken by the reset, then pass with the fifth: 4 distinct indexes.
    expect(trace[0]).toBe('BrokenBarrierError(Abort or reset of barrier)');
    expect(trace.slice(1)).toHaveLength(4);
    for (const r of trace.slice(1)) expect(r).toMatch(/^result [0-4]$/);
  });

  it('breaks the barrier on abort (test_abort_barrier)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(1);
      createTask(() => barrier.abort());
      await spin(2);
      const out = [`nWaiting=${barrier.nWaiting} broken=${barrier.broken} ${String(barrier)}`];
      out.push(await outcome(barrier.wait()));
      await barrier.reset();
      out.push(`after reset broken=${barrier.broken} ${await outcome(barrier.wait())}`);
      return out;
    });
    expect(trace).toEqual([
      'nWaiting=0 broken=true <Barrier [broken]>',
      'BrokenBarrierError(Barrier aborted)',
      'after reset broken=false result 0',
    ]);
  });

  it('breaks waiting and blocked tasks on abort (test_abort_barrier_when_tasks_half_draining_half_blocking)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(N);
      const blocking = Math.floor(N / 2);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      let count = 0;
      await gather(
        makeTasks(N, async () => {
          try {
            await barrier.wait();
          } catch (e) {
            if (!(e instanceof BrokenBarrierError)) throw e;
            results1.push(true);
            return;
          }
          count += 1;
          if (count > blocking) {
            await barrier.abort();
            return;
          }
          try {
            await barrier.wait();
          } catch (e) {
            if (!(e instanceof BrokenBarrierError)) throw e;
            results2.push(true);
          }
        }),
      );
      return `broken=${barrier.broken} r1=${results1.length} r2=${results2.length} nWaiting=${barrier.nWaiting}`;
    });
    // All N pass the first wait; 2 re-wait and are broken by the third one's abort.
    expect(trace).toBe('broken=true r1=0 r2=2 nWaiting=0');
  });

  it('breaks the others when one task fails and aborts (test_abort_barrier_when_exception)', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      await gather(
        makeTasks(N, async () => {
          try {
            const i = await barrier.wait();
            if (i === Math.floor(N / 2)) throw new RuntimeError('fail');
            await barrier.wait();
            results1.push(true);
          } catch (e) {
            if (e instanceof BrokenBarrierError) results2.push(true);
            else await barrier.abort();
          }
        }),
      );
      return `broken=${barrier.broken} r1=${results1.length} r2=${results2.length} nWaiting=${barrier.nWaiting}`;
    });
    expect(trace).toBe(`broken=true r1=0 r2=${N - 1} nWaiting=0`);
  });

  it('rejects bad parties (ValueError "parties must be > 0", TypeError)', () => {
    expect(thrown(() => new Barrier(0))).toBe('ValueError(parties must be > 0)');
    expect(thrown(() => new Barrier(-3))).toBe('ValueError(parties must be > 0)');
    expect(thrown(() => new Barrier(2.5))).toBe(
      'TypeError(Barrier() expects an integer number of parties, got 2.5)',
    );
  });

  it('reports statistics', async () => {
    const trace = await runOnNewLoop(async () => {
      const barrier = new Barrier(2);
      const out = [JSON.stringify(barrier.statistics())];
      const t = createTask(() => barrier.wait());
      await spin(2);
      out.push(JSON.stringify(barrier.statistics()));
      await barrier.abort();
      await outcome(t);
      out.push(JSON.stringify(barrier.statistics()));
      return out;
    });
    expect(trace).toEqual([
      '{"parties":2,"nWaiting":0,"state":"filling"}',
      '{"parties":2,"nWaiting":1,"state":"filling"}',
      '{"parties":2,"nWaiting":0,"state":"broken"}',
    ]);
  });
});
