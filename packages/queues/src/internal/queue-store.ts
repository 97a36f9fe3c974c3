/**
 * Where a queue keeps its items; the one thing Queue, LifoQueue and PriorityQueue differ in
 * (asyncio's overridable `_init`, `_put` and `_get`). `pop` may throw (a PriorityQueue
 * comparator); it must then leave the store unchanged.
 */
export interface QueueStore<T> extends Iterable<T> {
  readonly size: number;
  push(item: T): void;
  pop(): T;
  clear(): void;
}
