import { Deque } from './internal/deque.js';
import type { QueueStore } from './internal/queue-store.js';
import { Queue, type QueueOptions } from './queue.js';

/**
 * A last-in, first-out queue (a stack): `get()` returns the item put most recently.
 * Everything else (waiting, `join()`, `shutdown()`, async iteration, cancellation) is
 * Queue's; the constructor takes `maxsize` or `{ maxsize }`.
 *
 * @throws TypeError from the constructor when `maxsize` is not an integer.
 * @example
 * ```ts
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * stack.getNowait(); // 2
 * ```
 *
 * Python parity: `asyncio.LifoQueue`
 */
export class LifoQueue<T> extends Queue<T> {
  /** @internal */
  protected override _createStore(_options: number | QueueOptions): QueueStore<T> {
    return new LifoStore<T>();
  }
}

/** The store of a LifoQueue: the same ring-buffer deque, taken from the back. */
class LifoStore<T> extends Deque<T> implements QueueStore<T> {
  push(item: T): void {
    this.pushBack(item);
  }

  pop(): T {
    return this.popBack();
  }
}
