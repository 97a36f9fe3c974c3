import { NotImplementedError } from '@tsio/core';
import type { AbstractFuture } from '@tsio/core';
import { SocketTransportBase } from './socket-transport-base.js';

export type { DetachedSocket, SocketTransportOptions } from './socket-host.js';

/**
 * A stream transport over a connected `net.Socket` (TCP or Unix, or a `tls.TLSSocket`), with
 * the behaviour of asyncio's `_SelectorSocketTransport`. Its connection and closing are
 * `SocketTransportBase`'s (socket-transport-base.ts); this is the reading and writing API,
 * over socket-reader.ts and socket-writer.ts.
 */
export class SocketTransport extends SocketTransportBase {
  // --- reading ---------------------------------------------------------------------------

  /** Tells whether the transport is receiving (not paused, not closing). Python parity: `is_reading` */
  override isReading(): boolean {
    return !this.isClosing() && !this._reader.paused;
  }

  /** Stops calling `dataReceived` until `resumeReading()`. Python parity: `pause_reading` */
  override pauseReading(): void {
    this._reader.pause();
  }

  /** Resumes calling `dataReceived`. Python parity: `resume_reading` */
  override resumeReading(): void {
    this._reader.resume();
  }

  // --- writing ---------------------------------------------------------------------------

  /**
   * Sends `data` without blocking; Node buffers what the socket cannot take yet. The bytes
   * are not copied: do not modify `data` afterwards (asyncio keeps a view of it too).
   */
  override write(data: Uint8Array): void {
    this._writer.write(data);
  }

  /** Sends each chunk in order, in one system call where possible. Python parity: `writelines` */
  override writelines(list: Iterable<Uint8Array>): void {
    this._writer.writelines(list);
  }

  /**
   * Closes the write end once the buffer is flushed.
   *
   * @throws NotImplementedError on a TLS transport (see `canWriteEof`).
   *
   * Python parity: `write_eof`
   */
  override writeEof(): void {
    if (this._isTls()) {
      throw new NotImplementedError(
        'writeEof() is not supported on a TLS transport: TLS has no half-close (close() ends it)',
      );
    }
    this._writer.writeEof();
  }

  /**
   * True for TCP and Unix sockets, false for TLS (which has no half-close).
   * Python parity: `can_write_eof`
   */
  override canWriteEof(): boolean {
    return !this._isTls();
  }

  /** The bytes Node holds for the socket. Python parity: `get_write_buffer_size` */
  override getWriteBufferSize(): number {
    return this._writer.bufferSize();
  }

  /** Sets the flow control marks. Python parity: `set_write_buffer_limits` */
  override setWriteBufferLimits(limits?: { readonly high?: number; readonly low?: number }): void {
    this._writer.flow.setLimits(limits);
    this._writer.flow.maybePause(this.getWriteBufferSize(), this.getProtocol());
  }

  /** Returns `[low, high]`. Python parity: `get_write_buffer_limits` */
  override getWriteBufferLimits(): [low: number, high: number] {
    return [this._writer.flow.low, this._writer.flow.high];
  }

  /**
   * For sendfile's fast path: `write()` throws until `_resetEmptyWaiter()`; the future
   * resolves once the write buffer is empty (at once if it is), or fails with a
   * ConnectionError if the connection is lost first.
   *
   * @throws RuntimeError if one is already set
   * @internal Python parity: `_make_empty_waiter`
   */
  _makeEmptyWaiter(): AbstractFuture<void> {
    return this._writer.makeEmptyWaiter();
  }

  /** Allows writes again after `_makeEmptyWaiter()`. @internal Python parity: `_reset_empty_waiter` */
  _resetEmptyWaiter(): void {
    this._writer.resetEmptyWaiter();
  }

  /** Whether the protocol was told to pause writing. @internal Python parity: `_protocol_paused` */
  _isProtocolPaused(): boolean {
    return this._writer.flow.protocolPaused;
  }
}
