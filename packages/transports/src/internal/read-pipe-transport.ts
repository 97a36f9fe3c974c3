import type { Readable } from 'node:stream';
import { OSError, RuntimeError, toOSError } from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  BaseProtocol,
  BufferedProtocol,
  ExecutionFrame,
  Protocol,
} from '@tsio/core';
import { ReadTransport } from '../read-transport.js';
import { captureIoFrame, inIoFrame } from './io-frame.js';
import { resolveWaiter, soon } from './loop-calls.js';
import { releasePipeStream, reportPipeError, scheduleConnectionLost } from './pipe-end.js';

/** Copies `data` into the buffers a BufferedProtocol hands out. */
function feedBuffered(protocol: BufferedProtocol, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    const buffer = protocol.getBuffer(data.length - offset);
    if (buffer.length === 0) throw new RuntimeError('getBuffer() returned an empty buffer');
    const n = Math.min(buffer.length, data.length - offset);
    buffer.set(data.subarray(offset, offset + n));
    offset += n;
    protocol.bufferUpdated(n);
  }
}

/**
 * The read end of a pipe (a Node Readable: a child's stdout, a FIFO, a socket, stdin...):
 * chunks go to `dataReceived`; at EOF, `eofReceived()` then `connectionLost(null)`, since a
 * read pipe closes on EOF.
 *
 * Python parity: `asyncio.unix_events._UnixReadPipeTransport`
 */
export class ReadPipeTransport extends ReadTransport {
  private _stream: Readable | null;
  private _protocol: BaseProtocol;
  private _closing = false;
  private _paused = false;
  private _reading = false;
  /** Closed by close() or an error (not by EOF): undelivered data is dropped. */
  private _aborted = false;
  /**
   * Chunks that arrived before reading started: Node resumes a child's stdout when the child
   * exits, so its last output can come before connectionMade has run.
   */
  private _early: Buffer[] | null = null;
  private _lostScheduled = false;
  private readonly _frame: ExecutionFrame;

  constructor(
    private readonly _loop: AbstractEventLoop,
    stream: Readable,
    protocol: BaseProtocol,
    waiter: AbstractFuture<void> | null = null,
    extra?: Readonly<Record<string, unknown>>,
  ) {
    super(extra);
    if (!this._extra.has('pipe')) this._extra.set('pipe', stream);
    this._stream = stream;
    this._protocol = protocol;
    this._frame = captureIoFrame();
    // Listen from the start (kept in _early until reading starts): data emitted with no
    // listener would be lost.
    stream.on('data', this._onData);
    stream.pause();
    stream.on('error', this._onError);
    stream.on('end', this._onEnd);
    stream.on('close', this._onClose);
    _loop.callSoon(() => this._protocol.connectionMade?.(this));
    // Only start reading once connectionMade() has run, as asyncio does.
    _loop.callSoon(() => this._startReading());
    if (waiter !== null) _loop.callSoon(resolveWaiter, waiter);
  }

  override toString(): string {
    const state = this._stream === null ? 'closed' : this._closing ? 'closing' : 'open';
    return `<ReadPipeTransport ${state}${this._paused ? ' paused' : ''}>`;
  }

  override isReading(): boolean {
    return !this._paused && !this._closing;
  }

  override pauseReading(): void {
    if (!this.isReading()) return;
    this._paused = true;
    if (this._reading) this._stream?.pause();
  }

  override resumeReading(): void {
    if (this._closing || !this._paused) return;
    this._paused = false;
    if (!this._reading) return;
    this._flushEarly();
    if (!this._paused && !this._closing) this._stream?.resume();
  }

  override isClosing(): boolean {
    return this._closing;
  }

  override close(): void {
    if (!this._closing) this._close(null);
  }

  override setProtocol(protocol: BaseProtocol): void {
    this._protocol = protocol;
  }

  override getProtocol(): BaseProtocol {
    return this._protocol;
  }

  private _startReading(): void {
    const stream = this._stream;
    if (stream === null || this._reading) return;
    this._reading = true;
    this._flushEarly();
    if (this._closing) return;
    if (this._paused) stream.pause();
    else stream.resume();
    // A stream that had already ended emits 'end' no more: report EOF now.
    if (stream.readableEnded) this._onEnd();
  }

  /** Delivers the chunks that came before reading started, unless paused or aborted. */
  private _flushEarly(): void {
    const early = this._early;
    while (early !== null && early.length > 0 && !this._paused && !this._aborted) {
      this._deliver(early.shift() as Buffer);
    }
    if (early !== null && (early.length === 0 || this._aborted)) this._early = null;
  }

  private readonly _onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!this._reading || this._early !== null) {
      if (!this._aborted) (this._early ??= []).push(data);
      return;
    }
    if (this._closing) return;
    this._deliver(data);
  };

  private _deliver(data: Buffer): void {
    inIoFrame(this._frame, () => {
      const protocol = this._protocol as Protocol | BufferedProtocol;
      try {
        if (typeof (protocol as BufferedProtocol).getBuffer === 'function') {
          feedBuffered(protocol as BufferedProtocol, data);
        } else {
          (protocol as Protocol).dataReceived?.(data);
        }
      } catch (error) {
        this._fatalError(error, 'Fatal error: protocol.dataReceived() call failed.');
      }
    });
  }

  private readonly _onEnd = (): void => {
    if (this._closing) return;
    inIoFrame(this._frame, () => {
      if (this._loop.getDebug()) console.info(`${String(this)} was closed by peer`);
      this._closing = true;
      const protocol = this._protocol as Protocol;
      // The return value is ignored: a read pipe has no write side to keep open.
      if (soon(this._loop, () => protocol.eofReceived?.())) this._scheduleLost(null);
      else this._release();
    });
  };

  private readonly _onError = (error: unknown): void => {
    if (this._lostScheduled) return;
    inIoFrame(this._frame, () =>
      this._fatalError(toOSError(error), 'Fatal read error on pipe transport'),
    );
  };

  // The stream was closed under us (destroyed by its owner): the pipe is gone.
  private readonly _onClose = (): void => {
    if (this._lostScheduled) return;
    inIoFrame(this._frame, () => this._close(null));
  };

  private _fatalError(error: unknown, message: string): void {
    if (this._lostScheduled) return;
    // asyncio gh-66291: EIO is how a pty reports that its other side went away.
    const routine = error instanceof OSError && error.code === 'EIO';
    reportPipeError(this._loop, this, error, message, routine);
    this._close(error instanceof Error ? error : new Error(String(error)));
  }

  private _close(exc: Error | null): void {
    this._closing = true;
    this._aborted = true;
    this._stream?.pause();
    this._scheduleLost(exc);
  }

  private _scheduleLost(exc: Error | null): void {
    if (this._lostScheduled) return;
    this._lostScheduled = true;
    scheduleConnectionLost(this._loop, this, exc, () => this._release());
  }

  private _release(): void {
    const stream = this._stream;
    if (stream === null) return;
    this._stream = null;
    releasePipeStream(stream, {
      data: this._onData,
      end: this._onEnd,
      close: this._onClose,
      error: this._onError,
    });
  }
}
