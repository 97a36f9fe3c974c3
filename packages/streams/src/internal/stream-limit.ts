import { ValueError } from '@tsio/core';

/** asyncio's `_DEFAULT_LIMIT`: the reader's line and buffer limit, 64 KiB. */
export const DEFAULT_LIMIT = 2 ** 16;

/**
 * Checks the `limit` option of the connection and server functions before any I/O, and
 * separates it from the options passed on to the loop.
 */
export function splitLimit<O extends object>(
  options: (O & { readonly limit?: number }) | undefined,
  caller: string,
): [limit: number, rest: O | undefined] {
  if (options === undefined) return [DEFAULT_LIMIT, undefined];
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${caller} options must be an object such as { limit: 65536 }, got ${String(options)}`,
    );
  }
  const { limit = DEFAULT_LIMIT, ...rest } = options;
  if (typeof limit !== 'number' || Number.isNaN(limit)) {
    throw new TypeError(`limit must be a number of bytes, got ${String(limit)}`);
  }
  if (limit <= 0) throw new ValueError('Limit cannot be <= 0');
  return [limit, rest as O];
}
