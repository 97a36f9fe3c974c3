import fc from 'fast-check';
import { BinaryHeap } from '../../src/internal/binary-heap.js';

type Entry = readonly [number, number];
const byPriority = (a: Entry, b: Entry): number => a[0] - b[0];

describe('BinaryHeap', () => {
  it('pops the smallest first, equal items in insertion order', () => {
    const h = new BinaryHeap<Entry>(byPriority);
    for (const e of [
      [3, 0],
      [1, 1],
      [3, 2],
      [1, 3],
      [2, 4],
    ] as const)
      h.push(e);
    expect([h.size, h.peek()]).toEqual([5, [1, 1]]);
    const out: Entry[] = [];
    while (h.size > 0) out.push(h.pop());
    expect(out).toEqual([
      [1, 1],
      [1, 3],
      [2, 4],
      [3, 0],
      [3, 2],
    ]);
    expect(() => h.pop()).toThrow(RangeError);
  });

  it('is a stable priority order over random push/pop sequences (property)', () => {
    const op = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const h = new BinaryHeap<Entry>(byPriority);
        const model: Entry[] = [];
        let id = 0;
        for (const priority of ops) {
          if (priority !== null) {
            const e: Entry = [priority, id++];
            h.push(e);
            model.push(e);
          } else if (model.length > 0) {
            const sorted = [...model].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            const expected = sorted[0]!;
            model.splice(model.indexOf(expected), 1);
            expect(h.pop()).toBe(expected);
          }
          expect(h.size).toBe(model.length);
        }
      }),
    );
  });

  it('a throwing comparator leaves it unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 40 }),
        fc.nat(50),
        (values, failAfter) => {
          let calls = 0;
          let armed = false;
          const h = new BinaryHeap<number>((a, b) => {
            if (armed && calls++ >= failAfter) throw new Error('boom');
            return a - b;
          });
          for (const v of values) h.push(v);
          armed = true;
          try {
            h.push(-1);
          } catch {
            // unchanged
          }
          try {
            h.pop();
          } catch {
            // unchanged
          }
          armed = false;
          const out: number[] = [];
          while (h.size > 0) out.push(h.pop());
          expect([...out].sort((a, b) => a - b)).toEqual(out);
        },
      ),
    );
  });
});
