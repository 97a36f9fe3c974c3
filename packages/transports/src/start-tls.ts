import type net from 'node:net';
import type tls from 'node:tls';
import { RuntimeError, ValueError } from '@tsio/core';
import type { AbstractEventLoop, BaseProtocol, Protocol, Transport } from '@tsio/core';
import { PendingConnection } from './internal/pending-connection.js';
import { SocketTransport } from './internal/socket-transport.js';
import { secureClientSocket } from './internal/tls-client.js';
import { secureServerSocket } from './internal/tls-server.js';
import {
  checkClientSsl,
  checkHandshakeTimeout,
  checkServerSsl,
  checkShutdownTimeout,
  describeValue,
} from './internal/tls-options.js';
import type { CheckedSsl, TlsClientSettings } from './internal/tls-options.js';

/**
 * Options of `loop.startTls(transport, protocol, sslContext, options)`.
 *
 * Python parity: the keyword arguments of `loop.start_tls`
 */
export interface StartTlsOptions {
  /** Act as the TLS server (then `sslContext` must carry a certificate). Default false. */
  readonly serverSide?: boolean;
  /**
   * The name the server's certificate must carry, also sent as SNI (client side). Required
   * unless `sslContext` has `rejectUnauthorized: false`; `''` disables the name check.
   */
  readonly serverHostname?: string | null;
  /** Seconds the handshake may take before the connection is aborted (default 60). */
  readonly sslHandshakeTimeout?: number | null;
  /** Seconds closing may wait for the peer's close_notify (default 30). */
  readonly sslShutdownTimeout?: number | null;
}

type StartTlsSettings =
  | ({ readonly serverSide: false } & TlsClientSettings)
  | ({ readonly serverSide: true } & CheckedSsl<tls.TlsOptions> & {
        readonly sslHandshakeTimeout: number;
        readonly sslShutdownTimeout: number;
      });

function ignoreError(): void {}

/** Checks everything before any I/O, as asyncio's start_tls checks its arguments. */
function checkStartTls(sslContext: unknown, options: unknown): StartTlsSettings {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(
      `startTls() options must be an object such as { serverHostname: 'example.com' }, got ${describeValue(options)}`,
    );
  }
  const opts = (options ?? {}) as Record<string, unknown>;
  const serverSide = opts['serverSide'] ?? false;
  if (typeof serverSide !== 'boolean') {
    throw new TypeError(`serverSide must be a boolean, got ${describeValue(serverSide)}`);
  }
  const sslHandshakeTimeout = checkHandshakeTimeout(opts['sslHandshakeTimeout']);
  const sslShutdownTimeout = checkShutdownTimeout(opts['sslShutdownTimeout']);
  if (serverSide) {
    const checked = checkServerSsl(sslContext, 'sslContext');
    return { serverSide, ...checked, sslHandshakeTimeout, sslShutdownTimeout };
  }
  const checked = checkClientSsl(sslContext, 'sslContext');
  let serverHostname = opts['serverHostname'];
  if (serverHostname === undefined || serverHostname === null) {
    // asyncio: "check_hostname requires server_hostname" unless the context checks nothing.
    if (checked.options.rejectUnauthorized !== false) {
      throw new ValueError(
        "startTls() on the client side needs serverHostname, the name the server's " +
          "certificate must carry ('' disables the name check)",
      );
    }
    serverHostname = '';
  }
  if (typeof serverHostname !== 'string') {
    throw new TypeError(`serverHostname must be a string, got ${describeValue(serverHostname)}`);
  }
  return { serverSide, ...checked, serverHostname, sslHandshakeTimeout, sslShutdownTimeout };
}

/**
 * Loop machinery of `EventLoop.startTls`: upgrades the connection of `transport` (made by
 * `createConnection`, `createServer` or `connectAcceptedSocket`) to TLS and resolves to a new
 * transport for `protocol`, once the handshake is done. As in asyncio, `protocol` is not told
 * `connectionMade` again, the old transport must not be used any more, and a failed or
 * cancelled handshake closes the connection without calling `connectionLost`.
 *
 * @throws TypeError for a transport that is not a socket transport of tsio, or a bad
 *   `sslContext` shape; ValueError for a server-side `sslContext` without a certificate, a
 *   client side without `serverHostname`, or a timeout that is not positive (all before I/O)
 *
 * Python parity: `loop.start_tls`
 */
export async function _startTls(
  loop: AbstractEventLoop,
  transport: Transport,
  protocol: BaseProtocol,
  sslContext: unknown,
  options?: StartTlsOptions,
): Promise<Transport> {
  const settings = checkStartTls(sslContext, options);
  if (!(transport instanceof SocketTransport)) {
    throw new TypeError(
      `transport ${String(transport)} is not supported by startTls(): pass a transport made ` +
        'by createConnection(), createServer(), createUnixConnection() or connectAcceptedSocket()',
    );
  }
  if (typeof protocol !== 'object' || protocol === null) {
    throw new TypeError(`protocol must be a protocol object, got ${describeValue(protocol)}`);
  }
  if (transport.isClosing()) {
    throw new RuntimeError('startTls() needs an open transport; this one is closing or closed');
  }
  const peername = transport.getExtraInfo('peername');
  // A server keeps counting the connection during the handshake (asyncio's server keeps its
  // underlying transport), then counts the new transport.
  const pending = new PendingConnection(transport.getExtraInfo('socket') as net.Socket);
  const { socket, server } = transport._detachSocket(pending);
  let tlsSocket: tls.TLSSocket;
  let extra: Record<string, unknown>;
  // Errors during the handshake come through the TLS socket; none may crash the process.
  socket.on('error', ignoreError);
  try {
    // TLS writes to the connection's handle directly: what the old transport still buffers
    // must go out first.
    if (socket.writableLength > 0) {
      await new Promise<void>((resolve) => socket.write(Buffer.alloc(0), () => resolve()));
    }
    [tlsSocket, extra] = settings.serverSide
      ? await secureServerSocket(loop, socket, settings)
      : await secureClientSocket(loop, socket, settings);
  } catch (error) {
    server?._detach(pending);
    throw error;
  }
  // As asyncio's SSLProtocol made with call_connection_made=False: `protocol` already knows
  // the connection; reading starts on the next iteration, after which this resolves.
  const made = loop.createFuture<void>();
  const secure = new SocketTransport(loop, tlsSocket, protocol as Protocol, {
    extra: { ...extra, peername },
    sslShutdownTimeout: settings.sslShutdownTimeout,
    server,
    connectionMade: false,
    waiter: made,
  });
  server?._detach(pending);
  try {
    await made;
  } catch (error) {
    secure.abort();
    throw error;
  }
  return secure;
}
