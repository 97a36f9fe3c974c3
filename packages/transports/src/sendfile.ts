import { RuntimeError, SendfileNotAvailableError } from '@tsio/core';
import type { AbstractEventLoop, WriteTransport as WriteTransportContract } from '@tsio/core';
import { DatagramTransport } from './datagram-transport.js';
import { sendfileFallback } from './internal/sendfile-fallback.js';
import { nativeSendfileTarget, sendfileNative } from './internal/sendfile-native.js';
import { checkSendfileRange, sendfileSource } from './internal/sendfile-source.js';
import { SubprocessTransport } from './subprocess-transport.js';

/**
 * Options of `sendfile`.
 *
 * Python parity: `loop.sendfile` keyword arguments
 */
export interface SendfileOptions {
  /**
   * When the transport has no fast path (TLS, pipes, other transports), read the file and
   * write it through `transport.write` instead of failing. Default `true`.
   */
  readonly fallback?: boolean;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

function isWriteTransport(value: unknown): value is WriteTransportContract {
  const t = value as Partial<Record<string, unknown>> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    ['write', 'isClosing', 'getProtocol', 'setProtocol', 'getExtraInfo'].every(
      (name) => typeof t[name] === 'function',
    )
  );
}

/**
 * Loop machinery of `EventLoop.sendfile`: sends `count` bytes (to the end of the file when
 * null) of `file` from `offset` over `transport`; resolves to the number of bytes sent.
 *
 * `file` is a file descriptor or an fs.promises `FileHandle` (Python takes a binary file
 * object). tsio reads it with positional reads: no file position moves, where Python seeks
 * the file to `offset + sent`.
 *
 * Over a TCP or Unix socket transport the bytes go straight into the socket once its write
 * buffer is flushed, and `write()` throws until they are sent; other write transports (TLS,
 * pipes) get the fallback: chunks written through `transport.write` with flow control.
 *
 * @throws TypeError for a `transport` that is not a write transport or a bad `file`;
 *   ValueError for a bad `offset` or `count`; RuntimeError when the transport is closing or
 *   cannot send files (datagram, subprocess); SendfileNotAvailableError with
 *   `fallback: false` and no fast path; ConnectionError when the connection is lost midway
 *
 * Python parity: `loop.sendfile`
 */
export async function _sendfile(
  loop: AbstractEventLoop,
  transport: WriteTransportContract,
  file: unknown,
  offset: number = 0,
  count: number | null = null,
  options: SendfileOptions = {},
): Promise<number> {
  if (transport instanceof DatagramTransport || transport instanceof SubprocessTransport) {
    throw new RuntimeError(`sendfile is not supported for transport ${String(transport)}`);
  }
  if (!isWriteTransport(transport)) {
    throw new TypeError(
      `sendfile() transport must be a WriteTransport (such as a connection's transport), got ${describe(transport)}`,
    );
  }
  const source = sendfileSource(file);
  const [start, limit] = checkSendfileRange(offset, count);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`sendfile() options must be an object such as { fallback: false }`);
  }
  const fallback = options.fallback ?? true;
  if (transport.isClosing()) throw new RuntimeError('Transport is closing');
  const target = nativeSendfileTarget(transport);
  if (target !== null) return sendfileNative(loop, target, source, start, limit);
  if (!fallback) {
    throw new SendfileNotAvailableError(
      `fallback is disabled and native sendfile is not supported for transport ${String(transport)}`,
    );
  }
  return sendfileFallback(loop, transport, source, start, limit);
}
