import type tls from 'node:tls';
import { ConnectionResetError } from '@tsio/core';
import type { AbstractEventLoop, TimerHandle } from '@tsio/core';
import { handshakeTimeoutError, toTlsError } from './tls-errors.js';

/** How to wait for the handshake of a TLS socket. */
export interface HandshakeWait {
  /** Seconds the handshake may take, counted from the TCP connection (asyncio's timer). */
  readonly timeout: number;
  /** Aborts the wait: the socket is destroyed and the wait rejects with `signal.reason`. */
  readonly signal?: AbortSignal | null | undefined;
  /** The socket is the server side: it reports 'secure', a client 'secureConnect'. */
  readonly serverSide?: boolean;
  /** A server socket that asked for client certificates and must refuse unverified ones. */
  readonly verifyClient?: boolean;
}

// Keeps an 'error' event between the handshake and the transport's own listeners from
// crashing the process: the transport sees the socket closed.
const swallow = (): void => {};

/**
 * Why the client certificate a server-side socket received fails verification, or `null`.
 * A `tls.Server` checks it itself; a TLSSocket made with `isServer` (startTls, accepted
 * sockets) leaves it to its owner, which asks the handle as `tls.Server` does (OpenSSL has
 * already refused a missing certificate when `rejectUnauthorized` is set).
 */
function clientVerifyError(socket: tls.TLSSocket): Error | null {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => Error | null } })._handle;
  if (typeof handle?.verifyError !== 'function') {
    return socket.authorized ? null : new Error('the client certificate could not be verified');
  }
  return handle.verifyError() ?? null;
}

/**
 * Waits until `socket` (client or server side) finished its TLS handshake. Rejects with
 * `SSLCertVerificationError` / `SSLError` / an `OSError` (see `toTlsError`), with
 * `ConnectionAbortedError` after `timeout` seconds, or with the reason of a cancellation (of
 * the awaiting task, or of `signal`); on rejection the socket is destroyed.
 *
 * The wait is a loop Future, so that cancelling the task that awaits this cancels it, as
 * asyncio's `await waiter` in `start_tls`.
 */
export async function waitForHandshake(
  loop: AbstractEventLoop,
  socket: tls.TLSSocket,
  options: HandshakeWait,
): Promise<void> {
  const { timeout, signal, serverSide = false, verifyClient = false } = options;
  // A client's 'secure' comes before Node checked the certificate; 'secureConnect' after.
  const secureEvent = serverSide ? 'secure' : 'secureConnect';
  const waiter = loop.createFuture<void>();
  const fail = (error: unknown): void => {
    if (!waiter.done()) waiter.setException(error);
  };
  let timer = null as TimerHandle | null;
  const startTimer = (): void => {
    timer ??= loop.callLater(timeout, () => fail(handshakeTimeoutError(timeout)));
  };
  const onSecure = (): void => {
    if (verifyClient) {
      const error = clientVerifyError(socket);
      if (error !== null) {
        fail(toTlsError(error));
        return;
      }
      socket.authorized = true;
    }
    if (!waiter.done()) waiter.setResult(undefined);
  };
  const onError = (error: unknown): void => fail(toTlsError(error));
  const onClose = (): void => {
    fail(new ConnectionResetError('Connection lost during the TLS handshake'));
  };
  const onAbort = (): void => fail(signal?.reason);

  if (signal?.aborted) throw signal.reason;
  // A client socket still connecting starts the timer once connected; others at once.
  if (socket.connecting) socket.once('connect', startTimer);
  else startTimer();
  socket.on(secureEvent, onSecure);
  socket.on('error', onError);
  socket.on('close', onClose);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await waiter;
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    timer?.cancel();
    signal?.removeEventListener('abort', onAbort);
    socket.off('connect', startTimer);
    socket.off(secureEvent, onSecure);
    socket.off('close', onClose);
    socket.off('error', onError);
    socket.on('error', swallow);
  }
}
