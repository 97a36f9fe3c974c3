import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type {
  AbstractEventLoop,
  AbstractFuture,
  AbstractServer,
  Protocol,
  Transport,
} from '@tsio/core';

/**
 * Helpers of the server tests: a protocol that records what happens to it, and plain
 * `net` clients.
 */

/** A protocol recording its events, with futures for the moments tests wait for. */
export class Recorder implements Protocol {
  readonly events: string[] = [];
  transport: Transport | null = null;
  readonly made: AbstractFuture<Transport>;
  readonly lost: AbstractFuture<Error | null>;
  #data: AbstractFuture<string>;
  received = '';

  constructor(
    private readonly loop: AbstractEventLoop,
    private readonly echo = false,
  ) {
    this.made = loop.createFuture();
    this.lost = loop.createFuture();
    this.#data = loop.createFuture();
  }

  connectionMade(transport: Transport): void {
    this.events.push('made');
    this.transport = transport;
    this.made.setResult(transport);
  }

  dataReceived(data: Uint8Array): void {
    const text = Buffer.from(data).toString();
    this.received += text;
    this.events.push(`data:${text}`);
    if (this.echo) this.transport?.write(data);
    if (!this.#data.done()) this.#data.setResult(this.received);
  }

  eofReceived(): boolean | undefined {
    this.events.push('eof');
    return undefined;
  }

  connectionLost(exc: Error | null): void {
    this.events.push(`lost:${exc === null ? 'null' : exc.name}`);
    this.lost.setResult(exc);
  }

  /** Resolves with all data received so far once some has arrived; then re-arms. */
  async nextData(): Promise<string> {
    const text = await this.#data;
    this.#data = this.loop.createFuture();
    return text;
  }
}

/** A factory of recorders that remembers each protocol it made. */
export interface Recorders {
  readonly factory: () => Recorder;
  readonly made: Recorder[];
  /** Resolves with the `index`-th protocol once its `connectionMade` has run. */
  connected(index: number): Promise<Recorder>;
}

/** Makes a factory of recorders (echoing what they receive if `echo`). */
export function recorders(loop: AbstractEventLoop, echo = false): Recorders {
  const made: Recorder[] = [];
  const waiting = new Map<number, AbstractFuture<Recorder>>();
  const slot = (index: number): AbstractFuture<Recorder> => {
    let future = waiting.get(index);
    if (future === undefined) {
      future = loop.createFuture();
      waiting.set(index, future);
    }
    return future;
  };
  return {
    made,
    factory: () => {
      const protocol = new Recorder(loop, echo);
      const future = slot(made.length);
      made.push(protocol);
      protocol.made.addDoneCallback(() => future.setResult(protocol));
      return protocol;
    },
    connected: async (index) => await slot(index),
  };
}

/** Closes `server` and waits until it is closed. */
export async function closeServer(server: AbstractServer): Promise<void> {
  server.close();
  await server.waitClosed();
}

/**
 * Connects a tsio client with `connect` (given a factory of recorders) to `server`, which
 * echoes; checks that "ping" comes back, then closes the client and the server.
 */
export async function expectPingEchoed(
  loop: AbstractEventLoop,
  server: AbstractServer,
  connect: (factory: () => Recorder) => Promise<[Transport, Recorder]>,
): Promise<void> {
  const client = recorders(loop);
  const [transport, protocol] = await connect(client.factory);
  transport.write(Buffer.from('ping'));
  expect(await protocol.nextData()).toBe('ping');
  transport.close();
  await protocol.lost;
  await closeServer(server);
}

/** Connects a plain client; resolves once connected, rejects with Node's error. */
export function connectClient(options: net.NetConnectOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(options);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves with what `socket` receives until the peer closes (or an error): [text, error code]. */
export function readToEnd(socket: net.Socket): Promise<[string, string | null]> {
  return new Promise((resolve) => {
    let text = '';
    let code: string | null = null;
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', (error: NodeJS.ErrnoException) => (code = error.code ?? error.name));
    socket.once('close', () => resolve([text, code]));
  });
}

/** Resolves with the first data `socket` receives. */
export function firstData(socket: net.Socket): Promise<string> {
  return new Promise((resolve) =>
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString())),
  );
}

/** The port a listening server (one of `server.sockets`) is bound to. */
export function portOf(listener: unknown): number {
  const address = (listener as net.Server).address();
  if (address === null || typeof address === 'string')
    throw new Error(`not a TCP server: ${String(address)}`);
  return address.port;
}

/** `host:port` of a listening server. */
export function addressOf(listener: unknown): string {
  const address = (listener as net.Server).address();
  if (address === null || typeof address === 'string') return String(address);
  return `${address.address}:${address.port}`;
}

let counter = 0;

/** A Unix socket path in the temp directory, unique to this process and call. */
export function tempSocketPath(tag: string): string {
  counter += 1;
  return join(tmpdir(), `tsio-${tag}-${process.pid}-${counter}.sock`);
}

/** Sends `text` to the server at `where` (host and port, or path) and resolves with the echo. */
export async function echoOnce(where: net.NetConnectOpts, text: string): Promise<string> {
  const client = await connectClient(where);
  const echoed = firstData(client);
  client.write(text);
  const result = await echoed;
  const ended = readToEnd(client);
  client.end();
  await ended;
  return result;
}

/** Whether connecting to `options` fails with `code` (e.g. 'ECONNREFUSED'). */
export async function connectFails(options: net.NetConnectOpts): Promise<string | null> {
  try {
    const socket = await connectClient(options);
    socket.destroy();
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unknown';
  }
}
