import type net from 'node:net';
import type {
  AbstractEventLoop,
  AbstractFuture,
  BufferedProtocol,
  ExecutionFrame,
  Protocol,
} from '@tsio/core';
import type { ServerConnections } from './server-connections.js';

/**
 * What the reading and writing sides of a `SocketTransport` (socket-reader.ts,
 * socket-writer.ts) need from the transport that owns them: its socket, loop and I/O frame,
 * and a view of its lifecycle.
 */
export interface SocketHost {
  readonly loop: AbstractEventLoop;
  readonly socket: net.Socket;
  /** The frame every protocol callback from a Node event runs in (see io-frame.ts). */
  readonly frame: ExecutionFrame;
  /** A `tls.TLSSocket`: it cannot half-close. */
  readonly isTls: boolean;
  /** The transport's current protocol. */
  protocol(): Protocol | BufferedProtocol;
  /** `close()`/`abort()` was called or the connection was lost. */
  closing(): boolean;
  /** The connection is over: `connectionLost` is scheduled (or the socket was handed on). */
  lost(): boolean;
  /** Writes are dropped: the connection is lost, or a TLS close is under way. */
  dropsWrites(): boolean;
  /**
   * Every Node event handler asks this first: false once the loop is closed, after the
   * transport has released its socket without calling anything (asyncio calls nothing then).
   */
  alive(): boolean;
  /** Reports `error` as asyncio's `_fatal_error` and force-closes with it. */
  fatalError(error: unknown, message: string): void;
  /** The transport's description, for debug messages. */
  describe(): string;
  /** The transport's `close()`. */
  close(): void;
}

/** Options of a SocketTransport. */
export interface SocketTransportOptions {
  /** Extra info (`getExtraInfo`) given by the creator: TLS details, a Unix peer's path... */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** The server that accepted the connection, told when it is made and gone. */
  readonly server?: ServerConnections | null;
  /** Resolved once the protocol's `connectionMade` has run (unless cancelled). */
  readonly waiter?: AbstractFuture<void> | null;
  /** TLS only: seconds `close()` waits for the peer's close_notify (default 30). */
  readonly sslShutdownTimeout?: number;
  /**
   * `false`: the protocol already knows the connection (startTls), `connectionMade` is not
   * called; asyncio's `call_connection_made=False`. Default true.
   */
  readonly connectionMade?: boolean;
}

/** What `_detachSocket()` hands over. */
export interface DetachedSocket {
  readonly socket: net.Socket;
  /** The server the transport belonged to, which now holds `successor` in its place. */
  readonly server: ServerConnections | null;
}
