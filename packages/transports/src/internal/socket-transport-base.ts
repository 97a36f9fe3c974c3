import tls from 'node:tls';
import type net from 'node:net';
import { toOSError } from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  BaseProtocol,
  BaseTransport,
  BufferedProtocol,
  ExecutionFrame,
  Protocol,
} from '@tsio/core';
import { Transport } from '../transport.js';
import { reportFatalError } from './fatal-error.js';
import { captureIoFrame, inIoFrame } from './io-frame.js';
import { DEFAULT_SSL_SHUTDOWN_TIMEOUT } from './tls-options.js';
import type { ServerConnections } from './server-connections.js';
import { peerName, socketName } from './socket-address.js';
import { closeSocket } from './socket-closing.js';
import type { CloseOutcome } from './socket-closing.js';
import type { DetachedSocket, SocketHost, SocketTransportOptions } from './socket-host.js';
import { SocketReader } from './socket-reader.js';
import { SocketWriter } from './socket-writer.js';

/**
 * The connection and closing of a `SocketTransport`, as asyncio's `_SelectorTransport`: the
 * protocol learns of the connection on the next loop iteration, reading starts after that,
 * and `connectionLost` is called exactly once. Reading is socket-reader.ts, writing
 * socket-writer.ts, closing socket-closing.ts.
 *
 * Once the loop is closed, nothing is called any more (as in asyncio): a socket event, or
 * `close()`/`abort()`, then only destroys the socket, which Node would otherwise keep open.
 */
export abstract class SocketTransportBase extends Transport {
  readonly #loop: AbstractEventLoop;
  readonly #socket: net.Socket;
  readonly #frame: ExecutionFrame;
  readonly #tlsSocket: tls.TLSSocket | null;
  protected readonly _reader: SocketReader;
  protected readonly _writer: SocketWriter;
  readonly #sslShutdownTimeout: number;
  #protocol: Protocol | BufferedProtocol;
  #server: ServerConnections | null;
  #closing = false;
  /** Set once connectionLost is scheduled (asyncio's `_conn_lost`). */
  #lost = false;
  #lostCalled = false;
  /** While close() waits for the buffer to drain (or for a TLS peer): stops that wait. */
  #stopClose: (() => void) | null = null;
  /** A TLS close is under way: writes are dropped, socket errors are its business. */
  #tlsClosing = false;

  constructor(
    loop: AbstractEventLoop,
    socket: net.Socket,
    protocol: Protocol | BufferedProtocol,
    options: SocketTransportOptions = {},
  ) {
    super(options.extra);
    this.#loop = loop;
    this.#socket = socket;
    this.#frame = captureIoFrame();
    this.#tlsSocket = socket instanceof tls.TLSSocket ? socket : null;
    this.#sslShutdownTimeout = options.sslShutdownTimeout ?? DEFAULT_SSL_SHUTDOWN_TIMEOUT;
    this.#protocol = protocol;
    this.#server = options.server ?? null;
    const host = this.#host();
    this._reader = new SocketReader(host);
    this._writer = new SocketWriter(host, this);
    this._extra.set('socket', socket);
    this._extra.set('sockname', socketName(socket));
    if (!this._extra.has('peername')) this._extra.set('peername', peerName(socket));
    // Half-close is the protocol's decision (eofReceived), not Node's.
    socket.allowHalfOpen = true;
    // asyncio disables Nagle's algorithm on its TCP transports; a no-op on Unix sockets.
    socket.setNoDelay(true);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    this.#server?._attach(this);
    if (options.connectionMade !== false) loop.callSoon(this.#connectionMade);
    loop.callSoon(this._reader.start);
    const waiter = options.waiter;
    if (waiter != null) loop.callSoon(resolveUnlessCancelled, waiter);
  }

  /** Whether the connection is TLS (which cannot half-close, as asyncio's SSL transport). */
  protected _isTls(): boolean {
    return this.#tlsSocket !== null;
  }

  #host(): SocketHost {
    return {
      loop: this.#loop,
      socket: this.#socket,
      frame: this.#frame,
      isTls: this.#tlsSocket !== null,
      protocol: () => this.#protocol,
      closing: () => this.#closing,
      lost: () => this.#lost,
      dropsWrites: () => this.#lost || this.#tlsClosing,
      alive: this.#alive,
      fatalError: this.#fatalError,
      describe: () => this.toString(),
      close: () => this.close(),
    };
  }

  readonly #connectionMade = (): void => {
    inIoFrame(this.#frame, callConnectionMade, this.#protocol, this);
  };

  // --- closing ---------------------------------------------------------------------------

  /** Tells whether close() or abort() was called or the connection lost. Python parity: `is_closing` */
  override isClosing(): boolean {
    return this.#closing;
  }

  /**
   * Stops reading, flushes the buffer, then closes the socket and calls `connectionLost(null)`.
   * A TLS transport sends close_notify and waits for the peer, at most `sslShutdownTimeout`
   * seconds (then `connectionLost(TimeoutError)`). Python parity: `close`
   */
  override close(): void {
    if (this.#closing || !this.#alive()) return;
    this.#closing = true;
    this.#socket.pause();
    if (this.#tlsSocket !== null) {
      // Incoming data is dropped while the TLS close reads the peer's close_notify.
      this._reader.stopData();
      this.#tlsClosing = true;
    }
    let finished = false;
    const stop = closeSocket(
      this.#loop,
      this.#socket,
      this.#tlsSocket,
      { eofSent: this._writer.eofSent, sslShutdownTimeout: this.#sslShutdownTimeout },
      (outcome) => {
        finished = true;
        this.#stopClose = null;
        this.#onClosed(outcome);
      },
    );
    if (!finished) this.#stopClose = stop;
  }

  readonly #onClosed = (outcome: CloseOutcome): void => {
    if (this.#lost || !this.#alive()) return;
    if (outcome.error === null) this.#scheduleConnectionLost(null);
    else if (!outcome.report) this.#forceClose(outcome.error);
    else inIoFrame(this.#frame, this.#fatalError, outcome.error, outcome.message);
  };

  /** Closes the socket at once, dropping buffered data. Python parity: `abort` */
  override abort(): void {
    if (this.#alive()) this.#forceClose(null);
  }

  readonly #onError = (error: Error): void => {
    if (this.#lost || this.#tlsClosing || !this.#alive()) return;
    const exc = toOSError(error);
    const syscall = (error as { syscall?: unknown }).syscall;
    const message =
      syscall === 'read'
        ? 'Fatal read error on socket transport'
        : 'Fatal write error on socket transport';
    inIoFrame(this.#frame, this.#fatalError, exc, message);
  };

  // The socket closed without close()/abort() from us and without an error: destroyed by
  // its owner, or both directions finished. The connection is over.
  readonly #onClose = (): void => {
    if (!this.#lost && !this.#tlsClosing && this.#alive()) this.#forceClose(null);
  };

  readonly #fatalError = (error: unknown, message: string): void => {
    reportFatalError(this.#loop, error, message, this, this.#protocol);
    this.#forceClose(error instanceof Error ? error : new Error(String(error)));
  };

  #forceClose(exc: Error | null): void {
    if (this.#lost) return;
    this.#closing = true;
    this.#stopClosing();
    this.#socket.destroy();
    this.#scheduleConnectionLost(exc);
  }

  #stopClosing(): void {
    const stopClose = this.#stopClose;
    this.#stopClose = null;
    stopClose?.();
  }

  #scheduleConnectionLost(exc: Error | null): void {
    this.#lost = true;
    this.#loop.callSoon(this.#callConnectionLost, exc);
  }

  readonly #callConnectionLost = (exc: Error | null): void => {
    if (this.#lostCalled) return;
    this.#lostCalled = true;
    try {
      this._writer.connectionLost();
      inIoFrame(this.#frame, callConnectionLost, this.#protocol, exc);
    } finally {
      this.#socket.destroy();
      const server = this.#server;
      this.#server = null;
      server?._detach(this);
    }
  };

  // Every entry point from Node asks this first. asyncio calls nothing once its loop is
  // closed; Node still reports the socket's events, and would keep the socket open: it is
  // destroyed, and the protocol and the server are told nothing.
  readonly #alive = (): boolean => {
    if (!this.#loop.isClosed()) return true;
    if (!this.#lostCalled) {
      this.#closing = true;
      this.#lost = true;
      this.#lostCalled = true;
      this.#stopClosing();
      this.#socket.destroy();
    }
    return false;
  };

  /**
   * For startTls: stops reading, lets go of the socket (listeners removed, not destroyed)
   * and marks the transport closed without calling `connectionLost`. The server the
   * transport belonged to gets `successor` in its place (a connection whose TLS handshake
   * runs), so that it never stops counting the connection.
   *
   * @internal
   */
  _detachSocket(successor: BaseTransport | null = null): DetachedSocket {
    const socket = this.#socket;
    socket.pause();
    this._reader.detach();
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
    this.#stopClosing();
    this.#closing = true;
    this.#lost = true;
    this.#lostCalled = true;
    const server = this.#server;
    this.#server = null;
    if (successor !== null) server?._attach(successor);
    server?._detach(this);
    return { socket, server };
  }

  // --- protocol and description ----------------------------------------------------------

  /** Python parity: `set_protocol` */
  override setProtocol(protocol: BaseProtocol): void {
    this.#protocol = protocol as Protocol | BufferedProtocol;
    this._reader.protocolChanged(protocol);
  }

  /** Python parity: `get_protocol` */
  override getProtocol(): BaseProtocol {
    return this.#protocol;
  }

  /** asyncio's repr: `<SocketTransport fd=7 read=polling write=<idle, bufsize=0>>`. */
  override toString(): string {
    const info = [this.constructor.name];
    if (this.#lostCalled) info.push('closed');
    else if (this.#closing) info.push('closing');
    const fd = (this.#socket as unknown as { _handle?: { fd?: number } | null })._handle?.fd;
    info.push(`fd=${fd ?? -1}`);
    if (!this.#lostCalled) {
      const size = this.getWriteBufferSize();
      info.push(`read=${this._reader.polling ? 'polling' : 'idle'}`);
      info.push(`write=<${size > 0 ? 'polling' : 'idle'}, bufsize=${size}>`);
    }
    return `<${info.join(' ')}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function callConnectionMade(protocol: BaseProtocol, transport: BaseTransport): void {
  protocol.connectionMade?.(transport);
}

function callConnectionLost(protocol: BaseProtocol, exc: Error | null): void {
  protocol.connectionLost?.(exc);
}

function resolveUnlessCancelled(waiter: AbstractFuture<void>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}
