// Test helpers for the socket transport suites: a plain Node server as the peer, and a
// protocol that records what it is told.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getRunningLoop } from '@tsio/core';
import type { AbstractFuture, Transport } from '@tsio/core';

/** A Node server accepting connections; `accepted()` yields them in order. */
export class NodePeer {
  readonly server: net.Server;
  readonly sockets: net.Socket[] = [];
  #waiting: ((s: net.Socket) => void)[] = [];
  #next = 0;

  constructor(options: net.ServerOpts = {}) {
    this.server = net.createServer({ allowHalfOpen: true, ...options }, (socket) => {
      socket.on('error', () => {});
      this.sockets.push(socket);
      this.#waiting.shift()?.(socket);
    });
  }

  /** Listens on `host` port 0 (TCP) or on `path` (Unix). */
  async listen(where: { host: string } | { path: string }): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      if ('path' in where) this.server.listen(where.path, resolve);
      else this.server.listen(0, where.host, resolve);
    });
    return this;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The next accepted socket. */
  accepted(): Promise<net.Socket> {
    const index = this.#next++;
    const socket = this.sockets[index];
    if (socket !== undefined) return Promise.resolve(socket);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Reads everything `socket` sends until its EOF (or close). */
export function readAll(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const done = (): void => resolve(Buffer.concat(chunks));
    socket.once('end', done);
    socket.once('close', done);
  });
}

let counter = 0;
/** A unique Unix socket path in the temporary directory. */
export function tempSocketPath(): string {
  counter += 1;
  return path.join(os.tmpdir(), `tsio-st-${process.pid}-${Date.now()}-${counter}.sock`);
}

/** A protocol recording its events, with futures for "made", "lost" and "eof". */
export class RecordingProtocol {
  readonly events: string[] = [];
  readonly chunks: Buffer[] = [];
  transport: Transport | null = null;
  lostWith: Error | null | undefined = undefined;
  eofResult: boolean = false;
  readonly made: AbstractFuture<void>;
  readonly lost: AbstractFuture<Error | null>;
  readonly eof: AbstractFuture<void>;
  #dataWaiters: [number, () => void][] = [];

  constructor() {
    const loop = getRunningLoop();
    this.made = loop.createFuture();
    this.lost = loop.createFuture();
    this.eof = loop.createFuture();
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Resolves once at least `n` bytes were received in total. */
  async waitForBytes(n: number): Promise<void> {
    if (this.received.length >= n) return;
    const fut = getRunningLoop().createFuture<void>();
    this.#dataWaiters.push([n, () => fut.done() || fut.setResult()]);
    await fut;
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
    this.#dataWaiters = this.#dataWaiters.filter(([n, wake]) =>
      total >= n ? (wake(), false) : true,
    );
  }

  eofReceived(): boolean {
    this.events.push('eof');
    this.eof.setResult();
    return this.eofResult;
  }

  connectionLost(exc: Error | null): void {
    this.events.push('lost');
    this.lostWith = exc;
    if (!this.lost.done()) this.lost.setResult(exc);
  }
}
