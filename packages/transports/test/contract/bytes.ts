// Byte helpers for the transport contract suite.

/** The byte at stream offset `k` of the test pattern: not periodic over chunk sizes. */
function patternByte(k: number): number {
  return (k + 7 * (k >>> 8) + 13 * (k >>> 16) + 3 * (k >>> 11)) & 0xff;
}

/** `n` bytes of the test pattern starting at stream offset `start`. */
export function patterned(n: number, start = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = patternByte(start + i);
  return out;
}

/** Concatenates `chunks`. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Where `got` and `want` first differ, or -1 when they are equal. */
function firstDifference(got: Uint8Array, want: Uint8Array): number {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return i;
  return got.length === want.length ? -1 : n;
}

/** Fails (without a megabyte-long diff) unless `got` equals `want`. */
export function expectBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  const at = firstDifference(got, want);
  if (at < 0) return;
  throw new Error(
    `${what}: got ${got.length} bytes, expected ${want.length}; first difference at offset ${at}`,
  );
}

/** Fails unless `got` is a prefix of `want` (possibly all of it). */
export function expectPrefix(got: Uint8Array, want: Uint8Array, what: string): void {
  if (got.length > want.length) {
    throw new Error(`${what}: got ${got.length} bytes, more than the ${want.length} sent`);
  }
  expectBytes(got, want.subarray(0, got.length), what);
}
