import { isCancelledError } from '@tsio/core';
import type { AbstractEventLoop, Transport, WriteTransport } from '@tsio/core';
import { sleep } from '@tsio/futures';
import type { FlowControlProtocol } from './internal/flow-control-protocol.js';
import type { StreamReader } from './stream-reader.js';

// drain()'s answer when nothing needs to wait: one shared, already-resolved promise, so the
// common `write(); await drain()` allocates nothing in drain() itself.
const DRAINED: Promise<void> = Promise.resolve();

/**
 * Options of `StreamWriter.startTls(sslContext, options)`.
 *
 * Python parity: the keyword arguments of `StreamWriter.start_tls`
 */
export interface StreamWriterStartTlsOptions {
  /**
   * The name the server's certificate must carry, also sent as SNI (client side only).
   * Required unless `sslContext` has `rejectUnauthorized: false`; `''` disables the check.
   */
  readonly serverHostname?: string | null;
  /** Seconds the handshake may take before the connection is aborted (default 60). */
  readonly sslHandshakeTimeout?: number | null;
  /** Seconds closing may wait for the peer's close_notify (default 30). */
  readonly sslShutdownTimeout?: number | null;
}

/**
 * The writing half of a stream connection: wraps a transport, adding `drain()` for flow
 * control, `waitClosed()` and `startTls()`. `openConnection()` and `startServer()` make
 * writers; constructing one directly is for protocol implementers.
 *
 * Writes never block: data goes to the transport's buffer. Call `await writer.drain()` after
 * writing so that the buffer stays under the transport's high-water mark when the peer reads
 * slowly. Writing to a closed writer silently drops the data, as in asyncio; the next
 * `drain()` then throws ConnectionResetError.
 *
 * `await using writer = ...` closes the writer and waits until it is closed (an addition:
 * asyncio's StreamWriter is no context manager; see `[Symbol.asyncDispose]`).
 *
 * @example
 * ```ts
 * const [reader, writer] = await openConnection('127.0.0.1', 8888);
 * writer.write(new TextEncoder().encode('hello\n'));
 * await writer.drain();
 * console.log(await reader.readline());
 * writer.close();
 * await writer.waitClosed();
 * ```
 *
 * Python parity: `asyncio.StreamWriter`
 */
export class StreamWriter {
  #transport: WriteTransport;
  readonly #protocol: FlowControlProtocol;
  readonly #reader: StreamReader | null;
  readonly #loop: AbstractEventLoop;

  /**
   * Wraps `transport`, whose events go to `protocol`; `reader` (if any) is the reading half,
   * whose error `drain()` reports.
   *
   * Python parity: `StreamWriter(transport, protocol, reader, loop)`
   */
  constructor(
    transport: WriteTransport,
    protocol: FlowControlProtocol,
    reader: StreamReader | null,
    loop: AbstractEventLoop,
  ) {
    this.#transport = transport;
    this.#protocol = protocol;
    this.#reader = reader;
    this.#loop = loop;
  }

  /**
   * The underlying transport (after `startTls()`, the TLS one).
   *
   * Python parity: `StreamWriter.transport`
   */
  get transport(): WriteTransport {
    return this.#transport;
  }

  /**
   * Writes `data` to the transport's buffer without blocking; follow with `await drain()`.
   * Dropped once the writer is closed or the connection lost.
   *
   * @throws TypeError if `data` is not a Uint8Array (a string must be encoded first).
   * @throws RuntimeError after `writeEof()`.
   *
   * Python parity: `StreamWriter.write`
   */
  write(data: Uint8Array): void {
    this.#transport.write(data);
  }

  /**
   * Writes each chunk of `data`, in order, as `write()` does.
   *
   * @throws TypeError if a chunk is not a Uint8Array.
   *
   * Python parity: `StreamWriter.writelines`
   */
  writelines(data: Iterable<Uint8Array>): void {
    this.#transport.writelines(data);
  }

  /**
   * Closes the write end once the buffer is flushed; the peer sees end of file, and reading
   * goes on.
   *
   * @throws NotImplementedError if the transport cannot half-close (see `canWriteEof()`).
   *
   * Python parity: `StreamWriter.write_eof`
   */
  writeEof(): void {
    this.#transport.writeEof();
  }

  /**
   * Tells whether `writeEof()` is supported (false over TLS).
   *
   * Python parity: `StreamWriter.can_write_eof`
   */
  canWriteEof(): boolean {
    return this.#transport.canWriteEof();
  }

  /**
   * Closes the connection after flushing the buffer; `waitClosed()` resolves once it is
   * closed. Closing twice does nothing.
   *
   * Python parity: `StreamWriter.close`
   */
  close(): void {
    this.#transport.close();
  }

  /**
   * Tells whether the writer is closing or closed.
   *
   * Python parity: `StreamWriter.is_closing`
   */
  isClosing(): boolean {
    return this.#transport.isClosing();
  }

  /**
   * Resolves once the connection is closed (after `close()`, or when the peer closed it).
   *
   * @throws the error the connection was lost with (ConnectionResetError...), if any.
   *
   * Python parity: `StreamWriter.wait_closed`
   */
  async waitClosed(): Promise<void> {
    await this.#protocol._getCloseWaiter(this);
  }

  /**
   * Returns transport information such as `'peername'`, `'sockname'`, `'socket'` or
   * `'sslcontext'`, or `defaultValue` (else `null`) when the transport has none.
   *
   * Python parity: `StreamWriter.get_extra_info`
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this.#transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits until it is appropriate to write more: at once while the transport's buffer is
   * under its high-water mark, else until it drains to the low mark. Call it after each
   * `write()`.
   *
   * @throws the reader's exception, if the connection failed; ConnectionResetError
   *   "Connection lost" once the connection is lost (also after `close()`).
   *
   * Python parity: `StreamWriter.drain`
   */
  drain(): Promise<void> {
    // Not an async function: the usual call (not paused) then allocates nothing at all.
    const reader = this.#reader;
    if (reader !== null) {
      const exc = reader.exception();
      if (exc !== null) return Promise.reject(exc);
    }
    // Closing: yield once so that connectionLost() runs and the helper sees the loss; without
    // it a `write(); await drain()` loop on a closed connection would never end
    // (asyncio bpo-25441).
    if (this.#transport.isClosing()) return this.#drainClosing();
    try {
      return this.#protocol._drainHelper() ?? DRAINED;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #drainClosing(): Promise<void> {
    await sleep(0);
    await this.#protocol._drainHelper();
  }

  /**
   * Upgrades the connection to TLS: drains, performs the handshake (as the server if this
   * writer came from `startServer()`), then the writer, its reader and protocol use the new
   * transport. `sslContext` is what `loop.startTls` takes (for instance `{ ca }` on a client,
   * `{ key, cert }` on a server, or a `tls.SecureContext`).
   *
   * @throws ValueError on the client side without `serverHostname` (unless the context
   *   checks nothing); SSLError / SSLCertVerificationError if the handshake fails; whatever
   *   `drain()` throws.
   *
   * Python parity: `StreamWriter.start_tls`
   */
  async startTls(sslContext: unknown, options: StreamWriterStartTlsOptions = {}): Promise<void> {
    const protocol = this.#protocol;
    const serverSide = protocol._isServerSide();
    await this.drain();
    const secure = await this.#loop.startTls(this.#transport as Transport, protocol, sslContext, {
      serverSide,
      serverHostname: options.serverHostname ?? null,
      sslHandshakeTimeout: options.sslHandshakeTimeout ?? null,
      sslShutdownTimeout: options.sslShutdownTimeout ?? null,
    });
    this.#transport = secure;
    protocol._replaceTransport(secure);
  }

  /**
   * `await using writer = ...`: closes the writer and waits until it is closed. The error a
   * lost connection ends with is not thrown here (reads and `drain()` already report it);
   * cancellation is. An addition: asyncio's StreamWriter has no `async with`.
   *
   * Python parity: none (`writer.close(); await writer.wait_closed()`)
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    try {
      await this.waitClosed();
    } catch (error) {
      if (isCancelledError(error)) throw error;
    }
  }

  /** For instance `<StreamWriter transport=<SocketTransport ...> reader=<StreamReader>>`. */
  toString(): string {
    const reader = this.#reader === null ? '' : ` reader=${String(this.#reader)}`;
    return `<StreamWriter transport=${String(this.#transport)}${reader}>`;
  }
}
