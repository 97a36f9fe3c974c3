import fc from 'fast-check';
import { createTask } from '@tsio/futures';
import { PriorityQueue } from '../src/index.js';
import { outcomeOf, runOnNewLoop, spin } from './helpers.js';
import { checkAgainstModel, opsArb, type Item } from './ordering-property.js';

describe('PriorityQueue', () => {
  it('returns the lowest item first (test_order)', async () => {
    await runOnNewLoop(async () => {
      const q = new PriorityQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([1, 2, 3]);
    });
  });

  it('orders array items by their first element, first in first out among equals', () => {
    const q = new PriorityQueue<[number, string]>();
    for (const item of [
      [2, 'b1'],
      [1, 'a'],
      [2, 'b2'],
      [0, 'z'],
      [2, 'b3'],
    ] as const) {
      q.putNowait([...item]);
    }
    const out: string[] = [];
    while (!q.empty()) out.push(q.getNowait()[1]);
    expect(out).toEqual(['z', 'a', 'b1', 'b2', 'b3']);
  });

  it('orders strings and bigints with < by default', () => {
    const words = new PriorityQueue<string>();
    for (const w of ['pear', 'apple', 'fig']) words.putNowait(w);
    expect([words.getNowait(), words.getNowait(), words.getNowait()]).toEqual([
      'apple',
      'fig',
      'pear',
    ]);
    const big = new PriorityQueue<bigint | number>();
    for (const n of [3n, 1, 2n]) big.putNowait(n);
    expect([big.getNowait(), big.getNowait(), big.getNowait()]).toEqual([1, 2n, 3n]);
  });

  it('takes a comparator option, and maxsize beside it', async () => {
    await runOnNewLoop(async () => {
      const q = new PriorityQueue<{ deadline: number; name: string }>({
        maxsize: 2,
        comparator: (a, b) => b.deadline - a.deadline, // latest deadline first
      });
      expect(q.maxsize).toBe(2);
      q.putNowait({ deadline: 1, name: 'early' });
      q.putNowait({ deadline: 5, name: 'late' });
      const putter = createTask(() => q.put({ deadline: 3, name: 'middle' }));
      await spin();
      expect(putter.done()).toBe(false);
      expect(q.getNowait().name).toBe('late');
      await putter;
      expect([q.getNowait().name, q.getNowait().name]).toEqual(['middle', 'early']);
    });
  });

  it('rejects a comparator that is not a function with TypeError', () => {
    expect(() => new PriorityQueue({ comparator: 3 as unknown as () => number })).toThrow(
      new TypeError('comparator must be a function (a, b) => number, got number'),
    );
  });

  it('raises TypeError when the default order meets items it cannot compare', () => {
    const objects = new PriorityQueue<object>();
    objects.putNowait({}); // nothing to compare with yet, as in Python
    expect(outcomeOf(() => objects.putNowait({}))).toBe(
      'TypeError(PriorityQueue orders numbers, bigints and strings (or arrays starting with one) ' +
        'by default, got a Object object; pass a comparator option: new PriorityQueue({ comparator }))',
    );
    expect(objects.qsize()).toBe(1);
    const mixed = new PriorityQueue<number | string>();
    mixed.putNowait(1);
    expect(outcomeOf(() => mixed.putNowait('1'))).toBe(
      'TypeError(PriorityQueue cannot order "1" against 1 by default; ' +
        'pass a comparator option: new PriorityQueue({ comparator }))',
    );
    expect([mixed.qsize(), mixed.getNowait()]).toEqual([1, 1]);
  });

  it('a throwing comparator leaves the queue unchanged, on put and on get', () => {
    let fail = false;
    const q = new PriorityQueue<number>({
      comparator: (a, b) => {
        if (fail) throw new RangeError('boom');
        return a - b;
      },
    });
    for (const n of [5, 1, 4, 2, 3]) q.putNowait(n);
    fail = true;
    expect(outcomeOf(() => q.putNowait(0))).toBe('RangeError(boom)');
    expect(outcomeOf(() => q.getNowait())).toBe('RangeError(boom)');
    expect(String(q)).toContain('tasks=5');
    fail = false;
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    expect(out).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps priority order, FIFO among ties, over random putNowait/getNowait sequences (property)', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        checkAgainstModel(ops, new PriorityQueue<Item>(), (pending) => {
          // The lowest priority; the earliest put among equals (a stable minimum).
          let best = 0;
          pending.forEach((item, i) => {
            if (item[0] < pending[best]![0]) best = i;
          });
          return pending.splice(best, 1)[0]!;
        });
      }),
    );
  });
});
