// Test helpers for the TLS suites: the certificates of fixtures/tls (see its README), a Node
// TLS or TCP server as the peer, and a protocol that records what it is told.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { getRunningLoop } from '@tsio/core';
import type { AbstractFuture, ExceptionContext, Transport } from '@tsio/core';

const DIR = join(__dirname, 'fixtures', 'tls');

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

/** A protocol recording its events, with futures for "made" and "lost". */
export class Recorder {
  readonly events: string[] = [];
  readonly chunks: Buffer[] = [];
  transport: Transport | null = null;
  readonly made: AbstractFuture<void>;
  readonly lost: AbstractFuture<Error | null>;
  #waiters: [number, AbstractFuture<void>][] = [];

  constructor() {
    const loop = getRunningLoop();
    this.made = loop.createFuture();
    this.lost = loop.createFuture();
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Resolves once at least `n` bytes were received in total. */
  async waitForBytes(n: number): Promise<Buffer> {
    if (this.received.length < n) {
      const fut = getRunningLoop().createFuture<void>();
      this.#waiters.push([n, fut]);
      await fut;
    }
    return this.received;
  }

  connectionMade(transport: Transport): void {
    this.events.push('made');
    this.transport = transport;
    this.made.setResult();
  }

  dataReceived(data: Uint8Array): void {
    this.events.push('data');
    this.chunks.push(Buffer.from(data));
    const total = this.received.length;
    for (const [n, fut] of this.#waiters) if (total >= n && !fut.done()) fut.setResult();
  }

  eofReceived(): boolean {
    this.events.push('eof');
    return false;
  }

  connectionLost(exc: Error | null): void {
    this.events.push('lost');
    if (!this.lost.done()) this.lost.setResult(exc);
  }
}

/** Collects what the running loop's exception handler receives. */
export function collectExceptions(): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, context) => seen.push(context));
  return seen;
}

/** The error `promise` rejects with (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
