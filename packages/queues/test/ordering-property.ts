// A fast-check property shared by the per-class ordering tests: a random sequence of
// putNowait/getNowait calls on a queue gives the same items as a simple model.
import fc from 'fast-check';

/** One step: put a [priority, id] pair, or get. */
export type Op = { readonly put: number } | { readonly get: true };

export const opsArb: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(fc.record({ put: fc.integer({ min: 0, max: 4 }) }), fc.constant({ get: true } as const)),
  { maxLength: 200 },
);

/** Items are `[priority, id]` with a unique, increasing id, so ties can be told apart. */
export type Item = readonly [number, number];

interface SyncQueue {
  putNowait(item: Item): void;
  getNowait(): Item;
  empty(): boolean;
  qsize(): number;
}

/** Runs `ops` on `queue` and on `model` (whose `take` removes the expected next item). */
export function checkAgainstModel(
  ops: readonly Op[],
  queue: SyncQueue,
  take: (pending: Item[]) => Item,
): void {
  const pending: Item[] = [];
  let id = 0;
  for (const op of ops) {
    if ('put' in op) {
      const item: Item = [op.put, id++];
      queue.putNowait(item);
      pending.push(item);
    } else if (pending.length === 0) {
      expect(queue.empty()).toBe(true);
    } else {
      expect(queue.getNowait()).toEqual(take(pending));
    }
    expect(queue.qsize()).toBe(pending.length);
  }
}
