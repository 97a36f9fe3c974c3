import fc from 'fast-check';
import { createTask, sleep } from '@tsio/futures';
import { Queue } from '../src/index.js';
import { runOnNewLoop, spin } from './helpers.js';
import { checkAgainstModel, opsArb } from './ordering-property.js';

describe('Queue', () => {
  it('returns items first in, first out (test_order)', async () => {
    await runOnNewLoop(async () => {
      const q = new Queue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([1, 3, 2]);
    });
  });

  it('blocks the putter at maxsize until a get (test_maxsize)', async () => {
    await runOnNewLoop(async () => {
      const q = new Queue<number>(2);
      expect(q.maxsize).toBe(2);
      const haveBeenPut: number[] = [];
      const t = createTask(async () => {
        for (let i = 0; i < 3; i++) {
          await q.put(i);
          haveBeenPut.push(i);
        }
        return true;
      });
      await spin(2);
      expect(haveBeenPut).toEqual([0, 1]);
      expect(await q.get()).toBe(0);
      await spin();
      expect(haveBeenPut).toEqual([0, 1, 2]);
      expect([await q.get(), await q.get()]).toEqual([1, 2]);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });

  it('a woken-then-cancelled reader leaves the first item first (test_get_cancel_drop_one_pending_reader)', async () => {
    await runOnNewLoop(async () => {
      const q = new Queue<number>();
      const reader = createTask(() => q.get());
      await spin();
      q.putNowait(1);
      q.putNowait(2);
      reader.cancel();
      await expect(reader).rejects.toThrow();
      expect(await createTask(() => q.get())).toBe(1); // 2 would mean 1 was dropped
    });
  });

  it('waiting getters are served in the order they came', async () => {
    await runOnNewLoop(async () => {
      const q = new Queue<string>();
      const got: string[] = [];
      const getters = ['g1', 'g2', 'g3'].map((name) =>
        createTask(async () => got.push(`${name}:${await q.get()}`)),
      );
      await spin();
      for (const item of ['a', 'b', 'c']) q.putNowait(item);
      await Promise.all(getters);
      expect(got).toEqual(['g1:a', 'g2:b', 'g3:c']);
    });
  });

  it('keeps FIFO order over random putNowait/getNowait sequences (property)', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        checkAgainstModel(ops, new Queue(), (pending) => pending.shift()!);
      }),
    );
  });

  it('keeps FIFO order with blocking producers and a bounded queue (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.array(fc.nat(2), { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(2), { maxLength: 40 }),
        async (maxsize, producers, consumerPauses) => {
          const got = await runOnNewLoop(async () => {
            const q = new Queue<string>(maxsize);
            const tasks = producers.map((pauses, p) =>
              createTask(async () => {
                for (const [i, pause] of pauses.entries()) {
                  for (let k = 0; k < pause; k++) await sleep(0);
                  await q.put(`${p}:${i}`);
                }
              }),
            );
            const total = producers.reduce((n, pauses) => n + pauses.length, 0);
            const out: string[] = [];
            for (let n = 0; n < total; n++) {
              for (let k = 0; k < (consumerPauses[n] ?? 0); k++) await sleep(0);
              out.push(await q.get());
            }
            await Promise.all(tasks);
            return out;
          });
          // Each producer's items come out in the order it put them, and none is lost.
          producers.forEach((pauses, p) => {
            const mine = got.filter((item) => item.startsWith(`${p}:`));
            expect(mine).toEqual(pauses.map((_, i) => `${p}:${i}`));
          });
        },
      ),
      { numRuns: 50 },
    );
  });
});
