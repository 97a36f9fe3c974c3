import { BinaryHeap, type Comparator } from './internal/binary-heap.js';
import { defaultComparator } from './internal/default-comparator.js';
import type { QueueStore } from './internal/queue-store.js';
import { Queue, type QueueOptions } from './queue.js';

export type { Comparator } from './internal/binary-heap.js';

/** The options of a PriorityQueue: Queue's `maxsize`, and the order of the items. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders two items: negative when `a` comes out first, positive when `b` does, 0 when
   * they are equal (equal items come out in the order they were put). Default: `<` on the
   * item, or on the first element of an array item.
   */
  readonly comparator?: Comparator<T>;
}

/**
 * A queue that returns the lowest item first, by the `comparator` option or by default by
 * `<` on the item (or on the first element of an array item, as in `[priority, data]`).
 * Items of equal priority come out first-in, first-out. Everything else (waiting, `join()`,
 * `shutdown()`, async iteration, cancellation) is Queue's; the constructor takes `maxsize`
 * or `{ maxsize, comparator }`.
 *
 * A comparator that throws makes `putNowait`/`put` (or `getNowait`/`get`) throw its error
 * and leaves the queue unchanged.
 *
 * @throws TypeError from the constructor when `maxsize` is not an integer or `comparator`
 *   not a function; from `put`/`get` when the default order meets items it cannot compare.
 * @example
 * ```ts
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putNowait([2, 'later']);
 * jobs.putNowait([1, 'first']);
 * jobs.getNowait(); // [1, 'first']
 *
 * const byDeadline = new PriorityQueue<{ deadline: number }>({
 *   maxsize: 100,
 *   comparator: (a, b) => a.deadline - b.deadline,
 * });
 * ```
 *
 * Python parity: `asyncio.PriorityQueue`
 */
export class PriorityQueue<T> extends Queue<T> {
  /** @param options - `maxsize`, or `{ maxsize, comparator }` */
  constructor(options: number | PriorityQueueOptions<T> = 0) {
    super(options);
  }

  /** @internal */
  protected override _createStore(options: number | PriorityQueueOptions<T>): QueueStore<T> {
    const comparator = typeof options === 'object' ? options.comparator : undefined;
    if (comparator !== undefined && typeof comparator !== 'function') {
      throw new TypeError(
        `comparator must be a function (a, b) => number, got ${typeof comparator}`,
      );
    }
    return new BinaryHeap<T>(comparator ?? defaultComparator);
  }
}
