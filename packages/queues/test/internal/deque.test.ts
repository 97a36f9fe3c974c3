import fc from 'fast-check';
import { Deque } from '../../src/internal/deque.js';

describe('Deque (ring buffer)', () => {
  it('pushes and pops at both ends, growing past its capacity', () => {
    const d = new Deque<number>(4);
    for (let i = 0; i < 10; i++) d.pushBack(i);
    expect([d.size, d.popFront(), d.popBack(), d.at(0), d.at(7), d.at(8)]).toEqual([
      10,
      0,
      9,
      1,
      8,
      undefined,
    ]);
    expect([...d]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('removes an item from the middle, and reports a missing one', () => {
    const d = new Deque<string>();
    for (const s of ['a', 'b', 'c']) d.pushBack(s);
    expect([d.remove('b'), d.remove('x')]).toEqual([true, false]);
    expect([...d]).toEqual(['a', 'c']);
    d.clear();
    expect(d.size).toBe(0);
  });

  it('throws RangeError when popped empty', () => {
    const d = new Deque<number>();
    expect(() => d.popFront()).toThrow(RangeError);
    expect(() => d.popBack()).toThrow(RangeError);
  });

  it('behaves like an array over random operations, across wrap-around (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), value: fc.integer() }),
      fc.record({
        kind: fc.constantFrom('popFront' as const, 'popBack' as const, 'remove' as const),
        value: fc.nat(5),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const d = new Deque<number>(4);
        const model: number[] = [];
        for (const { kind, value } of ops) {
          if (kind === 'push') {
            d.pushBack(value);
            model.push(value);
          } else if (kind === 'remove') {
            const target = model[value];
            if (target === undefined) continue;
            expect(d.remove(target)).toBe(true);
            model.splice(model.indexOf(target), 1);
          } else if (model.length > 0) {
            expect(kind === 'popFront' ? d.popFront() : d.popBack()).toBe(
              kind === 'popFront' ? model.shift() : model.pop(),
            );
          }
          expect([...d]).toEqual(model);
        }
      }),
    );
  });
});
