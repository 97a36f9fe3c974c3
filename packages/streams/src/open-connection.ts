import { getRunningLoop } from '@tsio/core';
import type { CreateConnectionOptions, CreateUnixConnectionOptions } from '@tsio/transports';
import { splitLimit } from './internal/stream-limit.js';
import { StreamReader } from './stream-reader.js';
import { StreamReaderProtocol } from './stream-reader-protocol.js';
import { StreamWriter } from './stream-writer.js';

/**
 * Options of `openConnection(host, port, options)`: `limit`, and everything
 * `loop.createConnection` takes (`ssl`, `serverHostname`, `family`, `localAddr`, `sock`,
 * `happyEyeballsDelay`...).
 *
 * Python parity: the keyword arguments of `asyncio.open_connection`
 */
export interface OpenConnectionOptions extends CreateConnectionOptions {
  /**
   * The reader's limit in bytes (default 64 KiB): the longest line `readline()` accepts, and
   * half the buffer size at which reading pauses.
   */
  readonly limit?: number;
}

/**
 * Options of `openUnixConnection(path, options)`: `limit`, and everything
 * `loop.createUnixConnection` takes (`ssl`, `serverHostname`, `sock`...).
 *
 * Python parity: the keyword arguments of `asyncio.open_unix_connection`
 */
export interface OpenUnixConnectionOptions extends CreateUnixConnectionOptions {
  /** The reader's limit in bytes (default 64 KiB); see `OpenConnectionOptions.limit`. */
  readonly limit?: number;
}

/**
 * Opens a TCP (or, with `ssl`, TLS) connection to `host`:`port` on the running loop and
 * resolves to a `[reader, writer]` pair.
 *
 * @throws ValueError if `limit <= 0`, TypeError for an unknown or mistyped option (both
 *   before any I/O); ConnectionRefusedError, GaiError, SSLCertVerificationError... as
 *   `loop.createConnection` does.
 *
 * @example
 * ```ts
 * const [reader, writer] = await openConnection('127.0.0.1', 8888);
 * writer.write(new TextEncoder().encode('ping\n'));
 * const reply = await reader.readline();
 * writer.close();
 * await writer.waitClosed();
 * ```
 *
 * Python parity: `asyncio.open_connection`
 */
export async function openConnection(
  host?: string | null,
  port?: number | string | null,
  options?: OpenConnectionOptions,
): Promise<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const [limit, rest] = splitLimit(options, 'openConnection()');
  const reader = new StreamReader({ limit, loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = await loop.createConnection(() => protocol, host, port, rest);
  return [reader, new StreamWriter(transport, protocol, reader, loop)];
}

/**
 * Opens a Unix socket connection to `path` and resolves to a `[reader, writer]` pair, as
 * `openConnection` does for TCP.
 *
 * @throws ValueError if `limit <= 0`; FileNotFoundError, ConnectionRefusedError... as
 *   `loop.createUnixConnection` does.
 *
 * @example
 * ```ts
 * const [reader, writer] = await openUnixConnection('/tmp/app.sock');
 * ```
 *
 * Python parity: `asyncio.open_unix_connection`
 */
export async function openUnixConnection(
  path?: string | null,
  options?: OpenUnixConnectionOptions,
): Promise<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const [limit, rest] = splitLimit(options, 'openUnixConnection()');
  const reader = new StreamReader({ limit, loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = await loop.createUnixConnection(() => protocol, path, rest);
  return [reader, new StreamWriter(transport, protocol, reader, loop)];
}
