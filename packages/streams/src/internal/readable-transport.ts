import type { Readable } from 'node:stream';
import { _contextFrame, _runInFrame, copyContext, toOSError } from '@tsio/core';
import type { BaseProtocol, ExecutionFrame, Protocol } from '@tsio/core';
import { ReadTransport } from '@tsio/transports';

/**
 * The error a Node stream reported, as the reader raises it: a system error (one with a
 * string `code`, such as ECONNRESET or ENOENT) becomes its OSError subclass; any other error
 * (one a stream's own code threw or passed to `destroy()`) passes through unchanged.
 */
export function streamError(error: unknown): Error {
  if (error instanceof Error && typeof (error as { code?: unknown }).code !== 'string') {
    return error;
  }
  return toOSError(error);
}

/**
 * A read transport over a Node Readable, synchronous to set up (unlike `loop.connectReadPipe`,
 * which resolves once `connectionMade` has run), for `readerFromNodeReadable()`. Chunks go to
 * the protocol's `dataReceived` as Node emits them; `pauseReading()`/`resumeReading()` pause
 * and resume the stream, so that the stream's own buffer fills and its source stops (Node's
 * backpressure); 'end' gives `eofReceived()` then `connectionLost(null)`; an 'error' gives
 * `connectionLost(error)`; a stream destroyed without either ends like 'end'.
 *
 * The protocol's callbacks run in a frame with no current task and a copy of the creator's
 * context, as the socket transports run theirs: Node calls listeners in the async context of
 * whoever made the stream, which may be a task.
 */
export class ReadableTransport extends ReadTransport {
  #stream: Readable | null;
  #protocol: BaseProtocol;
  #paused = false;
  #closing = false;
  readonly #frame: ExecutionFrame;

  constructor(stream: Readable, protocol: BaseProtocol) {
    super({ pipe: stream });
    this.#stream = stream;
    this.#protocol = protocol;
    this.#frame = _contextFrame(copyContext());
    protocol.connectionMade?.(this);
    stream.on('error', this.#onError);
    stream.on('end', this.#onEnd);
    stream.on('close', this.#onClose);
    if (stream.readableEnded) {
      this.#onEnd();
      return;
    }
    stream.on('data', this.#onData);
    // connectionMade() may already have paused us; 'data' resumed the stream.
    if (this.#paused) stream.pause();
  }

  override toString(): string {
    const state = this.#stream === null ? 'closed' : this.#closing ? 'closing' : 'open';
    return `<ReadableTransport ${state}${this.#paused ? ' paused' : ''}>`;
  }

  override isReading(): boolean {
    return !this.#paused && !this.#closing;
  }

  override pauseReading(): void {
    if (!this.isReading()) return;
    this.#paused = true;
    this.#stream?.pause();
  }

  override resumeReading(): void {
    if (this.#closing || !this.#paused) return;
    this.#paused = false;
    this.#stream?.resume();
  }

  override isClosing(): boolean {
    return this.#closing;
  }

  /** Stops reading and destroys the stream; the protocol then sees the end of the data. */
  override close(): void {
    if (this.#closing) return;
    const stream = this.#stream;
    this.#end(null);
    stream?.destroy();
  }

  override setProtocol(protocol: BaseProtocol): void {
    this.#protocol = protocol;
  }

  override getProtocol(): BaseProtocol {
    return this.#protocol;
  }

  readonly #onData = (chunk: Buffer | string): void => {
    if (this.#closing) return;
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    _runInFrame(this.#frame, deliver, this.#protocol as Protocol, data);
  };

  readonly #onEnd = (): void => {
    if (this.#closing) return;
    _runInFrame(this.#frame, () => {
      // A read-only stream has no write side to keep open: the result is ignored.
      (this.#protocol as Protocol).eofReceived?.();
      this.#end(null);
    });
  };

  readonly #onError = (error: unknown): void => {
    if (this.#closing) return;
    _runInFrame(this.#frame, () => this.#end(streamError(error)));
  };

  // Destroyed by its owner without 'end' or 'error': no more data will come.
  readonly #onClose = (): void => {
    if (this.#closing) return;
    _runInFrame(this.#frame, () => this.#end(null));
  };

  #end(exc: Error | null): void {
    this.#closing = true;
    const stream = this.#stream;
    if (stream !== null) {
      this.#stream = null;
      stream.off('data', this.#onData);
      stream.off('end', this.#onEnd);
      stream.off('close', this.#onClose);
      stream.off('error', this.#onError);
      // Keep an 'error' listener: an error the stream emits later must not crash the process.
      if (stream.listenerCount('error') === 0) stream.on('error', ignore);
    }
    this.#protocol.connectionLost?.(exc);
  }
}

function deliver(protocol: Protocol, data: Uint8Array): void {
  protocol.dataReceived?.(data);
}

function ignore(): void {}
