import { getRunningLoop, TimeoutError, ValueError } from '@tsio/core';
import { createTask, sleep, TaskGroup, timeout, waitFor } from '@tsio/futures';
import { VirtualTimeLoop, runVirtual } from '../../src/index.js';

describe('autojump', () => {
  it('sleep(3600) completes at virtual time 3600', async () => {
    const loop = new VirtualTimeLoop();
    const value = await loop.runUntilComplete(async () => {
      await sleep(3600);
      return loop.time();
    });
    expect(value).toBe(3600);
    loop.close();
  });

  it('lands exactly on deadlines that are not whole milliseconds', async () => {
    const times = await runVirtual(async () => {
      const loop = getRunningLoop();
      const seen: number[] = [];
      for (const delay of [1.1, 0.0001, 2.3456789]) {
        await sleep(delay);
        seen.push(loop.time());
      }
      return seen;
    });
    expect(times).toEqual([1.1, 1.1 + 0.0001, 1.1 + 0.0001 + 2.3456789]);
  });

  it('starts at startTime', async () => {
    const loop = new VirtualTimeLoop({ startTime: 100 });
    expect(loop.time()).toBe(100);
    await loop.runUntilComplete(() => sleep(5));
    expect(loop.time()).toBe(105);
    loop.close();
  });

  it('a sleep longer than the longest host sleep (24 hours) still lands on its deadline', async () => {
    const t = await runVirtual(async () => {
      await sleep(10 * 24 * 3600);
      return getRunningLoop().time();
    });
    expect(t).toBe(10 * 24 * 3600);
  });

  it('lets native promises settle before jumping', async () => {
    const order = await runVirtual(async () => {
      const log: string[] = [];
      const waiter = createTask(async () => {
        await sleep(1);
        log.push('timer');
      });
      for (let i = 0; i < 5; i++) await Promise.resolve();
      log.push('microtasks');
      await new Promise((resolve) => setImmediate(resolve));
      log.push('immediate');
      await waiter;
      return log;
    });
    expect(order).toEqual(['microtasks', 'immediate', 'timer']);
  });

  it('a cancelled timer does not hold time back and is not run', async () => {
    const result = await runVirtual(async () => {
      const loop = getRunningLoop();
      const fired: string[] = [];
      const early = loop.callLater(1, () => fired.push('early'));
      loop.callLater(2, () => fired.push('late'));
      early.cancel();
      await sleep(3);
      return { fired, time: loop.time() };
    });
    expect(result).toEqual({ fired: ['late'], time: 3 });
  });
});

describe('loop behaviours under virtual time', () => {
  it('callLater runs timers in deadline order, FIFO among equal deadlines (test_call_later)', async () => {
    const log = await runVirtual(async () => {
      const loop = getRunningLoop();
      const seen: [string, number][] = [];
      const note = (name: string): void => {
        seen.push([name, loop.time()]);
      };
      loop.callLater(3, note, 'c');
      loop.callLater(1, note, 'a1');
      loop.callLater(2, note, 'b');
      loop.callLater(1, note, 'a2');
      loop.callLater(0, note, 'zero');
      await sleep(4);
      return seen;
    });
    expect(log).toEqual([
      ['zero', 0],
      ['a1', 1],
      ['a2', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('callAt runs at the given loop time, and time() reports it (test_call_at)', async () => {
    const when = await runVirtual(async () => {
      const loop = getRunningLoop();
      const fired = loop.createFuture<number>();
      loop.callAt(loop.time() + 42.5, () => fired.setResult(loop.time()));
      return await fired;
    });
    expect(when).toBe(42.5);
  });

  it('timeout() cancels a slow body at its deadline (test_timeout_basic)', async () => {
    const outcome = await runVirtual(async () => {
      const loop = getRunningLoop();
      try {
        await timeout(10).run(() => sleep(3600));
        return 'finished';
      } catch (error) {
        return [(error as Error).constructor, loop.time()];
      }
    });
    expect(outcome).toEqual([TimeoutError, 10]);
  });

  it('waitFor() returns in time and times out late work (test_wait_for)', async () => {
    const result = await runVirtual(async () => {
      const loop = getRunningLoop();
      const fast = await waitFor(sleep(1, 'fast'), 2);
      let slow: unknown;
      try {
        await waitFor(sleep(100, 'slow'), 5);
      } catch (error) {
        slow = error;
      }
      return { fast, slow, time: loop.time() };
    });
    expect(result.fast).toBe('fast');
    expect(result.slow).toBeInstanceOf(TimeoutError);
    expect(result.time).toBe(6);
  });

  it('TaskGroup with a timeout cancels every child at the deadline (test_taskgroup_timeout)', async () => {
    const result = await runVirtual(async () => {
      const loop = getRunningLoop();
      const finished: number[] = [];
      let error: unknown;
      try {
        await timeout(5).run(() =>
          TaskGroup.run((tg) => {
            for (const delay of [1, 3, 7, 3600]) {
              tg.createTask(async () => {
                await sleep(delay);
                finished.push(delay);
              });
            }
          }),
        );
      } catch (e) {
        error = e;
      }
      return { finished, error, time: loop.time() };
    });
    expect(result.finished).toEqual([1, 3]);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.time).toBe(5);
  });

  it('a TaskGroup finishes when its slowest child does', async () => {
    const time = await runVirtual(async () => {
      await TaskGroup.run((tg) => {
        tg.createTask(() => sleep(60));
        tg.createTask(() => sleep(30));
      });
      return getRunningLoop().time();
    });
    expect(time).toBe(60);
  });
});

describe('bad input', () => {
  it.each([
    [{ seed: -1 }, ValueError],
    [{ seed: 2 ** 32 }, ValueError],
    [{ seed: 1.5 }, TypeError],
    [{ seed: '7' }, TypeError],
    [{ autojump: 'yes' }, TypeError],
    [{ startTime: -1 }, ValueError],
    [{ startTime: Number.NaN }, TypeError],
  ])('new VirtualTimeLoop(%p) throws %p', (options, errorClass) => {
    expect(() => new VirtualTimeLoop(options as never)).toThrow(errorClass);
  });
});
