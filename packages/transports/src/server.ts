import net from 'node:net';
import { RuntimeError, isCancelledError, toOSError } from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  AbstractServer,
  BaseTransport,
  BufferedProtocol,
  ExecutionFrame,
  Protocol,
  ProtocolFactory,
} from '@tsio/core';
import { ConnectionIntake } from './internal/connection-intake.js';
import { captureIoFrame, inIoFrame } from './internal/io-frame.js';
import type { ServerConnections } from './internal/server-connections.js';
import {
  checkServerOptions,
  checkUnixServerOptions,
  type CreateServerOptions,
  type CreateUnixServerOptions,
} from './internal/server-options.js';
import type { CheckedTls } from './internal/server-options.js';
import { bindTcpServers } from './internal/tcp-server.js';
import { bindUnixServer } from './internal/unix-server.js';

export type { CreateServerOptions, CreateUnixServerOptions } from './internal/server-options.js';

/** How a `Server` treats the connections it accepts. */
export interface ServerOptions {
  /** Serve TLS with these checked settings (`null`/absent: plain connections). */
  readonly ssl?: CheckedTls | null;
  /** Enable TCP keep-alive on accepted connections. */
  readonly keepAlive?: boolean;
}

function describeListener(listener: net.Server): string {
  const address = listener.address();
  if (address === null) return '(closed)';
  if (typeof address === 'string')
    return address.startsWith('\0') ? `@${address.slice(1)}` : address;
  return address.family === 'IPv6'
    ? `[${address.address}]:${address.port}`
    : `${address.address}:${address.port}`;
}

/**
 * A listening TCP, TLS or Unix socket server: the result of `loop.createServer()`,
 * `loop.createUnixServer()` and `startServer()`. It wraps each connection it accepts in a
 * transport with a new protocol from the factory, and keeps track of them so that it can close
 * or abort them (`closeClients`, `abortClients`) and wait for them (`waitClosed`).
 *
 * Closing the server stops listening; connections already accepted stay open.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   #transport: Transport | null = null;
 *   override connectionMade(transport: Transport): void {
 *     this.#transport = transport;
 *   }
 *   override dataReceived(data: Uint8Array): void {
 *     this.#transport?.write(data);
 *   }
 * }
 * await using server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
 * console.log(String(server)); // <Server sockets=[127.0.0.1:41234]>
 * await server.serveForever();
 * ```
 *
 * Python parity: `asyncio.Server`
 */
export class Server implements AbstractServer, ServerConnections {
  readonly #loop: AbstractEventLoop;
  readonly #frame: ExecutionFrame;
  readonly #intake: ConnectionIntake;
  #listeners: net.Server[] | null;
  readonly #clients = new Set<BaseTransport>();
  #waiters: AbstractFuture<void>[] | null = [];
  #serving = false;
  #servingForever: AbstractFuture<void> | null = null;

  /**
   * Serves connections to `listeners`, listening `net.Server`s. `createServer` and
   * `createUnixServer` make servers; constructing one directly is for loop implementers.
   * The server does not accept connections until `startServing()`.
   */
  constructor(
    loop: AbstractEventLoop,
    listeners: readonly net.Server[],
    protocolFactory: ProtocolFactory<Protocol | BufferedProtocol>,
    options: ServerOptions = {},
  ) {
    this.#loop = loop;
    this.#frame = captureIoFrame();
    this.#listeners = [...listeners];
    const { keepAlive = false, ssl = null } = options;
    this.#intake = new ConnectionIntake(loop, protocolFactory, this, keepAlive, ssl, this.#frame);
    for (const listener of this.#listeners) {
      // Half-open connections are the protocol's choice (eofReceived), not Node's.
      (listener as net.Server & { allowHalfOpen: boolean }).allowHalfOpen = true;
      listener.on('connection', (socket: net.Socket) =>
        inIoFrame(this.#frame, () => this.#onConnection(socket)),
      );
      listener.on('error', (error: Error) =>
        inIoFrame(this.#frame, () =>
          loop.callExceptionHandler({
            message: 'socket.accept() failed',
            exception: toOSError(error),
            socket: listener,
          }),
        ),
      );
    }
  }

  /**
   * The listening servers (`net.Server`; `address()` tells where each listens), empty once
   * closed.
   *
   * Python parity: `Server.sockets`
   */
  get sockets(): readonly net.Server[] {
    return this.#listeners === null ? [] : [...this.#listeners];
  }

  /** Python parity: `Server.get_loop` */
  getLoop(): AbstractEventLoop {
    return this.#loop;
  }

  /** Python parity: `Server.is_serving` */
  isServing(): boolean {
    return this.#serving;
  }

  /**
   * Stops listening and stops accepting connections; the connections already accepted stay
   * open. Closing twice does nothing.
   *
   * Python parity: `Server.close`
   */
  close(): void {
    const listeners = this.#listeners;
    if (listeners === null) return;
    this.#listeners = null;
    for (const listener of listeners) listener.close();
    this.#intake.dropHeld();
    this.#serving = false;
    if (this.#servingForever !== null && !this.#servingForever.done())
      this.#servingForever.cancel();
    this.#servingForever = null;
    if (this.#clients.size === 0) this.#wakeup();
  }

  /** Python parity: `Server.close_clients` */
  closeClients(): void {
    for (const transport of [...this.#clients]) transport.close();
  }

  /** Python parity: `Server.abort_clients` */
  abortClients(): void {
    for (const transport of [...this.#clients])
      (transport as BaseTransport & { abort(): void }).abort();
  }

  /**
   * Starts accepting connections: those that arrived meanwhile first. Does nothing if the
   * server is serving already.
   *
   * @throws RuntimeError if the server is closed
   *
   * Python parity: `Server.start_serving`
   */
  startServing(): Promise<void> {
    try {
      this._startServing();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * Serves until the awaiting task is cancelled (or the server closed): then closes the
   * server, waits for `waitClosed()`, and throws the `CancelledError`.
   *
   * @throws RuntimeError if the server is closed or `serveForever()` is already running
   *
   * Python parity: `Server.serve_forever`
   */
  async serveForever(): Promise<void> {
    if (this.#servingForever !== null) {
      throw new RuntimeError(`server ${String(this)} is already being awaited on serveForever()`);
    }
    if (this.#listeners === null) throw new RuntimeError(`server ${String(this)} is closed`);
    this._startServing();
    const forever = this.#loop.createFuture<void>();
    this.#servingForever = forever;
    try {
      await forever;
    } catch (error) {
      if (isCancelledError(error)) {
        this.close();
        await this.waitClosed();
      }
      throw error;
    } finally {
      if (this.#servingForever === forever) this.#servingForever = null;
    }
  }

  /**
   * Resolves once the server is closed and every connection it accepted is closed too, in
   * whichever order that happens (asyncio 3.12.1+).
   *
   * Python parity: `Server.wait_closed`
   */
  async waitClosed(): Promise<void> {
    if (this.#waiters === null) return;
    const waiter = this.#loop.createFuture<void>();
    this.#waiters.push(waiter);
    await waiter;
  }

  /** Closes the server and waits for it (and its connections): `await using`. Python parity: `Server.__aexit__` */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  /** For instance `<Server sockets=[127.0.0.1:8888, [::1]:8888]>`. Python parity: `Server.__repr__` */
  toString(): string {
    return `<Server sockets=[${this.sockets.map(describeListener).join(', ')}]>`;
  }

  /** Records a connection's transport. Python parity: `Server._attach` */
  _attach(transport: BaseTransport): void {
    this.#clients.add(transport);
  }

  /** Forgets a connection's transport once its protocol was told it is lost. Python parity: `Server._detach` */
  _detach(transport: BaseTransport): void {
    if (!this.#clients.delete(transport)) return;
    if (this.#clients.size === 0 && this.#listeners === null) this.#wakeup();
  }

  /** Starts accepting connections, synchronously. Python parity: `Server._start_serving` */
  _startServing(): void {
    if (this.#listeners === null) throw new RuntimeError(`server ${String(this)} is closed`);
    if (this.#serving) return;
    this.#serving = true;
    this.#intake.acceptHeld();
  }

  #wakeup(): void {
    const waiters = this.#waiters;
    this.#waiters = null;
    for (const waiter of waiters ?? []) if (!waiter.done()) waiter.setResult(undefined);
  }

  #onConnection(socket: net.Socket): void {
    if (this.#listeners === null) {
      socket.destroy();
    } else if (!this.#serving) {
      // Not serving yet: keep the connection (unread) until startServing().
      this.#intake.hold(socket);
    } else {
      this.#intake.accept(socket);
    }
  }
}

function makeListener(): net.Server {
  return net.createServer({ allowHalfOpen: true });
}

/**
 * Loop machinery of `EventLoop.createServer`: checks everything, binds, and returns the
 * server, serving unless `startServing: false`.
 *
 * Python parity: `loop.create_server`
 */
export async function _createServer(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<Protocol>,
  host?: string | readonly string[] | null,
  port?: number | string | null,
  options?: CreateServerOptions,
): Promise<Server> {
  if (typeof protocolFactory !== 'function') {
    throw new TypeError(
      `protocolFactory must be a function returning a protocol, got ${String(protocolFactory)}`,
    );
  }
  const settings = checkServerOptions(options);
  const listeners = await bindTcpServers(loop, host, port, settings, makeListener);
  const server = new Server(loop, listeners, protocolFactory, {
    ssl: settings.ssl,
    keepAlive: settings.keepAlive,
  });
  if (settings.startServing) server._startServing();
  return server;
}

/**
 * Loop machinery of `EventLoop.createUnixServer`.
 *
 * Python parity: `loop.create_unix_server`
 */
export async function _createUnixServer(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<Protocol>,
  path?: string | null,
  options?: CreateUnixServerOptions,
): Promise<Server> {
  if (typeof protocolFactory !== 'function') {
    throw new TypeError(
      `protocolFactory must be a function returning a protocol, got ${String(protocolFactory)}`,
    );
  }
  const settings = checkUnixServerOptions(options);
  const listener = await bindUnixServer(loop, path, settings, makeListener);
  const server = new Server(loop, [listener], protocolFactory, { ssl: settings.ssl });
  if (settings.startServing) server._startServing();
  return server;
}
