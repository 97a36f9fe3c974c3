import net from 'node:net';
import tls from 'node:tls';
import { ConnectionError, toOSError } from '@tsio/core';
import type { AbstractEventLoop, Transport as TransportContract, WriteTransport } from '@tsio/core';
import { ReadTransport } from '../read-transport.js';
import { nextBlock } from './sendfile-source.js';
import type { SendfileSource } from './sendfile-source.js';
import { throughFuture } from './through-future.js';

/**
 * What a socket transport provides for sendfile's fast path (asyncio's `_make_empty_waiter`
 * and `_reset_empty_waiter` of `_SelectorSocketTransport`).
 */
export interface SendfileSocketHooks {
  /**
   * From now until `_resetEmptyWaiter()`, `write()` and `writelines()` throw
   * `RuntimeError('unable to write; sendfile is in progress')`. Resolves once the write
   * buffer is empty; rejects if the connection is lost first.
   */
  _makeEmptyWaiter(): PromiseLike<void>;
  /** Allows writes again. */
  _resetEmptyWaiter(): void;
}

/** A transport with sendfile's fast path: a plain `net.Socket` under a transport with the hooks. */
export interface NativeSendfileTarget {
  readonly transport: WriteTransport & SendfileSocketHooks;
  readonly socket: net.Socket;
}

/**
 * The fast path of `transport`, or `null`. TLS sockets take the fallback, as asyncio's SSL
 * transports do: their bytes must go through the TLS layer.
 */
export function nativeSendfileTarget(transport: WriteTransport): NativeSendfileTarget | null {
  const socket = transport.getExtraInfo('socket');
  if (!(socket instanceof net.Socket) || socket instanceof tls.TLSSocket) return null;
  const hooks = transport as Partial<SendfileSocketHooks>;
  if (typeof hooks._makeEmptyWaiter !== 'function') return null;
  if (typeof hooks._resetEmptyWaiter !== 'function') return null;
  return { transport: transport as WriteTransport & SendfileSocketHooks, socket };
}

function writeChunk(loop: AbstractEventLoop, socket: net.Socket, chunk: Buffer): Promise<void> {
  return throughFuture(
    loop,
    () =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed || !socket.writable) {
          reject(new ConnectionError('Connection closed by peer'));
          return;
        }
        // The callback runs once the kernel took the bytes: that is the backpressure.
        socket.write(chunk, (error) => {
          if (error == null) resolve();
          else if ((error as { errno?: unknown }).errno !== undefined) reject(toOSError(error));
          else reject(new ConnectionError('Connection closed by peer', { cause: error }));
        });
      }),
  );
}

/**
 * Sends the file straight into the transport's socket, bypassing its write buffer (asyncio's
 * `_sendfile_native` with `sock_sendfile`): reading is paused and writes are refused until the
 * file is sent, after the transport's buffer was flushed.
 */
export async function sendfileNative(
  loop: AbstractEventLoop,
  { transport, socket }: NativeSendfileTarget,
  source: SendfileSource,
  offset: number,
  count: number | null,
): Promise<number> {
  const reader = transport instanceof ReadTransport ? (transport as TransportContract) : null;
  const resumeReading = reader?.isReading() ?? false;
  reader?.pauseReading();
  let sent = 0;
  try {
    await throughFuture(loop, () => transport._makeEmptyWaiter());
    for (;;) {
      const block = nextBlock(count, sent);
      if (block <= 0) return sent;
      const chunk = await source.read(loop, offset + sent, block);
      if (chunk.length === 0) return sent;
      await writeChunk(loop, socket, chunk);
      sent += chunk.length;
    }
  } finally {
    transport._resetEmptyWaiter();
    if (resumeReading) reader?.resumeReading();
  }
}
