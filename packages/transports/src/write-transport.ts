import type { WriteTransport as WriteTransportContract } from '@tsio/core';
import { BaseTransport, _mustOverride } from './base-transport.js';

/**
 * The write side of a stream transport: non-blocking writes into a buffer, with flow control
 * through the protocol's `pauseWriting`/`resumeWriting`.
 *
 * `transport instanceof WriteTransport` holds for every `Transport` too, as in Python.
 *
 * Python parity: `asyncio.WriteTransport`
 */
export class WriteTransport extends BaseTransport implements WriteTransportContract {
  /**
   * Sets the write buffer's high and low water marks, in bytes: above `high` the protocol's
   * `pauseWriting()` is called, and `resumeWriting()` once the buffer drains to `low`.
   * `high` defaults to 64 KiB and `low` to a quarter of `high`.
   *
   * @throws ValueError unless `high >= low >= 0`.
   *
   * Python parity: `WriteTransport.set_write_buffer_limits`
   */
  setWriteBufferLimits(_limits?: { readonly high?: number; readonly low?: number }): void {
    throw _mustOverride(this, 'setWriteBufferLimits');
  }

  /**
   * Returns the number of bytes in the write buffer.
   *
   * Python parity: `WriteTransport.get_write_buffer_size`
   */
  getWriteBufferSize(): number {
    throw _mustOverride(this, 'getWriteBufferSize');
  }

  /**
   * Returns the write buffer's water marks as `[low, high]`.
   *
   * Python parity: `WriteTransport.get_write_buffer_limits`
   */
  getWriteBufferLimits(): [low: number, high: number] {
    throw _mustOverride(this, 'getWriteBufferLimits');
  }

  /**
   * Writes `data` without blocking: it is buffered and sent asynchronously.
   *
   * Python parity: `WriteTransport.write`
   */
  write(_data: Uint8Array): void {
    throw _mustOverride(this, 'write');
  }

  /**
   * Writes each chunk of `list`, in order, as `write` does (here: one `write` of them joined).
   *
   * Python parity: `WriteTransport.writelines`
   */
  writelines(list: Iterable<Uint8Array>): void {
    const chunks = [...list];
    if (chunks.length === 1) this.write(chunks[0] as Uint8Array);
    else if (chunks.length > 1) this.write(Buffer.concat(chunks));
  }

  /**
   * Closes the write end after flushing the buffer; data may still be received.
   *
   * Python parity: `WriteTransport.write_eof`
   */
  writeEof(): void {
    throw _mustOverride(this, 'writeEof');
  }

  /**
   * Tells whether `writeEof()` is supported.
   *
   * Python parity: `WriteTransport.can_write_eof`
   */
  canWriteEof(): boolean {
    throw _mustOverride(this, 'canWriteEof');
  }

  /**
   * Closes the transport at once, dropping buffered data; the protocol's
   * `connectionLost(null)` is called later.
   *
   * Python parity: `WriteTransport.abort`
   */
  abort(): void {
    throw _mustOverride(this, 'abort');
  }
}
