// Test helpers for the socket transport suites: a plain Node server as the peer, and a
// protocol that records what it is told.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect } from '@jest/globals';
import { getRunningLoop } from '@tsio/core';
import type { AbstractFuture, Transport } from '@tsio/core';
import { rejection } from './rejection.js';

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

/**
 * Registers jest hooks: before each test a new NodePeer listens on `where` and is handed to
 * `use`; after the test it is closed.
 */
export function nodePeerPerTest(
  use: (peer: NodePeer) => void,
  where: { host: string } | { path: string } = { host: '127.0.0.1' },
): void {
  let current: NodePeer | null = null;
  beforeEach(async () => {
    current = await new NodePeer().listen(where);
    use(current);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
}

/** Makes the peer's next connection echo; checks that `text` written to `tr` comes back. */
export async function expectEcho(
  peer: NodePeer,
  tr: Transport,
  pr: RecordingProtocol,
  text: string,
): Promise<void> {
  const server = await peer.accepted();
  server.pipe(server);
  tr.write(Buffer.from(text));
  await pr.waitForBytes(Buffer.byteLength(text));
  expect(pr.received.toString()).toBe(text);
}

/**
 * Checks that `connect`, given a factory of RecordingProtocols, rejects with `cls` and a
 * message matching `message`, without ever calling the factory (bad input fails before I/O).
 */
export async function expectRejectedBeforeIo(
  connect: (factory: () => RecordingProtocol) => Promise<unknown>,
  cls: abstract new (...args: never[]) => Error,
  message: RegExp,
): Promise<void> {
  let made = 0;
  const error = await rejection(connect(() => (made++, new RecordingProtocol())));
  expect(error).toBeInstanceOf(cls);
  expect(error.message).toMatch(message);
  expect(made).toBe(0);
}

/**
 * Reads everything `socket` sends until its EOF (or close). A socket whose EOF came before
 * this call may have emitted 'end' already (Node does when nothing is buffered): that is an
 * empty read, not a wait forever.
 */
export function readAll(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    if (socket.readableEnded || socket.closed) {
      resolve(Buffer.alloc(0));
      return;
    }
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

/**
 * A protocol recording its events, with futures for "made", "lost" and "eof";
 * `eofReceived()` returns `eofResult` (true: keep the write side open).
 */
export class RecordingProtocol {
  readonly events: string[] = [];
  readonly chunks: Buffer[] = [];
  transport: Transport | null = null;
  lostWith: Error | null | undefined = undefined;
  readonly made: AbstractFuture<void>;
  readonly lost: AbstractFuture<Error | null>;
  readonly eof: AbstractFuture<void>;
  #dataWaiters: [number, () => void][] = [];

  constructor(public eofResult = false) {
    const loop = getRunningLoop();
    this.made = loop.createFuture();
    this.lost = loop.createFuture();
    this.eof = loop.createFuture();
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Resolves with all received so far once at least `n` bytes were received in total. */
  async waitForBytes(n: number): Promise<Buffer> {
    if (this.received.length < n) {
      const fut = getRunningLoop().createFuture<void>();
      this.#dataWaiters.push([n, () => fut.done() || fut.setResult()]);
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
    this.#dataWaiters = this.#dataWaiters.filter(([n, wake]) =>
      total >= n ? (wake(), false) : true,
    );
  }

  eofReceived(): boolean {
    this.events.push('eof');
    if (!this.eof.done()) this.eof.setResult();
    return this.eofResult;
  }

  connectionLost(exc: Error | null): void {
    this.events.push('lost');
    this.lostWith = exc;
    if (!this.lost.done()) this.lost.setResult(exc);
  }
}
