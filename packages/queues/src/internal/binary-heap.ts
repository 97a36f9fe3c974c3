/** Orders two items: negative when `a` comes first, positive when `b` does, 0 when equal. */
export type Comparator<T> = (a: T, b: T) => number;

interface Entry<T> {
  readonly item: T;
  /** Insertion number: equal items leave in the order they came (FIFO ties). */
  readonly seq: number;
}

/**
 * A binary min-heap with a stable order: items that compare equal leave first-in,
 * first-out, through an insertion counter used as the tie-break.
 *
 * Exception-safe: `push` and `pop` find where the items go with comparisons only, and move
 * items after the last comparison, so a comparator that throws leaves the heap unchanged
 * (a queue never holds a half-added item).
 */
export class BinaryHeap<T> {
  readonly #entries: Entry<T>[] = [];
  readonly #compare: Comparator<T>;
  #nextSeq = 0;

  constructor(compare: Comparator<T>) {
    this.#compare = compare;
  }

  /** The number of items. */
  get size(): number {
    return this.#entries.length;
  }

  /** Adds `item`. */
  push(item: T): void {
    const entry: Entry<T> = { item, seq: this.#nextSeq };
    const entries = this.#entries;
    // Phase 1, comparisons only: the slot the new entry rises to.
    let slot = entries.length;
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (!this.#before(entry, entries[parent] as Entry<T>)) break;
      slot = parent;
    }
    // Phase 2, moves only: shift the ancestors on the path down by one level.
    this.#nextSeq += 1;
    let hole = entries.length;
    entries.push(entry);
    while (hole > slot) {
      const parent = (hole - 1) >> 1;
      entries[hole] = entries[parent] as Entry<T>;
      hole = parent;
    }
    entries[slot] = entry;
  }

  /** The first item, without removing it; undefined when empty. */
  peek(): T | undefined {
    return this.#entries[0]?.item;
  }

  /** Removes and returns the first item. Throws RangeError when empty (a caller bug). */
  pop(): T {
    const entries = this.#entries;
    const top = entries[0];
    if (top === undefined) throw new RangeError('pop() on an empty heap');
    const last = entries[entries.length - 1] as Entry<T>;
    const n = entries.length - 1; // the size after the pop; `last` fills the hole at the root
    // Phase 1, comparisons only: the path of smaller children the hole sinks along.
    const path: number[] = [];
    let hole = 0;
    for (;;) {
      const left = 2 * hole + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.#before(entries[right] as Entry<T>, entries[left] as Entry<T>)) {
        child = right;
      }
      if (!this.#before(entries[child] as Entry<T>, last)) break;
      path.push(child);
      hole = child;
    }
    // Phase 2, moves only.
    let slot = 0;
    for (const child of path) {
      entries[slot] = entries[child] as Entry<T>;
      slot = child;
    }
    entries[slot] = last;
    entries.pop();
    if (n === 0) this.#nextSeq = 0;
    return top.item;
  }

  /** Removes every item. */
  clear(): void {
    this.#entries.length = 0;
    this.#nextSeq = 0;
  }

  /** The items in heap (array) order, as Python shows a heap's list. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const entry of this.#entries) yield entry.item;
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    const order = this.#compare(a.item, b.item);
    return order < 0 || (!(order > 0) && a.seq < b.seq);
  }
}
