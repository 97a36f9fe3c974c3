import type net from 'node:net';
import type tls from 'node:tls';
import { TimeoutError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { closeTlsGracefully } from './tls-client.js';

const EMPTY = Buffer.alloc(0);

/** How a closing socket ended: cleanly, or with an error to report or not. */
export type CloseOutcome =
  | { readonly error: null }
  | { readonly error: Error; readonly report: boolean; readonly message: string };

/**
 * Closes `socket` the way `close()` of a socket transport does, and calls `done` with the
 * outcome, unless the returned function (for `abort()`) is called first, which stops
 * waiting (a TLS socket is destroyed at once; a plain one is left to its caller).
 *
 * - A plain socket: once Node has written everything buffered (or, after `writeEof()`, once
 *   the write side finished), `done({ error: null })`.
 * - A TLS socket (asyncio's SSL shutdown): close_notify, then the peer's close, at most
 *   `sslShutdownTimeout` seconds; a timeout ends in `TimeoutError('SSL shutdown timed out')`
 *   which, as in asyncio 3.13, goes to `connectionLost` only (`report: false`); another
 *   error is fatal ('Fatal error on SSL transport').
 */
export function closeSocket(
  loop: AbstractEventLoop,
  socket: net.Socket,
  tlsSocket: tls.TLSSocket | null,
  settings: { readonly eofSent: boolean; readonly sslShutdownTimeout: number },
  done: (outcome: CloseOutcome) => void,
): () => void {
  if (tlsSocket !== null) {
    return closeTlsGracefully(loop, tlsSocket, settings.sslShutdownTimeout, (error) => {
      if (error === null) done({ error: null });
      else if (error instanceof TimeoutError) done({ error, report: false, message: '' });
      else done({ error, report: true, message: 'Fatal error on SSL transport' });
    });
  }
  let stopped = false;
  const onFlushed = (error?: Error | null): void => {
    // An error reaches the transport through the socket's 'error' event.
    if (stopped || error != null) return;
    // Write callbacks run in order: an empty write's runs once all earlier data is written.
    if (socket.writableLength > 0 && !settings.eofSent) socket.write(EMPTY, onFlushed);
    else finish();
  };
  const finish = (): void => {
    if (stopped) return;
    stopped = true;
    socket.off('finish', finish);
    done({ error: null });
  };
  if (socket.writableLength === 0) finish();
  else if (settings.eofSent) socket.once('finish', finish);
  else socket.write(EMPTY, onFlushed);
  return () => {
    stopped = true;
    socket.off('finish', finish);
  };
}
