import { RuntimeError } from '@tsio/core';
import type { BufferedProtocol, Protocol } from '@tsio/core';

/** Whether `protocol` receives data into its own buffers (asyncio: `isinstance(p, BufferedProtocol)`). */
export function isBufferedProtocol(protocol: object): protocol is BufferedProtocol {
  return typeof (protocol as Partial<BufferedProtocol>).getBuffer === 'function';
}

/** What went wrong while feeding a BufferedProtocol: the error and asyncio's message for it. */
export interface FeedFailure {
  readonly error: unknown;
  readonly message: string;
}

/**
 * Asks `protocol` for a buffer, as asyncio's `_read_ready__get_buffer` does before each
 * `recv_into`.
 *
 * @throws the protocol's error, or RuntimeError for an empty buffer
 */
function bufferOf(protocol: BufferedProtocol): Uint8Array {
  const buffer = protocol.getBuffer(-1);
  if (!(buffer instanceof Uint8Array)) {
    throw new TypeError(
      `getBuffer() must return a Uint8Array (or Buffer), got ${buffer === null ? 'null' : typeof buffer}`,
    );
  }
  if (buffer.length === 0) throw new RuntimeError('getBuffer() returned an empty buffer');
  return buffer;
}

/**
 * Copies `chunk[offset...]` into the buffers of a BufferedProtocol, as many `recv_into` calls
 * would: `getBuffer(-1)`, copy what fits, `bufferUpdated(n)`, again until the chunk is used
 * up or `stop()` says to stop (reading paused or the transport closing, possibly by the
 * protocol itself, or the protocol replaced by one that is not buffered).
 *
 * @returns the offset reached (`chunk.length` when all was delivered), or a failure
 */
export function feedBufferedProtocol(
  current: () => Protocol | BufferedProtocol,
  chunk: Buffer,
  offset: number,
  stop: () => boolean,
): number | FeedFailure {
  const total = chunk.length;
  while (offset < total) {
    if (stop()) return offset;
    const protocol = current();
    if (!isBufferedProtocol(protocol)) return offset;
    let buffer: Uint8Array;
    try {
      buffer = bufferOf(protocol);
    } catch (error) {
      return { error, message: 'Fatal error: protocol.getBuffer() call failed.' };
    }
    const end = Math.min(total, offset + buffer.length);
    const n = chunk.copy(buffer, 0, offset, end);
    offset = end;
    try {
      protocol.bufferUpdated(n);
    } catch (error) {
      return { error, message: 'Fatal error: protocol.bufferUpdated() call failed.' };
    }
  }
  return offset;
}
