import net from 'node:net';
import { ValueError } from '@tsio/core';
import type { AbstractEventLoop, Protocol, ProtocolFactory, Transport } from '@tsio/core';
import { checkHost, checkPath, checkPort } from './internal/address-checks.js';
import { attachProtocol } from './internal/attach-protocol.js';
import { connectSocket, connectTcp, releaseSocket } from './internal/connect-socket.js';
import { checkOptionKeys } from './internal/option-keys.js';
import { SocketTransport } from './internal/socket-transport.js';
import { secureClientSocket } from './internal/tls-client.js';
import {
  checkHandshakeTimeout,
  checkServerSsl,
  checkTlsClientOptions,
} from './internal/tls-options.js';
import { secureServerSocket } from './internal/tls-server.js';

/**
 * Options of `createConnection`.
 *
 * Python parity: `loop.create_connection` keyword arguments
 */
export interface CreateConnectionOptions {
  /** TLS: `true` (default settings), `tls.connect()` options, or a `tls.SecureContext`. */
  readonly ssl?: unknown;
  /** The name to check the server's certificate against (and send as SNI); defaults to host. */
  readonly serverHostname?: string | null;
  /** Address family: 0 any (default), 2 IPv4 (`AF_INET`), 10 IPv6 (`AF_INET6`); Node's 4 and 6 are accepted too. */
  readonly family?: number;
  /** Not supported (Node sets no getaddrinfo flags for connections); only 0 is accepted. */
  readonly flags?: number;
  /** An existing, connected `net.Socket` to use instead of host and port. */
  readonly sock?: net.Socket | null;
  /** The local `[host, port]` to bind the socket to. */
  readonly localAddr?: readonly [host: string | null, port: number | string | null] | null;
  /** Seconds before trying the next address (RFC 8305 happy eyeballs); default: one after another. */
  readonly happyEyeballsDelay?: number | null;
  /** Accepted for parity; Node interleaves the address families itself. */
  readonly interleave?: number | null;
  /** Seconds to wait for the TLS handshake (default 60). */
  readonly sslHandshakeTimeout?: number | null;
  /** Seconds to wait for the TLS shutdown (default 30). */
  readonly sslShutdownTimeout?: number | null;
  /** Reject with an ExceptionGroup of every attempt's error instead of one error. */
  readonly allErrors?: boolean;
}

/**
 * Options of `createUnixConnection`.
 *
 * Python parity: `loop.create_unix_connection` keyword arguments
 */
export interface CreateUnixConnectionOptions {
  /** TLS over the Unix socket, as in `CreateConnectionOptions.ssl`. */
  readonly ssl?: unknown;
  /** The name to check the server's certificate against; required with `ssl`. */
  readonly serverHostname?: string | null;
  /** An existing, connected Unix `net.Socket` to use instead of a path. */
  readonly sock?: net.Socket | null;
  /** Seconds to wait for the TLS handshake (default 60). */
  readonly sslHandshakeTimeout?: number | null;
  /** Seconds to wait for the TLS shutdown (default 30). */
  readonly sslShutdownTimeout?: number | null;
}

/**
 * Options of `connectAcceptedSocket`.
 *
 * Python parity: `loop.connect_accepted_socket` keyword arguments
 */
export interface ConnectAcceptedSocketOptions {
  /** Serve TLS on the socket: `tls.createServer()` options or a `tls.SecureContext`. */
  readonly ssl?: unknown;
  /** Seconds to wait for the TLS handshake (default 60). */
  readonly sslHandshakeTimeout?: number | null;
  /** Seconds to wait for the TLS shutdown (default 30). */
  readonly sslShutdownTimeout?: number | null;
}

const CONNECTION_KEYS = [
  'ssl', 'serverHostname', 'family', 'flags', 'sock', 'localAddr', 'happyEyeballsDelay',
  'interleave', 'sslHandshakeTimeout', 'sslShutdownTimeout', 'allErrors',
] as const; // prettier-ignore
const UNIX_KEYS = ['ssl', 'serverHostname', 'sock', 'sslHandshakeTimeout', 'sslShutdownTimeout'];
const ACCEPTED_KEYS = ['ssl', 'sslHandshakeTimeout', 'sslShutdownTimeout'];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** @throws TypeError unless `socket` is a connected, open net.Socket */
function checkConnectedSocket(socket: unknown, what: string): net.Socket {
  if (!(socket instanceof net.Socket)) {
    throw new TypeError(`${what} must be a connected net.Socket, got ${describe(socket)}`);
  }
  if (socket.destroyed || socket.connecting || socket.pending) {
    throw new TypeError(
      `${what} must be a connected net.Socket, got one that is ${socket.destroyed ? 'destroyed' : 'not connected yet'}`,
    );
  }
  return socket;
}

function checkFamily(family: unknown): number {
  if (family === undefined || family === null || family === 0) return 0;
  if (family === 2 || family === 4) return 2;
  if (family === 10 || family === 6) return 10;
  throw new ValueError(
    `family must be 0 (any), 2 (AF_INET, IPv4) or 10 (AF_INET6, IPv6), got ${String(family)}`,
  );
}

function checkSeconds(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${what} must be a number of seconds, got ${describe(value)}`);
  }
  if (value < 0) throw new ValueError(`${what} must be >= 0, got ${value}`);
  return value;
}

function checkLocalAddr(value: unknown): readonly [string | null, number | null] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(
      `localAddr must be a [host, port] pair such as ['127.0.0.1', 0], got ${describe(value)}`,
    );
  }
  return [checkHost(value[0], 'localAddr[0]'), checkPort(value[1])];
}

/**
 * Wraps a connected socket in a SocketTransport and waits until its protocol's
 * `connectionMade` has run, as asyncio's `_create_connection_transport` does; a failure or a
 * cancellation closes the transport.
 */
function makeTransport<P extends Protocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  socket: net.Socket,
  extra: Readonly<Record<string, unknown>> | undefined,
  sslShutdownTimeout?: number,
): Promise<[Transport, P]> {
  return attachProtocol<P, Transport>(
    loop,
    protocolFactory,
    () => socket.destroy(),
    (protocol, waiter) => {
      const transport = new SocketTransport(loop, socket, protocol, {
        waiter,
        ...(extra === undefined ? {} : { extra }),
        ...(sslShutdownTimeout === undefined ? {} : { sslShutdownTimeout }),
      });
      releaseSocket(socket);
      return transport;
    },
  );
}

/**
 * Loop machinery of `EventLoop.createConnection`. Python parity: `loop.create_connection`
 */
export async function _createConnection<P extends Protocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  host?: string | null,
  port?: number | string | null,
  options?: CreateConnectionOptions,
): Promise<[Transport, P]> {
  const opts = checkOptionKeys<CreateConnectionOptions>(
    options,
    CONNECTION_KEYS,
    'createConnection()',
  );
  const checkedHost = checkHost(host, 'host');
  const checkedPort = checkPort(port);
  const tlsSettings = checkTlsClientOptions(opts, checkedHost);
  const family = checkFamily(opts.family);
  if (opts.flags !== undefined && opts.flags !== 0) {
    throw new ValueError('flags is not supported: Node sets no getaddrinfo flags for connections');
  }
  const localAddr = checkLocalAddr(opts.localAddr);
  const happyEyeballsDelay = checkSeconds(opts.happyEyeballsDelay, 'happyEyeballsDelay');
  if (opts.interleave != null && (!Number.isInteger(opts.interleave) || opts.interleave < 0)) {
    throw new ValueError(`interleave must be an integer >= 0, got ${String(opts.interleave)}`);
  }
  let socket: net.Socket;
  if (checkedHost !== null || checkedPort !== null) {
    if (opts.sock != null) {
      throw new ValueError('host/port and sock can not be specified simultaneously');
    }
    socket = await connectTcp(loop, {
      host: checkedHost,
      port: checkedPort,
      family,
      localAddr,
      happyEyeballsDelay,
      allErrors: opts.allErrors === true,
    });
  } else {
    if (opts.sock == null) {
      throw new ValueError('host and port was not specified and no sock specified');
    }
    socket = checkConnectedSocket(opts.sock, 'sock');
  }
  let extra: Record<string, unknown> | undefined;
  if (tlsSettings !== null) [socket, extra] = await secureClientSocket(loop, socket, tlsSettings);
  return makeTransport(loop, protocolFactory, socket, extra, tlsSettings?.sslShutdownTimeout);
}

/**
 * Loop machinery of `EventLoop.createUnixConnection`. Python parity: `loop.create_unix_connection`
 */
export async function _createUnixConnection<P extends Protocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  path?: string | null,
  options?: CreateUnixConnectionOptions,
): Promise<[Transport, P]> {
  const opts = checkOptionKeys<CreateUnixConnectionOptions>(
    options,
    UNIX_KEYS,
    'createUnixConnection()',
  );
  const tlsSettings = checkTlsClientOptions(opts, null);
  let socket: net.Socket;
  let extra: Record<string, unknown> | undefined;
  if (path !== undefined && path !== null) {
    if (opts.sock != null)
      throw new ValueError('path and sock can not be specified simultaneously');
    const checkedPath = checkPath(path);
    socket = await connectSocket(loop, { path: checkedPath });
    extra = { peername: checkedPath };
  } else {
    if (opts.sock == null) throw new ValueError('no path and sock were specified');
    socket = checkConnectedSocket(opts.sock, 'sock');
  }
  if (tlsSettings !== null) {
    let tlsExtra: Record<string, unknown>;
    [socket, tlsExtra] = await secureClientSocket(loop, socket, tlsSettings);
    extra = { ...extra, ...tlsExtra };
  }
  return makeTransport(loop, protocolFactory, socket, extra, tlsSettings?.sslShutdownTimeout);
}

/**
 * Loop machinery of `EventLoop.connectAcceptedSocket`. Python parity: `loop.connect_accepted_socket`
 */
export async function _connectAcceptedSocket<P extends Protocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  socket: unknown,
  options?: ConnectAcceptedSocketOptions,
): Promise<[Transport, P]> {
  const opts = checkOptionKeys<ConnectAcceptedSocketOptions>(
    options,
    ACCEPTED_KEYS,
    'connectAcceptedSocket()',
  );
  let checked = checkConnectedSocket(socket, 'socket');
  let extra: Record<string, unknown> | undefined;
  if (opts.ssl != null && opts.ssl !== false) {
    const settings = {
      ...checkServerSsl(opts.ssl),
      sslHandshakeTimeout: checkHandshakeTimeout(opts.sslHandshakeTimeout),
    };
    [checked, extra] = await secureServerSocket(loop, checked, settings);
  } else {
    for (const key of ['sslHandshakeTimeout', 'sslShutdownTimeout'] as const) {
      if (opts[key] != null) throw new ValueError(`${key} is only meaningful with ssl`);
    }
  }
  return makeTransport(loop, protocolFactory, checked, extra);
}
