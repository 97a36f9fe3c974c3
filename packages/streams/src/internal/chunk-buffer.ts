/**
 * The byte buffer behind a StreamReader: the chunks as they were fed (no copy on the way in),
 * an index of the first live chunk and the absolute stream position of each chunk, so that
 * consuming from the front, appending at the back and finding a position are O(1) amortized
 * or O(log chunks) — never a concatenation of everything buffered.
 *
 * Positions given to and returned by the public methods are relative to the first unread
 * byte. Results are zero-copy views when they lie in one chunk and fresh copies when they
 * span chunks. The buffer never writes into a chunk, so a view it returned stays valid.
 */
export class ChunkBuffer {
  #chunks: Buffer[] = [];
  // #starts[i] is the absolute stream position of byte 0 of #chunks[i].
  #starts: number[] = [];
  // Index of the first chunk that still holds unread bytes.
  #head = 0;
  // Absolute position of the first unread byte, and of the end of the buffered bytes.
  #pos = 0;
  #end = 0;

  /** The number of unread bytes. */
  get length(): number {
    return this.#end - this.#pos;
  }

  /** The number of chunks holding unread bytes. */
  get chunkCount(): number {
    return this.#chunks.length - this.#head;
  }

  /** Appends a non-empty chunk (kept by reference). */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#starts.push(this.#end);
    this.#end += chunk.length;
  }

  /** Removes the first `n` bytes (0 < n <= length) and returns them. */
  take(n: number): Buffer {
    const head = this.#chunks[this.#head] as Buffer;
    const offset = this.#pos - (this.#starts[this.#head] as number);
    const available = head.length - offset;
    if (n <= available) {
      const out = offset === 0 && n === head.length ? head : head.subarray(offset, offset + n);
      this.#pos += n;
      if (n === available) this.#dropHead();
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[this.#head] as Buffer;
      const from = this.#pos - (this.#starts[this.#head] as number);
      const count = Math.min(chunk.length - from, n - filled);
      chunk.copy(out, filled, from, from + count);
      filled += count;
      this.#pos += count;
      if (from + count === chunk.length) this.#dropHead();
    }
    return out;
  }

  /** Removes and returns every unread byte (length > 0). */
  takeAll(): Buffer {
    return this.take(this.length);
  }

  /** Drops the first `n` bytes (0 <= n <= length). */
  discard(n: number): void {
    const target = this.#pos + n;
    while (this.#head < this.#chunks.length) {
      const chunkEnd =
        (this.#starts[this.#head] as number) + (this.#chunks[this.#head] as Buffer).length;
      if (chunkEnd > target) break;
      this.#pos = chunkEnd;
      this.#dropHead();
    }
    this.#pos = target;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#starts = [];
    this.#head = 0;
    this.#pos = this.#end;
  }

  /** Puts `chunks` (in order) back in front of the unread bytes. Rare: O(chunks). */
  unshift(chunks: readonly Buffer[]): void {
    const rest: Buffer[] = [];
    for (let i = this.#head; i < this.#chunks.length; i += 1) {
      const chunk = this.#chunks[i] as Buffer;
      const from = i === this.#head ? this.#pos - (this.#starts[i] as number) : 0;
      rest.push(from === 0 ? chunk : chunk.subarray(from));
    }
    this.#chunks = [];
    this.#starts = [];
    this.#head = 0;
    this.#pos = 0;
    this.#end = 0;
    for (const chunk of chunks) if (chunk.length > 0) this.push(chunk);
    for (const chunk of rest) this.push(chunk);
  }

  /**
   * The position of the first occurrence of `separator` (non-empty) at or after `from`, or
   * -1. Matches that straddle chunk boundaries are found too.
   */
  indexOf(separator: Buffer, from: number): number {
    const sepLength = separator.length;
    if (this.length - from < sepLength) return -1;
    const chunks = this.#chunks;
    const count = chunks.length;
    let i = this.#locate(this.#pos + from);
    let local = this.#pos + from - (this.#starts[i] as number);
    const needle = sepLength === 1 ? (separator[0] as number) : separator;
    for (; i < count; i += 1, local = 0) {
      const chunk = chunks[i] as Buffer;
      const found = chunk.indexOf(needle, local);
      if (found !== -1) return (this.#starts[i] as number) + found - this.#pos;
      if (sepLength === 1 || i + 1 === count) continue;
      // A match starting in this chunk's last sepLength - 1 bytes would continue in the next.
      for (let p = Math.max(local, chunk.length - sepLength + 1); p < chunk.length; p += 1) {
        if (this.#matchesAt(i, p, separator)) return (this.#starts[i] as number) + p - this.#pos;
      }
    }
    return -1;
  }

  /** Whether the bytes at `at` are `separator`. */
  startsWith(separator: Buffer, at: number): boolean {
    if (at < 0 || this.length - at < separator.length) return false;
    const i = this.#locate(this.#pos + at);
    return this.#matchesAt(i, this.#pos + at - (this.#starts[i] as number), separator);
  }

  /** Whether `separator` is at chunk `i`, offset `local`, possibly across the next chunks. */
  #matchesAt(i: number, local: number, separator: Buffer): boolean {
    const chunks = this.#chunks;
    let chunk = chunks[i] as Buffer;
    for (let j = 0; j < separator.length; j += 1) {
      while (local === chunk.length) {
        i += 1;
        if (i === chunks.length) return false;
        chunk = chunks[i] as Buffer;
        local = 0;
      }
      if (chunk[local] !== separator[j]) return false;
      local += 1;
    }
    return true;
  }

  /** The index of the chunk holding absolute position `abs` (pos <= abs < end). */
  #locate(abs: number): number {
    const starts = this.#starts;
    let low = this.#head;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((starts[mid] as number) <= abs) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  #dropHead(): void {
    this.#head += 1;
    const count = this.#chunks.length;
    if (this.#head === count) {
      this.#chunks = [];
      this.#starts = [];
      this.#head = 0;
    } else if (this.#head >= 64 && this.#head * 2 >= count) {
      this.#chunks.splice(0, this.#head);
      this.#starts.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
