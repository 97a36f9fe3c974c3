import type net from 'node:net';
import tls from 'node:tls';
import { TimeoutError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { waitForHandshake } from './tls-handshake.js';
import { toTlsError } from './tls-errors.js';
import { tlsExtraInfo } from './tls-extra-info.js';
import { checkClientSsl, checkTlsClientOptions, hostnameOptions, wantsTls } from './tls-options.js';
import type { TlsClientSettings } from './tls-options.js';

/** What `connectTls` connects: a new TCP or Unix connection, or an existing socket. */
export interface ConnectTlsOptions {
  /** `true`, a `tls.SecureContext` or `tls.connect()` options; checked here. */
  readonly ssl: unknown;
  /** The name sent as SNI and checked; defaults to `host`; `''` disables the name check. */
  readonly serverHostname?: string | null;
  /** Seconds the handshake may take (default 60). */
  readonly sslHandshakeTimeout?: number | null;
  /** Host to connect to (also the default `serverHostname`). */
  readonly host?: string | null;
  readonly port?: number | null;
  /** A Unix socket path to connect to instead of `host`/`port`. */
  readonly path?: string | null;
  /** A connected socket to run TLS over instead of connecting (startTls, accepted sockets). */
  readonly socket?: net.Socket | null;
  /** Local `[host, port]` to bind before connecting. */
  readonly localAddr?: readonly [string, number] | null;
  /** Address family for `host`: 4, 6 or 0 (any). */
  readonly family?: number | null;
  /** Cancels the connection: the socket is destroyed and the promise rejects with its reason. */
  readonly signal?: AbortSignal | null;
}

/** The `tls.connect()` options for `options` (all checked), and the handshake timeout. */
function connectOptions(options: ConnectTlsOptions): {
  tlsOptions: tls.ConnectionOptions;
  timeout: number;
} {
  if (!wantsTls(options.ssl)) checkClientSsl(options.ssl); // throws the TypeError
  const settings = checkTlsClientOptions(
    {
      ssl: options.ssl,
      serverHostname: options.serverHostname,
      sslHandshakeTimeout: options.sslHandshakeTimeout,
    },
    options.host,
  );
  if (settings === null) throw new TypeError('connectTls() needs ssl');
  // Node hands the TCP options (family, localAddress, localPort) on to net.connect().
  const tlsOptions: tls.ConnectionOptions & {
    family?: number;
    localAddress?: string;
    localPort?: number;
  } = {
    ...settings.options,
    ...hostnameOptions(settings.serverHostname, settings.options.checkServerIdentity),
  };
  const { socket, path, host, port, localAddr, family } = options;
  if (socket) {
    tlsOptions.socket = socket;
  } else if (path) {
    tlsOptions.path = path;
  } else {
    if (host) tlsOptions.host = host;
    if (port !== undefined && port !== null) tlsOptions.port = port;
    if (family) tlsOptions.family = family;
    if (localAddr) {
      tlsOptions.localAddress = localAddr[0];
      tlsOptions.localPort = localAddr[1];
    }
  }
  return { tlsOptions, timeout: settings.sslHandshakeTimeout };
}

/**
 * Opens a TLS client connection (or runs TLS over the connected `options.socket`) and
 * resolves to its socket once the handshake is done and the certificate verified (on by
 * default: Node's CAs, and the name `serverHostname`, which defaults to `host`).
 *
 * Rejects (and destroys the socket) with `SSLCertVerificationError` for a refused
 * certificate, `SSLError` for another TLS failure, the `OSError` subclass of a system error,
 * `ConnectionAbortedError` after `sslHandshakeTimeout` seconds, or the reason of a
 * cancellation of the awaiting task or of `signal`; with TypeError/ValueError for bad options,
 * before any I/O.
 *
 * Give `tlsExtraInfo(socket, options.ssl)` to the transport made over the result.
 */
export async function connectTls(
  loop: AbstractEventLoop,
  options: ConnectTlsOptions,
): Promise<tls.TLSSocket> {
  const { tlsOptions, timeout } = connectOptions(options);
  if (options.signal?.aborted) throw options.signal.reason;
  const tlsSocket = tls.connect(tlsOptions);
  await waitForHandshake(loop, tlsSocket, { timeout, signal: options.signal });
  return tlsSocket;
}

/**
 * Runs the client side of TLS over the connected `socket` with checked `settings` (from
 * `checkTlsClientOptions`) and resolves, once the handshake is done, to the TLS socket and
 * the extra information of its transport. Fails as `connectTls` does, destroying `socket`.
 */
export async function secureClientSocket(
  loop: AbstractEventLoop,
  socket: net.Socket,
  settings: Omit<TlsClientSettings, 'sslShutdownTimeout'>,
  signal?: AbortSignal | null,
): Promise<[tls.TLSSocket, Record<string, unknown>]> {
  if (signal?.aborted) {
    socket.destroy();
    throw signal.reason;
  }
  const tlsSocket = tls.connect({
    ...settings.options,
    ...hostnameOptions(settings.serverHostname, settings.options.checkServerIdentity),
    socket,
  });
  try {
    await waitForHandshake(loop, tlsSocket, { timeout: settings.sslHandshakeTimeout, signal });
  } catch (error) {
    socket.destroy();
    throw error;
  }
  return [tlsSocket, tlsExtraInfo(tlsSocket, settings.context)];
}

/**
 * Closes a TLS socket as asyncio's SSL shutdown does: flushes what was written, sends
 * close_notify (`socket.end()`), and waits for the peer to close; after `timeoutSeconds`
 * the socket is destroyed. Then calls `done(null)`, or `done(error)` with
 * `TimeoutError('SSL shutdown timed out')` or the socket's error. Incoming data is
 * discarded meanwhile (the socket is resumed so that the peer's close_notify is read): the
 * caller removes its 'data' listener first. Returns a function that stops the wait and
 * destroys the socket at once (for `abort()`), without calling `done`.
 */
export function closeTlsGracefully(
  loop: AbstractEventLoop,
  socket: tls.TLSSocket,
  timeoutSeconds: number,
  done: (error: Error | null) => void,
): () => void {
  let finished = false;
  let socketError: Error | null = null;
  const onError = (error: unknown): void => {
    socketError ??= toTlsError(error);
  };
  const finish = (error: Error | null): void => {
    if (finished) return;
    finished = true;
    timer.cancel();
    socket.off('close', onClose);
    done(error);
  };
  const onClose = (): void => finish(socketError);
  const timer = loop.callLater(timeoutSeconds, () => {
    socket.destroy();
    finish(new TimeoutError('SSL shutdown timed out'));
  });
  socket.on('error', onError);
  if (socket.destroyed) {
    // 'close' may already have been emitted: finish on the next iteration.
    loop.callSoon(() => finish(socketError));
  } else {
    socket.once('close', onClose);
    socket.end();
    socket.resume();
  }
  return () => {
    finished = true;
    timer.cancel();
    socket.off('close', onClose);
    socket.destroy();
  };
}
