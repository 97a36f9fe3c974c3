import { ValueError } from '@tsio/core';

/** One separator as `readuntil()` accepts it: bytes, or a string sent as UTF-8. */
export type SeparatorLike = Uint8Array | string;

/** asyncio's default separator, `b'\n'`, made once. */
export const NEWLINE: Buffer = Buffer.from([0x0a]);
const NEWLINE_ONLY: readonly Buffer[] = [NEWLINE];

function toBuffer(separator: unknown): Buffer {
  if (typeof separator === 'string') return separator === '\n' ? NEWLINE : Buffer.from(separator);
  if (separator instanceof Uint8Array) {
    return Buffer.isBuffer(separator)
      ? separator
      : Buffer.from(separator.buffer, separator.byteOffset, separator.byteLength);
  }
  throw new TypeError(
    `readuntil() separator must be a Uint8Array, a string or an array of them, got ${String(separator)}`,
  );
}

/**
 * The separators of a `readuntil()` call, shortest first (a stable sort, as asyncio's
 * `sorted(separator, key=len)`), checked as asyncio checks them.
 */
export function toSeparators(
  separator: SeparatorLike | readonly SeparatorLike[],
): readonly Buffer[] {
  if (separator === NEWLINE || separator === '\n') return NEWLINE_ONLY;
  let separators: Buffer[];
  if (Array.isArray(separator)) {
    separators = (separator as readonly unknown[]).map(toBuffer);
    if (separators.length === 0) {
      throw new ValueError('Separator should contain at least one element');
    }
    separators.sort((a, b) => a.length - b.length);
  } else {
    separators = [toBuffer(separator)];
  }
  if ((separators[0] as Buffer).length === 0) {
    throw new ValueError('Separator should be at least one-byte string');
  }
  return separators;
}
