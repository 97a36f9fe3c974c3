import type net from 'node:net';
import type tls from 'node:tls';
import type {
  AbstractEventLoop,
  BufferedProtocol,
  ExecutionFrame,
  Protocol,
  ProtocolFactory,
} from '@tsio/core';
import { PendingConnection } from './pending-connection.js';
import type { ServerConnections } from './server-connections.js';
import type { CheckedTls } from './server-options.js';
import { makeTlsIntake } from './server-tls.js';
import { SocketTransport } from './socket-transport.js';

function ignoreError(): void {}

/**
 * What a server does with the connections its listening sockets accept: hold them while it
 * is not serving yet, then give each (after its TLS handshake, with `ssl`) a protocol from
 * the factory and a `SocketTransport` attached to the server, as asyncio's
 * `_accept_connection2` does.
 */
export class ConnectionIntake {
  // Connections that arrived before startServing(): unread, accepted when it is called.
  readonly #held = new Set<net.Socket>();
  readonly #tls: ((socket: net.Socket) => void) | null;
  // TLS connections in their handshake, by accepted socket.
  readonly #handshaking = new Map<net.Socket, PendingConnection>();

  constructor(
    private readonly loop: AbstractEventLoop,
    private readonly protocolFactory: ProtocolFactory<Protocol | BufferedProtocol>,
    private readonly server: ServerConnections,
    private readonly keepAlive: boolean,
    ssl: CheckedTls | null,
    frame: ExecutionFrame,
  ) {
    this.#tls =
      ssl === null
        ? null
        : makeTlsIntake(loop, ssl, frame, (socket, extra) => this.#onSecure(socket, extra));
  }

  /** Keeps `socket` until `acceptHeld()` or `dropHeld()`. */
  hold(socket: net.Socket): void {
    this.#held.add(socket);
    socket.on('error', ignoreError);
    socket.once('close', () => this.#held.delete(socket));
  }

  /** Accepts every held connection. */
  acceptHeld(): void {
    const held = [...this.#held];
    this.#held.clear();
    for (const socket of held) {
      socket.removeListener('error', ignoreError);
      this.accept(socket);
    }
  }

  /** Closes every held connection (the server closed before serving them). */
  dropHeld(): void {
    for (const socket of this.#held) socket.destroy();
    this.#held.clear();
  }

  /** Serves a new connection. */
  accept(socket: net.Socket): void {
    if (socket.destroyed) return;
    socket.setNoDelay(true);
    if (this.keepAlive) socket.setKeepAlive(true);
    if (this.#tls === null) {
      this.#makeTransport(socket, undefined);
      return;
    }
    // TLS cannot half-close: a client that leaves during the handshake must end it (with a
    // half-open socket Node's TLS server would wait for its handshake timeout), as asyncio's
    // SSLProtocol ends a handshake on EOF.
    socket.allowHalfOpen = false;
    // As asyncio, the server counts the connection from accept, through its handshake.
    const pending = new PendingConnection(socket);
    this.#handshaking.set(socket, pending);
    this.server._attach(pending);
    socket.once('close', () => this.#settle(socket));
    this.#tls(socket);
  }

  /** The handshake of the connection over `socket` is over (done, failed or dropped). */
  #settle(socket: net.Socket | undefined): void {
    const pending = socket === undefined ? undefined : this.#handshaking.get(socket);
    if (socket === undefined || pending === undefined) return;
    this.#handshaking.delete(socket);
    this.server._detach(pending);
  }

  #onSecure(socket: tls.TLSSocket, extra: Record<string, unknown>): void {
    try {
      this.#makeTransport(socket, extra);
    } finally {
      // The transport is attached (or the connection closed): the handshake stops counting.
      // Node's TLS server keeps the accepted socket as `_parent`; without it, the entry goes
      // when that socket closes.
      this.#settle((socket as unknown as { _parent?: net.Socket })._parent);
    }
  }

  #makeTransport(socket: net.Socket, extra: Readonly<Record<string, unknown>> | undefined): void {
    let protocol: Protocol | BufferedProtocol | undefined;
    try {
      protocol = this.protocolFactory();
      new SocketTransport(this.loop, socket, protocol, {
        server: this.server,
        ...(extra !== undefined && { extra }),
      });
    } catch (error) {
      // asyncio reports this only in debug mode; a lost connection with no word is worse.
      socket.destroy();
      this.loop.callExceptionHandler({
        message: 'Error on transport creation for incoming connection',
        exception: error,
        ...(protocol !== undefined && { protocol }),
      });
    }
  }
}
