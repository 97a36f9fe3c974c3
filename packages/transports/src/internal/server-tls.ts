import type net from 'node:net';
import type tls from 'node:tls';
import type { AbstractEventLoop, ExecutionFrame } from '@tsio/core';
import { inIoFrame } from './io-frame.js';
import type { CheckedTls } from './server-options.js';
import { tlsExtraInfo } from './tls-extra-info.js';
import { createTlsServer } from './tls-server.js';

/**
 * The TLS side of a server: a `tls.Server` that never listens itself. The server's listening
 * sockets hand it each accepted connection (Node's documented way to feed a TLS server), so
 * TCP and Unix servers, and servers made from a `sock`, all serve TLS the same way. A
 * connection whose handshake completes goes to `onSecure` with its TLS extra information;
 * one whose handshake fails or times out is dropped, and reported only in debug mode, as
 * asyncio does (see `createTlsServer`).
 *
 * @returns the function to call with each accepted plain socket
 */
export function makeTlsIntake(
  loop: AbstractEventLoop,
  settings: CheckedTls,
  frame: ExecutionFrame,
  onSecure: (socket: tls.TLSSocket, extra: Record<string, unknown>) => void,
): (socket: net.Socket) => void {
  const server = createTlsServer(settings.context, {
    sslHandshakeTimeout: settings.sslHandshakeTimeout,
    loop,
  });
  server.on('secureConnection', (socket: tls.TLSSocket) =>
    inIoFrame(frame, () => onSecure(socket, tlsExtraInfo(socket, settings.context))),
  );
  return (socket) => {
    server.emit('connection', socket);
  };
}
