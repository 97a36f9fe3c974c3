import { RuntimeError, ValueError } from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { VirtualTimeLoop } from '../../src/index.js';

let loop: VirtualTimeLoop;
beforeEach(() => {
  loop = new VirtualTimeLoop({ autojump: false });
});
afterEach(() => {
  if (!loop.isRunning() && !loop.isClosed()) loop.close();
});

describe('advance() and runUntilIdle() with autojump off', () => {
  it('time stands still until advanced', async () => {
    const seen = await loop.runUntilComplete(async () => {
      const sleeper = createTask(() => sleep(10, 'woke'));
      await loop.runUntilIdle();
      const before = [loop.time(), sleeper.done()];
      await loop.advance(9.5);
      const middle = [loop.time(), sleeper.done()];
      await loop.advance(0.5);
      return [before, middle, [loop.time(), sleeper.done(), sleeper.result()]];
    });
    expect(seen).toEqual([
      [0, false],
      [9.5, false],
      [10, true, 'woke'],
    ]);
  });

  it('advance() stops at each deadline on the way, in order', async () => {
    const log = await loop.runUntilComplete(async () => {
      const seen: string[] = [];
      loop.callLater(3, () => seen.push(`3 at ${loop.time()}`));
      loop.callLater(1, () => {
        seen.push(`1 at ${loop.time()}`);
        // scheduled by the timer at t=1: runs at t=2, before the timer at t=3
        loop.callLater(1, () => seen.push(`2 at ${loop.time()}`));
      });
      await loop.advance(5);
      seen.push(`end at ${loop.time()}`);
      return seen;
    });
    expect(log).toEqual(['1 at 1', '2 at 2', '3 at 3', 'end at 5']);
  });

  it('runUntilIdle() runs what is ready and leaves future timers', async () => {
    const result = await loop.runUntilComplete(async () => {
      const steps: string[] = [];
      const worker = createTask(async () => {
        steps.push('start');
        await sleep(0);
        steps.push('after yield');
        await sleep(1);
        steps.push('after sleep');
      });
      await loop.runUntilIdle();
      const idle = [...steps];
      await loop.advance(1);
      await worker;
      return { idle, steps, time: loop.time() };
    });
    expect(result).toEqual({
      idle: ['start', 'after yield'],
      steps: ['start', 'after yield', 'after sleep'],
      time: 1,
    });
  });

  it('advance(0) runs the timers due now', async () => {
    const ran = await loop.runUntilComplete(async () => {
      let fired = false;
      loop.callLater(0, () => (fired = true));
      await loop.advance(0);
      return fired;
    });
    expect(ran).toBe(true);
  });

  it('can be driven from outside the loop', async () => {
    const done = loop.runUntilComplete(() => sleep(2, 'late'));
    await loop.advance(2);
    await expect(done).resolves.toBe('late');
  });

  it('advance() on a loop that is not running only moves time', async () => {
    await loop.advance(7);
    expect(loop.time()).toBe(7);
    await loop.runUntilIdle();
  });

  it('rejects a negative advance with ValueError', async () => {
    await expect(loop.advance(-1)).rejects.toThrow(ValueError);
    await expect(loop.advance(-1)).rejects.toThrow(
      'advance() expects seconds >= 0 (virtual time never goes backwards), got -1',
    );
  });

  it.each([Number.NaN, Infinity, '1', null])('rejects advance(%p) with TypeError', async (bad) => {
    await expect(loop.advance(bad as number)).rejects.toThrow(TypeError);
  });

  it('rejects advance() and runUntilIdle() on a closed loop', async () => {
    loop.close();
    await expect(loop.advance(1)).rejects.toThrow(RuntimeError);
    await expect(loop.runUntilIdle()).rejects.toThrow('Event loop is closed');
  });
});

describe('advance() with autojump on', () => {
  it('holds autojump back until it is done', async () => {
    const auto = new VirtualTimeLoop();
    const times = await auto.runUntilComplete(async () => {
      auto.callLater(100, () => {});
      await auto.advance(5);
      const afterAdvance = auto.time();
      await sleep(1);
      return [afterAdvance, auto.time()];
    });
    expect(times).toEqual([5, 6]);
    auto.close();
  });
});
