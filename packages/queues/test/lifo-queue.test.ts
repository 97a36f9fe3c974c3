import fc from 'fast-check';
import { createTask } from '@tsio/futures';
import { LifoQueue } from '../src/index.js';
import { runOnNewLoop, spin } from './helpers.js';
import { checkAgainstModel, opsArb } from './ordering-property.js';

describe('LifoQueue', () => {
  it('returns the most recent item first (test_order)', async () => {
    await runOnNewLoop(async () => {
      const q = new LifoQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([2, 3, 1]);
    });
  });

  it('blocks the putter at maxsize; a get frees the top slot (test_maxsize, LIFO order)', async () => {
    await runOnNewLoop(async () => {
      const q = new LifoQueue<number>({ maxsize: 2 });
      const t = createTask(async () => {
        for (let i = 0; i < 3; i++) await q.put(i);
      });
      await spin(2);
      expect(q.qsize()).toBe(2);
      expect(await q.get()).toBe(1);
      await t;
      expect([q.getNowait(), q.getNowait()]).toEqual([2, 0]);
    });
  });

  it('keeps LIFO order over random putNowait/getNowait sequences (property)', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        checkAgainstModel(ops, new LifoQueue(), (pending) => pending.pop()!);
      }),
    );
  });
});
