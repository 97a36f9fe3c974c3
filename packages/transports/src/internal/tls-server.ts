import type net from 'node:net';
import tls from 'node:tls';
import { _getRunningLoop } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { SSLCertVerificationError } from '../ssl-errors.js';
import { handshakeTimeoutError, toTlsError } from './tls-errors.js';
import { waitForHandshake } from './tls-handshake.js';
import { tlsExtraInfo } from './tls-extra-info.js';
import { checkHandshakeTimeout, checkServerSsl, isSecureContext } from './tls-options.js';
import type { CheckedSsl } from './tls-options.js';

/** Options of `createTlsServer`. */
export interface TlsServerOptions {
  /** Seconds a client's handshake may take (default 60); then it is disconnected. */
  readonly sslHandshakeTimeout?: number | null | undefined;
  /** The loop whose exception handler hears of failed handshakes in debug mode (default:
   * the running loop when the failure happens). */
  readonly loop?: AbstractEventLoop | null | undefined;
  /** Passed on to `tls.createServer` (asyncio's transports half-close on their own terms). */
  readonly allowHalfOpen?: boolean;
  /** Passed on to `tls.createServer`. */
  readonly pauseOnConnect?: boolean;
}

/**
 * Makes `server` use `context` for its connections. `tls.createServer` ignores a
 * `secureContext` option (it builds its own context from `key`, `cert`...): this replaces
 * the context it built, as its `setSecureContext()` does, so that a server can be given a
 * `tls.SecureContext` as asyncio's is given an `SSLContext`.
 */
export function serveWithContext(server: tls.Server, context: tls.SecureContext): void {
  const slot = server as unknown as { _sharedCreds?: unknown };
  if (!('_sharedCreds' in slot)) {
    throw new TypeError('this Node version cannot serve a tls.SecureContext: pass { key, cert }');
  }
  slot._sharedCreds = context;
}

/**
 * Makes the `tls.Server` of a `createServer(..., { ssl })` call: serve its 'secureConnection'
 * sockets (handshake done, client verified when `requestCert` and `rejectUnauthorized`) and
 * give their transports `tlsExtraInfo(socket, ssl)`.
 *
 * A client whose handshake fails (bad certificate, wrong protocol, a reset, no ClientHello
 * within `sslHandshakeTimeout`) is disconnected and the server keeps serving: as asyncio
 * does, the failure is reported only in debug mode, to the loop's exception handler with the
 * message `'SSL handshake failed'` (or `'... on verifying the certificate'`).
 *
 * @throws ValueError for `ssl: true` or options without a certificate; TypeError for another
 *   `ssl` shape; TypeError/ValueError for a bad `sslHandshakeTimeout`
 */
export function createTlsServer(ssl: unknown, options: TlsServerOptions = {}): tls.Server {
  const checked = checkServerSsl(ssl);
  const timeout = checkHandshakeTimeout(options.sslHandshakeTimeout);
  const serverOptions: tls.TlsOptions = {
    ...checked.options,
    handshakeTimeout: Math.max(1, Math.round(timeout * 1000)),
  };
  if (options.allowHalfOpen !== undefined) serverOptions.allowHalfOpen = options.allowHalfOpen;
  if (options.pauseOnConnect !== undefined) serverOptions.pauseOnConnect = options.pauseOnConnect;
  const server = tls.createServer(serverOptions);
  if (isSecureContext(checked.context)) serveWithContext(server, checked.context);
  server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
    socket.destroy();
    const loop = options.loop ?? _getRunningLoop();
    if (loop === null || loop.isClosed() || !loop.getDebug()) return;
    const code = (error as { code?: unknown }).code;
    const exception =
      code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ? handshakeTimeoutError(timeout) : toTlsError(error);
    const verifying = exception instanceof SSLCertVerificationError;
    loop.callExceptionHandler({
      message: verifying
        ? 'SSL handshake failed on verifying the certificate'
        : 'SSL handshake failed',
      exception,
      socket,
    });
  });
  return server;
}

/**
 * Runs the server side of TLS over the connected `socket` with checked `settings` (from
 * `checkServerSsl`, plus the handshake timeout) and resolves, once the handshake is done (and
 * the client's certificate verified when `requestCert` and `rejectUnauthorized` ask for it),
 * to the TLS socket and the extra information of its transport. For `connectAcceptedSocket`
 * and `startTls`. Rejects as `connectTls` does, destroying `socket`.
 */
export async function secureServerSocket(
  loop: AbstractEventLoop,
  socket: net.Socket,
  settings: CheckedSsl<tls.TlsOptions> & { readonly sslHandshakeTimeout: number },
  signal?: AbortSignal | null,
): Promise<[tls.TLSSocket, Record<string, unknown>]> {
  if (signal?.aborted) {
    socket.destroy();
    throw signal.reason;
  }
  const { options } = settings;
  // As tls.createServer: client certificates, when requested, must verify unless told not to.
  const rejectUnauthorized = options.rejectUnauthorized !== false;
  const tlsSocket = new tls.TLSSocket(socket, {
    ...(options as tls.TLSSocketOptions),
    rejectUnauthorized,
    isServer: true,
  });
  try {
    await waitForHandshake(loop, tlsSocket, {
      timeout: settings.sslHandshakeTimeout,
      signal,
      serverSide: true,
      verifyClient: options.requestCert === true && rejectUnauthorized,
    });
  } catch (error) {
    socket.destroy();
    throw error;
  }
  return [tlsSocket, tlsExtraInfo(tlsSocket, settings.context)];
}
