import type { AbstractEventLoop, AbstractFuture, AbstractTask, Transport } from '@tsio/core';
import { FlowControlProtocol } from './internal/flow-control-protocol.js';
import { settleCloseWaiter } from './internal/settle-close-waiter.js';
import type { StreamReader } from './stream-reader.js';
import { StreamWriter } from './stream-writer.js';

/**
 * What `startServer()` calls for each new connection. An async function (or any function
 * returning a promise) runs as a Task; its failure is reported to the loop's exception handler
 * and closes that connection only.
 *
 * Python parity: the `client_connected_cb` of `asyncio.start_server`
 */
export type ClientConnectedCallback = (
  reader: StreamReader,
  writer: StreamWriter,
) => void | PromiseLike<unknown>;

// The constructor of native async functions: these run as a Task created in connectionMade,
// exactly as asyncio wraps the coroutine its callback returns.
const AsyncFunction = (async () => {}).constructor;
const DONE: Promise<void> = Promise.resolve();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Adapts a transport's protocol callbacks to a `StreamReader` (data, end of file, errors)
 * and, for a server, calls the client callback with a reader and a writer for each
 * connection. `openConnection()` and `startServer()` make these; use one directly to give a
 * `StreamReader` to `loop.createConnection()`, `loop.connectReadPipe()` and the like.
 *
 * The client callback: an `async` function runs as a Task that starts on the next loop
 * iteration (as asyncio's coroutine callback); any other function is called at once inside
 * an eagerly started Task, so that a plain function returning a promise also runs as a Task.
 * If the callback fails, the loop's exception handler gets `{ message: 'Unhandled exception in
 * client_connected_cb', exception, transport }` and that connection is closed; a cancelled
 * callback task closes its connection too.
 *
 * @example
 * ```ts
 * const loop = getRunningLoop();
 * const reader = new StreamReader({ loop });
 * const protocol = new StreamReaderProtocol(reader, null, loop);
 * await loop.connectReadPipe(() => protocol, process.stdin);
 * const all = await reader.read();
 * ```
 *
 * Python parity: `asyncio.StreamReaderProtocol`
 */
export class StreamReaderProtocol extends FlowControlProtocol {
  // asyncio holds the reader weakly when there is no callback, so that a StreamWriter the
  // user dropped can be collected (and warn). JavaScript has no finalizer-driven close, so a
  // strong reference, dropped when the connection is lost, keeps nothing alive for longer.
  #reader: StreamReader | null;
  readonly #clientConnected: ClientConnectedCallback | null;
  readonly #closed: AbstractFuture<void>;
  #overSsl = false;

  /**
   * Feeds `streamReader` from the transport. With `clientConnectedCb` (server side), calls it
   * with the reader and a new StreamWriter once the connection is made. `loop` defaults to
   * the running loop.
   *
   * @throws TypeError if `clientConnectedCb` is given without a reader, or is not a function.
   * @throws RuntimeError "no running event loop" without `loop` outside a running loop.
   *
   * Python parity: `StreamReaderProtocol(stream_reader, client_connected_cb, loop)`
   */
  constructor(
    streamReader: StreamReader | null,
    clientConnectedCb: ClientConnectedCallback | null = null,
    loop?: AbstractEventLoop,
  ) {
    super(loop);
    if (clientConnectedCb !== null) {
      if (typeof clientConnectedCb !== 'function') {
        throw new TypeError(
          `clientConnectedCb must be a function (reader, writer) => ..., got ${String(clientConnectedCb)}`,
        );
      }
      if (streamReader === null) {
        throw new TypeError('a StreamReaderProtocol with a clientConnectedCb needs a StreamReader');
      }
    }
    this.#reader = streamReader;
    this.#clientConnected = clientConnectedCb;
    this.#closed = this._loop.createFuture<void>();
  }

  /**
   * Gives the transport to the reader (for read flow control) and, on a server, starts the
   * client callback.
   *
   * Python parity: `StreamReaderProtocol.connection_made`
   */
  override connectionMade(transport: Transport): void {
    const reader = this.#reader;
    reader?._setTransport(transport);
    this.#overSsl = transport.getExtraInfo('sslcontext') != null;
    const callback = this.#clientConnected;
    if (callback === null || reader === null) return;
    const writer = new StreamWriter(transport, this, reader, this._loop);
    let task: AbstractTask<unknown>;
    if (callback instanceof AsyncFunction) {
      task = this._loop.createTask(() => callback(reader, writer) as PromiseLike<unknown>);
    } else {
      const call = (): PromiseLike<unknown> => {
        const result = callback(reader, writer);
        return isThenable(result) ? result : DONE;
      };
      task = this._loop.createTask(call, { eagerStart: true });
    }
    task.addDoneCallback((done) => this.#clientDone(done, transport));
  }

  #clientDone(task: AbstractTask<unknown>, transport: Transport): void {
    if (task.cancelled()) {
      transport.close();
      return;
    }
    const exception = task.exception();
    if (exception === null) return;
    this._loop.callExceptionHandler({
      message: 'Unhandled exception in client_connected_cb',
      exception,
      transport,
    });
    transport.close();
  }

  /**
   * Ends the reader (end of file, or the connection's error), settles `waitClosed()`, and
   * wakes `drain()` waiters.
   *
   * Python parity: `StreamReaderProtocol.connection_lost`
   */
  override connectionLost(exc: Error | null): void {
    const reader = this.#reader;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    settleCloseWaiter(this.#closed, exc);
    super.connectionLost(exc);
    this.#reader = null;
  }

  /**
   * Feeds received bytes to the reader.
   *
   * Python parity: `StreamReaderProtocol.data_received`
   */
  override dataReceived(data: Uint8Array): void {
    this.#reader?.feedData(data);
  }

  /**
   * Tells the reader the peer sent end of file. Returns true (keep the connection half-open,
   * so the writer can still write) except over TLS, which cannot half-close.
   *
   * Python parity: `StreamReaderProtocol.eof_received`
   */
  override eofReceived(): boolean {
    this.#reader?.feedEof();
    return !this.#overSsl;
  }

  /** A server's protocol has a client callback. */
  override _isServerSide(): boolean {
    return this.#clientConnected !== null;
  }

  /** Python parity: `StreamReaderProtocol._replace_transport` */
  override _replaceTransport(transport: Transport): void {
    this.#overSsl = transport.getExtraInfo('sslcontext') != null;
    // asyncio leaves the reader with the plain transport, whose pause_reading() still pauses
    // the socket under the TLS layer; tsio's startTls detaches the plain transport, so the
    // reader's read flow control must go to the new one.
    this.#reader?._setTransport(transport);
  }

  /** Python parity: `StreamReaderProtocol._get_close_waiter` */
  override _getCloseWaiter(_stream: unknown): AbstractFuture<void> {
    return this.#closed;
  }
}
