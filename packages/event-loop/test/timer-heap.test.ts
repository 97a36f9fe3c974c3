import fc from 'fast-check';
import { TimerHeap, type HeapTimer } from '../src/internal/timer-heap.js';

interface TestTimer extends HeapTimer {
  _cancelled: boolean;
  readonly id: number;
}

let nextId = 0;
function timer(when: number): TestTimer {
  return { _when: when, _sequence: 0, _cancelled: false, _scheduled: false, id: nextId++ };
}

function cancel(heap: TimerHeap<TestTimer>, t: TestTimer): void {
  if (t._cancelled) return;
  t._cancelled = true;
  if (t._scheduled) heap.noteCancelled();
}

function drain(heap: TimerHeap<TestTimer>): TestTimer[] {
  const out: TestTimer[] = [];
  for (let t = heap.pop(); t !== undefined; t = heap.pop()) out.push(t);
  return out;
}

describe('TimerHeap', () => {
  it('pops in deadline order, FIFO among equal deadlines', () => {
    const heap = new TimerHeap<TestTimer>();
    const timers = [3, 1, 2, 1, 3, 1].map(timer);
    for (const t of timers) heap.push(t);
    expect(drain(heap).map((t) => [t._when, t.id - timers[0]!.id])).toEqual([
      [1, 1],
      [1, 3],
      [1, 5],
      [2, 2],
      [3, 0],
      [3, 4],
    ]);
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
  });

  it('never returns a cancelled timer; peek discards them from the top', () => {
    const heap = new TimerHeap<TestTimer>();
    const [a, b, c] = [timer(1), timer(2), timer(3)];
    for (const t of [a!, b!, c!]) heap.push(t);
    cancel(heap, a!);
    cancel(heap, c!);
    expect(heap.cancelledCount).toBe(2);
    expect(heap.peek()).toBe(b);
    expect(heap.cancelledCount).toBe(1);
    expect(a!._scheduled).toBe(false);
    expect(drain(heap)).toEqual([b]);
    expect(heap.cancelledCount).toBe(0);
  });

  it('random pushes, cancels and pops come out ordered by (when, insertion) (property)', () => {
    type Op = { kind: 'push'; when: number } | { kind: 'cancel'; index: number } | { kind: 'pop' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), when: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('cancel' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const heap = new TimerHeap<TestTimer>();
        const model: TestTimer[] = []; // live timers in insertion order
        const all: TestTimer[] = [];
        const expectNext = (): TestTimer | undefined => {
          let best: TestTimer | undefined;
          for (const t of model) if (best === undefined || t._when < best._when) best = t;
          return best; // first inserted among the earliest
        };
        for (const o of ops) {
          if (o.kind === 'push') {
            const t = timer(o.when);
            heap.push(t);
            model.push(t);
            all.push(t);
          } else if (o.kind === 'cancel' && all.length > 0) {
            const t = all[o.index % all.length]!;
            cancel(heap, t);
            const i = model.indexOf(t);
            if (i !== -1) model.splice(i, 1);
          } else if (o.kind === 'pop') {
            const expected = expectNext();
            expect(heap.pop()).toBe(expected);
            if (expected !== undefined) model.splice(model.indexOf(expected), 1);
          }
          expect(heap.size).toBeGreaterThanOrEqual(model.length);
        }
        expect(drain(heap)).toEqual(
          [...model].sort((x, y) => x._when - y._when || x._sequence - y._sequence),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('1,000,000 cancelled timers keep the heap small (test__run_once_cancelled_event_cleanup)', () => {
    const heap = new TimerHeap<TestTimer>();
    const live = timer(1e9);
    heap.push(live);
    let maxSize = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const t = timer(i);
      heap.push(t);
      cancel(heap, t);
      if (heap.size > maxSize) maxSize = heap.size;
    }
    // Rebuilt whenever cancelled timers exceed half of a heap of more than 100.
    expect(maxSize).toBeLessThanOrEqual(102);
    expect(drain(heap)).toEqual([live]);
  });

  it('keeps at most about twice the live timers when many are cancelled', () => {
    const heap = new TimerHeap<TestTimer>();
    const timers = Array.from({ length: 10_000 }, (_, i) => timer(i));
    for (const t of timers) heap.push(t);
    for (let i = 0; i < timers.length; i += 4) {
      for (let j = 1; j < 4; j++) cancel(heap, timers[i + j]!); // keep one in four
    }
    expect(heap.size).toBeLessThanOrEqual(2 * 2_500 + 1);
    expect(drain(heap).map((t) => t._when)).toEqual(Array.from({ length: 2_500 }, (_, i) => i * 4));
  });

  it('clear() empties the heap and unschedules its timers', () => {
    const heap = new TimerHeap<TestTimer>();
    const t = timer(1);
    heap.push(t);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(t._scheduled).toBe(false);
  });
});
