import { ConnectionError, RuntimeError, toOSError } from '@tsio/core';
import type { AbstractFuture, BaseTransport } from '@tsio/core';
import { WriteFlowControl } from './flow-control.js';
import { inIoFrame } from './io-frame.js';
import type { SocketHost } from './socket-host.js';

// asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES.
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
const EMPTY = Buffer.alloc(0);

function describeData(data: unknown): string {
  if (data === null) return 'null';
  if (typeof data === 'object') return (data as object).constructor?.name ?? 'object';
  return typeof data;
}

function checkData(data: unknown, method: string): asserts data is Uint8Array {
  if (data instanceof Uint8Array) return;
  const fix =
    typeof data === 'string'
      ? ': encode it first, e.g. Buffer.from(s) or new TextEncoder().encode(s)'
      : '';
  throw new TypeError(
    `${method}: data argument must be a bytes-like object (Uint8Array), not ${describeData(data)}${fix}`,
  );
}

/**
 * The writing side of a `SocketTransport`: writes go to Node's buffer of the socket, with
 * write flow control (`pauseWriting`/`resumeWriting` around the water marks), writes to a
 * lost connection are dropped, and sendfile's fast path can hold writes off until the buffer
 * is empty (asyncio's `_make_empty_waiter`).
 */
export class SocketWriter {
  readonly flow: WriteFlowControl;
  readonly #host: SocketHost;
  #eof = false;
  /** As asyncio's `_conn_lost` once lost: 1, then one more per dropped write. */
  #dropped = 1;
  #emptyWaiter: AbstractFuture<void> | null = null;

  constructor(host: SocketHost, transport: BaseTransport) {
    this.#host = host;
    this.flow = new WriteFlowControl(host.loop, transport);
  }

  /** `writeEof()` was called. */
  get eofSent(): boolean {
    return this.#eof;
  }

  /** Python parity: `write` */
  write(data: Uint8Array): void {
    checkData(data, 'write()');
    if (this.#eof) throw new RuntimeError('Cannot call write() after writeEof()');
    if (this.#emptyWaiter !== null) {
      throw new RuntimeError('unable to write; sendfile is in progress');
    }
    if (data.length === 0) return;
    if (this.#host.dropsWrites()) {
      this.#dropWrite();
      return;
    }
    this.#send(data);
  }

  /** Python parity: `writelines` */
  writelines(list: Iterable<Uint8Array>): void {
    const chunks = [...list];
    for (const chunk of chunks) checkData(chunk, 'writelines()');
    if (this.#eof) throw new RuntimeError('Cannot call writelines() after writeEof()');
    if (this.#emptyWaiter !== null) {
      throw new RuntimeError('unable to writelines; sendfile is in progress');
    }
    if (this.#host.dropsWrites()) {
      if (chunks.some((c) => c.length > 0)) this.#dropWrite();
      return;
    }
    const socket = this.#host.socket;
    socket.cork();
    for (const chunk of chunks) if (chunk.length > 0) this.#send(chunk);
    socket.uncork();
  }

  #send(data: Uint8Array): void {
    const { socket } = this.#host;
    const flow = this.flow;
    // Fast path: a write that leaves the buffer at or below the low mark needs no callback.
    if (socket.writableLength + data.length <= flow.low) {
      socket.write(data);
      return;
    }
    socket.write(data, this.#onWritten);
    flow.maybePause(socket.writableLength, this.#host.protocol());
  }

  #dropWrite(): void {
    // As asyncio: writes to a lost connection are dropped; warn once there were several.
    if (this.#dropped >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
      console.warn('socket.send() raised exception.');
    }
    this.#dropped += 1;
  }

  // Called for each write made while the buffer was above the low mark: when the last of
  // them completes, whatever is still buffered was written below the mark.
  readonly #onWritten = (error?: Error | null): void => {
    const host = this.#host;
    if (error != null || host.lost() || !this.flow.protocolPaused || !host.alive()) return;
    if (host.socket.writableLength <= this.flow.low) inIoFrame(host.frame, this.#resumeProtocol);
  };

  readonly #resumeProtocol = (): void => {
    this.flow.maybeResume(this.#host.socket.writableLength, this.#host.protocol());
  };

  /** Python parity: `write_eof` */
  writeEof(): void {
    if (this.#host.closing() || this.#eof) return;
    this.#eof = true;
    this.#host.socket.end();
  }

  /** Python parity: `get_write_buffer_size` */
  bufferSize(): number {
    return this.#host.lost() ? 0 : this.#host.socket.writableLength;
  }

  /**
   * Holds writes off (`write()` throws) until `resetEmptyWaiter()`, and returns a future
   * resolved once the buffer is empty, or failed with a ConnectionError if the connection is
   * lost first. Python parity: `_make_empty_waiter`
   */
  makeEmptyWaiter(): AbstractFuture<void> {
    if (this.#emptyWaiter !== null) throw new RuntimeError('Empty waiter is already set');
    const waiter = this.#host.loop.createFuture<void>();
    this.#emptyWaiter = waiter;
    if (this.bufferSize() === 0) waiter.setResult(undefined);
    else this.#host.socket.write(EMPTY, this.#onEmptied);
    return waiter;
  }

  /** Allows writes again. Python parity: `_reset_empty_waiter` */
  resetEmptyWaiter(): void {
    this.#emptyWaiter = null;
  }

  /** The connection is lost: a pending empty waiter fails (asyncio's `_call_connection_lost`). */
  connectionLost(): void {
    const waiter = this.#emptyWaiter;
    if (waiter !== null && !waiter.done()) {
      waiter.setException(new ConnectionError('Connection is closed by peer'));
    }
  }

  // Write callbacks run in order: an empty write's runs once all earlier data is written.
  readonly #onEmptied = (error?: Error | null): void => {
    const waiter = this.#emptyWaiter;
    if (waiter === null || waiter.done() || !this.#host.alive()) return;
    if (error != null) waiter.setException(toOSError(error));
    else if (this.#host.socket.writableLength > 0) this.#host.socket.write(EMPTY, this.#onEmptied);
    else waiter.setResult(undefined);
  };
}
