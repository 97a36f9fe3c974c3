import type { Writable } from 'node:stream';
import { BrokenPipeError, OSError, toOSError } from '@tsio/core';
import type { AbstractEventLoop, AbstractFuture, BaseProtocol, ExecutionFrame } from '@tsio/core';
import { WriteTransport } from '../write-transport.js';
import { WriteFlowControl } from './flow-control.js';
import { captureIoFrame, inIoFrame } from './io-frame.js';
import { resolveWaiter } from './loop-calls.js';
import { releasePipeStream, reportPipeError, scheduleConnectionLost } from './pipe-end.js';
import { describeValue } from './pipe-stream.js';

/** asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES. */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/** `data` as a private copy of its bytes, or a TypeError naming what was passed. */
function copyBytes(data: unknown): Buffer {
  if (ArrayBuffer.isView(data)) {
    return Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  if (data instanceof ArrayBuffer) return Buffer.from(new Uint8Array(data));
  throw new TypeError(
    `data argument must be a bytes-like object (Uint8Array or Buffer), not ${describeValue(data)}; ` +
      'encode text first, e.g. new TextEncoder().encode(text)',
  );
}

/**
 * The write end of a pipe (a Node Writable: a child's stdin, a FIFO, a socket, stdout...):
 * writes are buffered by the stream, with asyncio's write flow control over its
 * `writableLength`. `writeEof()` and `close()` flush and then end the pipe.
 *
 * Python parity: `asyncio.unix_events._UnixWritePipeTransport`
 */
export class WritePipeTransport extends WriteTransport {
  private _stream: Writable | null;
  private _protocol: BaseProtocol;
  /** Set by close(), writeEof(), abort() and errors. */
  private _closing = false;
  private _connLost = 0;
  private _lostScheduled = false;
  /** Bytes handed to the stream and not yet reported written. */
  private _unflushed = 0;
  /** A write was dropped or failed: the reader is gone with data still to send. */
  private _dataLost = false;
  private readonly _flow: WriteFlowControl;
  private readonly _frame: ExecutionFrame;

  constructor(
    private readonly _loop: AbstractEventLoop,
    stream: Writable,
    protocol: BaseProtocol,
    waiter: AbstractFuture<void> | null = null,
    extra?: Readonly<Record<string, unknown>>,
  ) {
    super(extra);
    if (!this._extra.has('pipe')) this._extra.set('pipe', stream);
    this._stream = stream;
    this._protocol = protocol;
    this._flow = new WriteFlowControl(_loop, this);
    this._frame = captureIoFrame();
    stream.on('error', this._onError);
    stream.on('finish', this._onFinish);
    stream.on('close', this._onClose);
    _loop.callSoon(() => this._protocol.connectionMade?.(this));
    if (waiter !== null) _loop.callSoon(resolveWaiter, waiter);
  }

  override toString(): string {
    const state = this._stream === null ? 'closed' : this._closing ? 'closing' : 'open';
    return `<WritePipeTransport ${state} bufsize=${this.getWriteBufferSize()}>`;
  }

  override write(data: Uint8Array): void {
    const chunk = copyBytes(data);
    if (chunk.length === 0) return;
    const stream = this._stream;
    if (stream === null || this._connLost > 0 || this._closing) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        console.warn('pipe closed by peer or os.write(pipe, data) raised exception.');
      }
      this._connLost += 1;
      return;
    }
    this._unflushed += chunk.length;
    stream.write(chunk, (error) => this._onWritten(stream, chunk.length, error));
    this._flow.maybePause(stream.writableLength, this._protocol);
  }

  override getWriteBufferSize(): number {
    const stream = this._stream;
    // A destroyed stream still counts the bytes it dropped: nothing is buffered any more.
    return stream === null || stream.destroyed ? 0 : stream.writableLength;
  }

  override setWriteBufferLimits(limits?: { readonly high?: number; readonly low?: number }): void {
    this._flow.setLimits(limits);
    this._flow.maybePause(this.getWriteBufferSize(), this._protocol);
  }

  override getWriteBufferLimits(): [low: number, high: number] {
    return [this._flow.low, this._flow.high];
  }

  override canWriteEof(): boolean {
    return true;
  }

  override writeEof(): void {
    if (this._closing || this._stream === null) return;
    this._closing = true;
    // 'finish' (everything flushed) then calls connectionLost(null).
    this._stream.end();
  }

  override isClosing(): boolean {
    return this._closing;
  }

  override close(): void {
    if (this._stream !== null && !this._closing) this.writeEof();
  }

  override abort(): void {
    this._close(null);
  }

  override setProtocol(protocol: BaseProtocol): void {
    this._protocol = protocol;
  }

  override getProtocol(): BaseProtocol {
    return this._protocol;
  }

  private _onWritten(stream: Writable, n: number, error: Error | null | undefined): void {
    // Node reports a write cancelled by destroy() as done: only a live stream wrote it.
    if (error || stream.destroyed) {
      this._dataLost = true;
      return;
    }
    this._unflushed -= n;
    if (this._lostScheduled) return;
    inIoFrame(this._frame, () => this._flow.maybeResume(stream.writableLength, this._protocol));
  }

  private readonly _onFinish = (): void => {
    if (this._lostScheduled) return;
    inIoFrame(this._frame, () => this._close(null));
  };

  private readonly _onError = (error: unknown): void => {
    if (this._lostScheduled) return;
    inIoFrame(this._frame, () => {
      this._connLost += 1;
      this._fatalError(toOSError(error), 'Fatal write error on pipe transport');
    });
  };

  // The stream closed without our doing: its owner destroyed it, or (a child's stdin) the
  // child exited. asyncio learns this from the pipe's reader closing: connection lost, with
  // BrokenPipeError when data was still waiting to be written.
  private readonly _onClose = (): void => {
    if (this._lostScheduled) return;
    inIoFrame(this._frame, () => {
      if (this._loop.getDebug()) console.info(`${String(this)} was closed by peer`);
      const lost = this._dataLost || this._unflushed > 0;
      this._close(
        lost ? new BrokenPipeError('the pipe was closed with data still unwritten') : null,
      );
    });
  };

  private _fatalError(error: Error, message: string): void {
    // As asyncio: an OSError (EPIPE, ...) is the routine end of a pipe; logged in debug mode.
    reportPipeError(this._loop, this, error, message, error instanceof OSError);
    this._close(error);
  }

  private _close(exc: Error | null): void {
    this._closing = true;
    if (this._lostScheduled) return;
    this._lostScheduled = true;
    // Drop what is buffered (abort, errors); after 'finish' there is nothing left to drop.
    this._stream?.destroy();
    scheduleConnectionLost(this._loop, this, exc, () => this._release());
  }

  private _release(): void {
    const stream = this._stream;
    if (stream === null) return;
    this._stream = null;
    releasePipeStream(stream, {
      finish: this._onFinish,
      close: this._onClose,
      error: this._onError,
    });
  }
}
