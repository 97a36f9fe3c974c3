import { ConnectionError, RuntimeError } from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  BaseProtocol,
  Transport as TransportContract,
  WriteTransport,
} from '@tsio/core';
import { ReadTransport } from '../read-transport.js';
import { nextBlock } from './sendfile-source.js';
import type { SendfileSource } from './sendfile-source.js';

/** A transport that can say whether its protocol is paused (its WriteFlowControl's state). */
interface PausedState {
  _isProtocolPaused(): boolean;
}

function isProtocolPaused(transport: WriteTransport): boolean {
  const probe = (transport as Partial<PausedState>)._isProtocolPaused;
  if (typeof probe === 'function') return probe.call(transport);
  // Without the transport's own state, a buffer above the high mark means a paused protocol.
  try {
    return transport.getWriteBufferSize() > transport.getWriteBufferLimits()[1];
  } catch {
    return false;
  }
}

/**
 * Stands in for the transport's protocol while sendfile writes through `transport.write`, to
 * see the flow control calls (asyncio's `_SendfileFallbackProtocol`): reading is paused, and
 * `restore()` puts the protocol back, resuming what was paused.
 */
export class SendfileFallbackProtocol implements BaseProtocol {
  readonly #loop: AbstractEventLoop;
  readonly #transport: WriteTransport;
  readonly #protocol: BaseProtocol;
  readonly #resumeReading: boolean;
  readonly #resumeWriting: boolean;
  #writeReady: AbstractFuture<void> | null = null;

  constructor(loop: AbstractEventLoop, transport: WriteTransport) {
    this.#loop = loop;
    this.#transport = transport;
    this.#protocol = transport.getProtocol();
    const reader = transport instanceof ReadTransport ? (transport as TransportContract) : null;
    this.#resumeReading = reader?.isReading() ?? false;
    this.#resumeWriting = isProtocolPaused(transport);
    reader?.pauseReading();
    transport.setProtocol(this);
    if (this.#resumeWriting) this.#writeReady = loop.createFuture<void>();
  }

  /** Waits until the transport takes more data. @throws ConnectionError once it is closing */
  async drain(): Promise<void> {
    if (this.#transport.isClosing()) throw new ConnectionError('Connection closed by peer');
    const ready = this.#writeReady;
    if (ready !== null) await ready;
  }

  connectionMade(): void {
    throw new RuntimeError('Invalid state: connection should have been established already.');
  }

  connectionLost(exc: Error | null): void {
    // Losing the connection in the middle of a file is always an error for the sender.
    const ready = this.#writeReady;
    if (ready !== null && !ready.done()) {
      ready.setException(exc ?? new ConnectionError('Connection is closed by peer'));
    }
    this.#protocol.connectionLost?.(exc);
  }

  pauseWriting(): void {
    this.#writeReady ??= this.#loop.createFuture<void>();
  }

  resumeWriting(): void {
    const ready = this.#writeReady;
    if (ready === null) return;
    this.#writeReady = null;
    if (!ready.done()) ready.setResult(undefined);
  }

  dataReceived(): void {
    throw new RuntimeError('Invalid state: reading should be paused');
  }

  eofReceived(): boolean {
    throw new RuntimeError('Invalid state: reading should be paused');
  }

  /** Gives the transport its protocol back, resuming reading and writing as they were. */
  restore(): void {
    this.#transport.setProtocol(this.#protocol);
    if (this.#resumeReading) (this.#transport as TransportContract).resumeReading();
    const ready = this.#writeReady;
    this.#writeReady = null;
    // Nothing waits on it any more; cancelling keeps it from being reported as never retrieved.
    ready?.cancel();
    if (this.#resumeWriting) this.#protocol.resumeWriting?.();
  }
}

/**
 * Sends the file by reading it and writing each chunk through `transport.write`, waiting for
 * the protocol's flow control between chunks (asyncio's `_sendfile_fallback`).
 */
export async function sendfileFallback(
  loop: AbstractEventLoop,
  transport: WriteTransport,
  source: SendfileSource,
  offset: number,
  count: number | null,
): Promise<number> {
  const protocol = new SendfileFallbackProtocol(loop, transport);
  let sent = 0;
  try {
    for (;;) {
      const block = nextBlock(count, sent);
      if (block <= 0) return sent;
      const chunk = await source.read(loop, offset + sent, block);
      if (chunk.length === 0) return sent;
      await protocol.drain();
      transport.write(chunk);
      sent += chunk.length;
    }
  } finally {
    protocol.restore();
  }
}
