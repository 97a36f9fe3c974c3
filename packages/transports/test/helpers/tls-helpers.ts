// Test helpers for the TLS suites: the certificates of fixtures/tls (see its README), a Node
// TLS or TCP server as the peer; the recording protocol and `rejection` of the other suites.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { getRunningLoop } from '@tsio/core';
import type { ExceptionContext } from '@tsio/core';

export { rejection } from './rejection.js';
export { RecordingProtocol as Recorder } from './socket-peer.js';

const DIR = join(__dirname, '..', 'fixtures', 'tls');

/** The contents of fixtures/tls/`name`. */
export const fixture = (name: string): Buffer => readFileSync(join(DIR, name));

/** The test CA, which no default trust store holds. */
export const CA = fixture('ca.crt');
/** Key and certificate for localhost, 127.0.0.1 and ::1, signed by the test CA. */
export const LOCALHOST = { key: fixture('localhost.key'), cert: fixture('localhost.crt') };
/** Key and certificate for wrong.example, signed by the test CA. */
export const WRONG_HOST = { key: fixture('wrong-host.key'), cert: fixture('wrong-host.crt') };
/** Like LOCALHOST, but expired in 2001. */
export const EXPIRED = { key: fixture('expired.key'), cert: fixture('expired.crt') };
/** Like LOCALHOST, but self-signed. */
export const SELF_SIGNED = { key: fixture('self-signed.key'), cert: fixture('self-signed.crt') };
/** A client certificate signed by the test CA. */
export const CLIENT = { key: fixture('client.key'), cert: fixture('client.crt') };

/**
 * A Node server on 127.0.0.1 (TLS with `tlsOptions`, or plain TCP with `null`); each
 * connection goes to `onConnection` (default for TLS: echo). `sockets()` yields them.
 */
export class Peer {
  readonly server: net.Server;
  readonly sockets: net.Socket[] = [];
  /** Every TCP connection, including those whose TLS handshake failed. */
  readonly raw: net.Socket[] = [];
  readonly clientErrors: Error[] = [];
  #waiting: ((s: net.Socket) => void)[] = [];
  #next = 0;

  constructor(
    tlsOptions: tls.TlsOptions | null,
    onConnection: (socket: net.Socket) => void = (s) => s.pipe(s),
  ) {
    const accept = (socket: net.Socket): void => {
      socket.on('error', () => {});
      this.sockets.push(socket);
      this.#waiting.shift()?.(socket);
      onConnection(socket);
    };
    if (tlsOptions === null) {
      this.server = net.createServer(accept);
    } else {
      const server = tls.createServer(tlsOptions, accept);
      server.on('tlsClientError', (error) => this.clientErrors.push(error));
      this.server = server;
    }
    // Track raw connections too, to destroy them all on close.
    this.server.on('connection', (s: net.Socket) => this.raw.push(s.on('error', () => {})));
  }

  async listen(host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, resolve);
    });
    return this;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The next accepted (for TLS: handshake done) connection. */
  accepted(): Promise<net.Socket> {
    const socket = this.sockets[this.#next++];
    if (socket !== undefined) return Promise.resolve(socket);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Destroys every connection and closes the server. */
  async close(): Promise<void> {
    for (const s of [...this.sockets, ...this.raw]) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolves when `socket` closes (reading it, dropping the data, to see the peer's EOF). */
export function closed(socket: net.Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  socket.resume();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Reads from `socket` until `n` bytes arrived. */
export function readBytes(socket: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= n) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${size} of ${n} bytes`)));
  });
}

/** Collects what the running loop's exception handler receives. */
export function collectExceptions(): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, context) => seen.push(context));
  return seen;
}
