/**
 * A double-ended queue on a ring buffer: O(1) push and pop at both ends (amortized), so the
 * queues never pay for `Array.prototype.shift`. The capacity is a power of two and doubles
 * when full; it never shrinks below the largest size reached.
 */
export class Deque<T> {
  #buffer: (T | undefined)[];
  #mask: number;
  #head = 0;
  #size = 0;

  constructor(initialCapacity = 16) {
    let capacity = 4;
    while (capacity < initialCapacity) capacity *= 2;
    this.#buffer = new Array<T | undefined>(capacity);
    this.#mask = capacity - 1;
  }

  /** The number of items. */
  get size(): number {
    return this.#size;
  }

  /** Adds `item` at the back. */
  pushBack(item: T): void {
    if (this.#size === this.#buffer.length) this.#grow();
    this.#buffer[(this.#head + this.#size) & this.#mask] = item;
    this.#size += 1;
  }

  /** Removes and returns the front item. Throws RangeError when empty (a caller bug). */
  popFront(): T {
    if (this.#size === 0) throw new RangeError('popFront() on an empty deque');
    const item = this.#buffer[this.#head] as T;
    this.#buffer[this.#head] = undefined; // let the item be collected
    this.#head = (this.#head + 1) & this.#mask;
    this.#size -= 1;
    return item;
  }

  /** Removes and returns the back item. Throws RangeError when empty (a caller bug). */
  popBack(): T {
    if (this.#size === 0) throw new RangeError('popBack() on an empty deque');
    const index = (this.#head + this.#size - 1) & this.#mask;
    const item = this.#buffer[index] as T;
    this.#buffer[index] = undefined;
    this.#size -= 1;
    return item;
  }

  /** The item at position `i` from the front (0 is the front), or undefined when out of range. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.#size) return undefined;
    return this.#buffer[(this.#head + i) & this.#mask];
  }

  /**
   * Removes the first occurrence of `item` (compared with `===`); returns whether it was
   * there. O(n), like Python's `deque.remove`: used only to take a cancelled waiter out.
   */
  remove(item: T): boolean {
    for (let i = 0; i < this.#size; i++) {
      if (this.#buffer[(this.#head + i) & this.#mask] !== item) continue;
      for (let j = i; j < this.#size - 1; j++) {
        this.#buffer[(this.#head + j) & this.#mask] =
          this.#buffer[(this.#head + j + 1) & this.#mask];
      }
      this.#buffer[(this.#head + this.#size - 1) & this.#mask] = undefined;
      this.#size -= 1;
      return true;
    }
    return false;
  }

  /** Removes every item. */
  clear(): void {
    this.#buffer.fill(undefined);
    this.#head = 0;
    this.#size = 0;
  }

  /** The items from front to back. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.#size; i++) yield this.#buffer[(this.#head + i) & this.#mask] as T;
  }

  #grow(): void {
    const old = this.#buffer;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.#size; i++) next[i] = old[(this.#head + i) & this.#mask];
    this.#buffer = next;
    this.#mask = next.length - 1;
    this.#head = 0;
  }
}
