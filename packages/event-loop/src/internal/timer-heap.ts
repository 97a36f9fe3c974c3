/** What the heap needs from a timer (TimerHandle has these fields). */
export interface HeapTimer {
  /** Due time; the heap orders by it. */
  readonly _when: number;
  /** Set by the heap on push: insertion order, the tie-break of equal `_when`. */
  _sequence: number;
  /** True once cancelled; a cancelled timer is dropped, never returned. */
  readonly _cancelled: boolean;
  /** True while the timer is in the heap; the heap maintains it. */
  _scheduled: boolean;
}

/** asyncio's `_MIN_SCHEDULED_TIMER_HANDLES`: below this size, never rebuild. */
const MIN_SCHEDULED_TIMERS_FOR_REBUILD = 100;
/** asyncio's `_MIN_CANCELLED_TIMER_HANDLES_FRACTION`. */
const MAX_CANCELLED_FRACTION = 0.5;

/**
 * A binary min-heap of timers ordered by (when, insertion order), so timers due at the same
 * time come out first in, first out.
 *
 * Cancellation is lazy: a cancelled timer stays until it reaches the top (where `peek`/`pop`
 * discard it) or until cancelled timers make up more than half of a heap of more than 100,
 * when the heap is rebuilt without them (asyncio's rule, checked on each cancellation, so the
 * memory held by cancelled timers stays bounded by the live ones).
 */
export class TimerHeap<T extends HeapTimer> {
  #items: T[] = [];
  #cancelled = 0;
  #nextSequence = 0;

  /** Number of timers held, cancelled ones included. */
  get size(): number {
    return this.#items.length;
  }

  /** Number of cancelled timers still held. */
  get cancelledCount(): number {
    return this.#cancelled;
  }

  /** Adds a timer that is not cancelled and not already in a heap. */
  push(timer: T): void {
    timer._sequence = this.#nextSequence++;
    timer._scheduled = true;
    const items = this.#items;
    items.push(timer);
    this.#siftUp(items.length - 1);
  }

  /**
   * Returns the earliest live timer without removing it, or `undefined` when none is left.
   * Cancelled timers found at the top are discarded on the way.
   */
  peek(): T | undefined {
    const items = this.#items;
    let top = items[0];
    while (top !== undefined && top._cancelled) {
      this.#removeTop();
      this.#cancelled--;
      top = items[0];
    }
    return top;
  }

  /** Removes and returns the earliest live timer, or `undefined` when none is left. */
  pop(): T | undefined {
    const top = this.peek();
    if (top !== undefined) this.#removeTop();
    return top;
  }

  /**
   * Records that a timer held by this heap was cancelled; rebuilds the heap without the
   * cancelled timers when they exceed half of it (and it holds more than 100).
   */
  noteCancelled(): void {
    this.#cancelled++;
    const size = this.#items.length;
    if (
      size > MIN_SCHEDULED_TIMERS_FOR_REBUILD &&
      this.#cancelled > size * MAX_CANCELLED_FRACTION
    ) {
      this.#rebuild();
    }
  }

  /** Removes every timer. */
  clear(): void {
    for (const timer of this.#items) timer._scheduled = false;
    this.#items = [];
    this.#cancelled = 0;
  }

  #rebuild(): void {
    const live: T[] = [];
    for (const timer of this.#items) {
      if (timer._cancelled) timer._scheduled = false;
      else live.push(timer);
    }
    this.#items = live;
    this.#cancelled = 0;
    for (let i = (live.length >>> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }

  #removeTop(): void {
    const items = this.#items;
    const top = items[0] as T;
    top._scheduled = false;
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      this.#siftDown(0);
    }
  }

  #siftUp(index: number): void {
    const items = this.#items;
    const timer = items[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >>> 1;
      const parent = items[parentIndex] as T;
      if (!before(timer, parent)) break;
      items[index] = parent;
      index = parentIndex;
    }
    items[index] = timer;
  }

  #siftDown(index: number): void {
    const items = this.#items;
    const length = items.length;
    const timer = items[index] as T;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && before(items[right] as T, items[child] as T)) child = right;
      const smallest = items[child] as T;
      if (!before(smallest, timer)) break;
      items[index] = smallest;
      index = child;
    }
    items[index] = timer;
  }
}

/** Strict (when, sequence) order. */
function before(a: HeapTimer, b: HeapTimer): boolean {
  return a._when < b._when || (a._when === b._when && a._sequence < b._sequence);
}
