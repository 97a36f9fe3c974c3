import { getRunningLoop } from '@tsio/core';
import { createTask, sleep, TaskGroup } from '@tsio/futures';
import { runVirtual, VirtualTimeLoop } from '../../src/index.js';
import { loadThenRead, loadThenReadFixed } from '../fixtures/config-race.js';

// Many runs per test: debug mode (and its garbage collection at the end) is left off where the
// test is about ordering only.

/** Runs `main` on a seeded loop; returns its result or the message it failed with. */
async function outcome(seed: number | null, main: () => Promise<string>): Promise<string> {
  try {
    return await runVirtual(main, { seed, debug: false });
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

describe('seeded mode', () => {
  it('exposes its seed (null when not shuffling)', () => {
    expect(new VirtualTimeLoop({ seed: 42 }).seed).toBe(42);
    expect(new VirtualTimeLoop().seed).toBeNull();
  });

  it('finds the planted ordering bug, and the failing seed replays it', async () => {
    // FIFO order hides the bug.
    await expect(outcome(null, loadThenRead)).resolves.toBe('running in production mode');

    let failingSeed: number | null = null;
    let failure = '';
    for (let seed = 1; seed <= 20 && failingSeed === null; seed++) {
      const result = await outcome(seed, loadThenRead);
      if (result.startsWith('failed')) {
        failingSeed = seed;
        failure = result;
      }
    }
    expect(failingSeed).not.toBeNull();
    expect(failure).toBe('failed: settings read before they were loaded');
    // Replaying the seed fails the same way, every time.
    for (let i = 0; i < 3; i++) {
      await expect(outcome(failingSeed, loadThenRead)).resolves.toBe(failure);
    }
  });

  it('the fixed program passes under every seed tried', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      await expect(outcome(seed, loadThenReadFixed)).resolves.toBe('running in production mode');
    }
  });

  it('the same seed gives the same order; different seeds give different orders', async () => {
    const order = (seed: number): Promise<string> =>
      runVirtual(
        async () => {
          const log: string[] = [];
          await TaskGroup.run((tg) => {
            for (const name of 'abcdef') {
              tg.createTask(async () => {
                for (let i = 0; i < 3; i++) {
                  await sleep(0);
                  log.push(name);
                }
              });
            }
          });
          return log.join('');
        },
        { seed, debug: false },
      );
    const first = await order(7);
    expect(await order(7)).toBe(first);
    const others = new Set<string>();
    for (let seed = 1; seed <= 10; seed++) others.add(await order(seed));
    expect(others.size).toBeGreaterThan(1);
    // Each task's own steps stay in order: every name appears three times.
    expect([...first].sort().join('')).toBe('aaabbbcccdddeeefff');
  });

  it('keeps the order of callbacks scheduled by the same task (FIFO per source)', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const log = await runVirtual(
        async () => {
          const loop = getRunningLoop();
          const seen: number[] = [];
          const done = loop.createFuture<void>();
          for (let i = 0; i < 5; i++) loop.callSoon(() => seen.push(i));
          loop.callSoon(() => done.setResult());
          await done;
          return seen;
        },
        { seed, debug: false },
      );
      expect(log).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('shuffles timers that fall due at the same time', async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      orders.add(
        await runVirtual(
          async () => {
            const loop = getRunningLoop();
            const seen: string[] = [];
            for (const name of 'abcd') loop.callLater(1, () => seen.push(name));
            await sleep(2);
            return seen.join('');
          },
          { seed, debug: false },
        ),
      );
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('timers due at different times still run in deadline order', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const log = await runVirtual(
        async () => {
          const seen: number[] = [];
          const tasks = [3, 1, 2].map((delay) =>
            createTask(async () => {
              await sleep(delay);
              seen.push(delay);
            }),
          );
          for (const task of tasks) await task;
          return seen;
        },
        { seed, debug: false },
      );
      expect(log).toEqual([1, 2, 3]);
    }
  });
});
