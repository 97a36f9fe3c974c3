import { getRunningLoop } from '@tsio/core';
import type { AbstractServer } from '@tsio/core';
import type { CreateServerOptions, CreateUnixServerOptions } from '@tsio/transports';
import { splitLimit } from './internal/stream-limit.js';
import { StreamReader } from './stream-reader.js';
import { StreamReaderProtocol } from './stream-reader-protocol.js';
import type { ClientConnectedCallback } from './stream-reader-protocol.js';

/**
 * Options of `startServer(clientConnected, host, port, options)`: `limit`, and everything
 * `loop.createServer` takes (`ssl`, `backlog`, `reusePort`, `sock`, `startServing`...).
 *
 * Python parity: the keyword arguments of `asyncio.start_server`
 */
export type StartServerOptions = CreateServerOptions & {
  /** Each connection's reader limit in bytes (default 64 KiB). */
  readonly limit?: number;
};

/**
 * Options of `startUnixServer(clientConnected, path, options)`: `limit`, and everything
 * `loop.createUnixServer` takes.
 *
 * Python parity: the keyword arguments of `asyncio.start_unix_server`
 */
export type StartUnixServerOptions = CreateUnixServerOptions & {
  /** Each connection's reader limit in bytes (default 64 KiB). */
  readonly limit?: number;
};

/**
 * Starts a TCP (or, with `ssl`, TLS) server on the running loop: each accepted connection
 * gets a reader and a writer, passed to `clientConnected`. An async callback runs as a Task;
 * if it throws, the loop's exception handler is told ('Unhandled exception in
 * client_connected_cb') and that connection only is closed; the server keeps serving.
 *
 * @throws ValueError if `limit <= 0`, TypeError for an unknown or mistyped option (before
 *   any I/O); OSError (EADDRINUSE...) as `loop.createServer` does.
 *
 * @example
 * ```ts
 * await using server = await startServer(async (reader, writer) => {
 *   for await (const line of reader) {
 *     writer.write(line);
 *     await writer.drain();
 *   }
 *   writer.close();
 * }, '127.0.0.1', 8888);
 * await server.serveForever();
 * ```
 *
 * Python parity: `asyncio.start_server`
 */
export async function startServer(
  clientConnected: ClientConnectedCallback,
  host?: string | readonly string[] | null,
  port?: number | string | null,
  options?: StartServerOptions,
): Promise<AbstractServer> {
  const loop = getRunningLoop();
  checkCallback(clientConnected, 'startServer()');
  const [limit, rest] = splitLimit(options, 'startServer()');
  const factory = (): StreamReaderProtocol =>
    new StreamReaderProtocol(new StreamReader({ limit, loop }), clientConnected, loop);
  return loop.createServer(factory, host, port, rest);
}

/**
 * Starts a Unix socket server at `path`, as `startServer` does for TCP.
 *
 * @throws ValueError if `limit <= 0`; OSError (EADDRINUSE...) as `loop.createUnixServer` does.
 *
 * @example
 * ```ts
 * await using server = await startUnixServer(async (reader, writer) => {
 *   writer.write(await reader.readline()); // echoes one line
 *   writer.close();
 * }, '/tmp/app.sock');
 * ```
 *
 * Python parity: `asyncio.start_unix_server`
 */
export async function startUnixServer(
  clientConnected: ClientConnectedCallback,
  path?: string | null,
  options?: StartUnixServerOptions,
): Promise<AbstractServer> {
  const loop = getRunningLoop();
  checkCallback(clientConnected, 'startUnixServer()');
  const [limit, rest] = splitLimit(options, 'startUnixServer()');
  const factory = (): StreamReaderProtocol =>
    new StreamReaderProtocol(new StreamReader({ limit, loop }), clientConnected, loop);
  return loop.createUnixServer(factory, path, rest);
}

function checkCallback(callback: unknown, caller: string): void {
  if (typeof callback !== 'function') {
    throw new TypeError(
      `${caller} expects clientConnected, a function (reader, writer) => ..., got ${String(callback)}`,
    );
  }
}
