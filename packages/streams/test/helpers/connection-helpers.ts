// Test helpers for the connection suites: bytes <-> text, addresses, Unix socket paths, the
// TLS fixtures of @tsio/transports, Node peers, and a recorder for the exception handler.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AbstractEventLoop, AbstractServer, ExceptionContext } from '@tsio/core';

/** UTF-8 bytes of `text`. */
export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
/** `bytes` as UTF-8 text. */
export const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** The port a tsio server listens on (its first socket). */
export function portOf(server: AbstractServer): number {
  return ((server.sockets[0] as net.Server).address() as net.AddressInfo).port;
}

/** Closes `server` and waits for it. */
export async function closeServer(server: AbstractServer): Promise<void> {
  server.close();
  await server.waitClosed();
}

let dirs: string[] = [];
/** A fresh Unix socket path in os.tmpdir(); `removeSocketDirs()` deletes it. */
export function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsio-streams-'));
  dirs.push(dir);
  return join(dir, 's.sock');
}
/** Deletes the folders `socketPath()` made. */
export function removeSocketDirs(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
}

const TLS_DIR = join(__dirname, '..', '..', '..', 'transports', 'test', 'fixtures', 'tls');
const fixture = (name: string): Buffer => readFileSync(join(TLS_DIR, name));
/** The test CA of @tsio/transports' fixtures (see their README). */
export const CA = fixture('ca.crt');
/** Key and certificate for localhost, 127.0.0.1 and ::1, signed by the test CA. */
export const LOCALHOST = { key: fixture('localhost.key'), cert: fixture('localhost.crt') };

/** Records what reaches the loop's exception handler. */
export function recordExceptions(loop: AbstractEventLoop): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => seen.push(context));
  return seen;
}

/** A Node TCP server on `host` calling `onConnection` for each socket; close() destroys all. */
export class NodePeer {
  readonly server: net.Server;
  readonly sockets: net.Socket[] = [];
  #waiting: ((socket: net.Socket) => void)[] = [];

  constructor(onConnection: (socket: net.Socket) => void = () => {}) {
    this.server = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.on('error', () => {});
      this.sockets.push(socket);
      this.#waiting.shift()?.(socket);
      onConnection(socket);
    });
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

  /** The first accepted socket not yet returned. */
  accepted(): Promise<net.Socket> {
    const socket = this.sockets.find((s) => !this.#given.has(s));
    if (socket !== undefined) {
      this.#given.add(socket);
      return Promise.resolve(socket);
    }
    return new Promise((resolve) =>
      this.#waiting.push((s) => {
        this.#given.add(s);
        resolve(s);
      }),
    );
  }
  #given = new Set<net.Socket>();

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Everything `socket` receives until its end, as text. A socket whose EOF came before this
 * call may have emitted 'end' already (Node does when nothing is buffered): that reads ''.
 */
export function readAll(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    if (socket.readableEnded || socket.closed) {
      resolve('');
      return;
    }
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}
