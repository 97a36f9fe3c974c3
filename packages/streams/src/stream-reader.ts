import {
  getRunningLoop,
  IncompleteReadError,
  isCancelledError,
  LimitOverrunError,
  NotImplementedError,
  RuntimeError,
  ValueError,
} from '@tsio/core';
import type { AbstractEventLoop, AbstractFuture, ReadTransport } from '@tsio/core';
import { _raisePendingCancellation, _suspendOn } from '@tsio/futures';
import { ChunkBuffer } from './internal/chunk-buffer.js';
import { NEWLINE, toSeparators } from './internal/separators.js';
import { DEFAULT_LIMIT } from './internal/stream-limit.js';

/**
 * Options of `new StreamReader()`.
 *
 * Python parity: the `limit` and `loop` arguments of `asyncio.StreamReader`
 */
export interface StreamReaderOptions {
  /**
   * The longest line (or `readuntil()` chunk, separator not counted) the reader returns, and
   * half the buffer size above which it pauses the transport. Default 64 KiB.
   */
  readonly limit?: number;
  /** The loop whose futures the reads wait on; by default the running loop at the first wait. */
  readonly loop?: AbstractEventLoop;
}

/** Every empty result: a zero-length Buffer cannot be written through, so one is enough. */
const EMPTY: Buffer = Buffer.alloc(0);
const NEWLINE_SEPARATORS: readonly Buffer[] = [NEWLINE];

function describeError(error: Error): string {
  return `${error.name}(${error.message === '' ? '' : JSON.stringify(error.message)})`;
}

function checkSize(n: number, method: string): void {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TypeError(`${method}() expects an integer number of bytes, got ${String(n)}`);
  }
}

/**
 * The reading end of a stream connection or pipe: a buffer that a protocol feeds
 * (`feedData`, `feedEof`, `setException`) and coroutines read from, by size, by line or up to
 * a separator. `openConnection()`, `startServer()` and `createSubprocessExec()` make readers;
 * constructing one directly is for protocols of your own and for tests.
 *
 * Results are Buffers (so Uint8Arrays). A result that lies in one received chunk is a
 * zero-copy view of it; the reader never writes into received chunks, so a result stays
 * valid, but keeping a small view alive keeps its whole chunk alive: copy it
 * (`Buffer.from(line)`) to keep many small results for long.
 *
 * A read waits on a loop future: cancelling the task that waits cancels the read, and the
 * bytes stay in the reader for the next read (see `read()` for the one case asyncio differs).
 * Only one coroutine may wait at a time: a second read that would wait throws RuntimeError.
 *
 * When more than twice `limit` bytes are buffered, the reader pauses its transport
 * (`_setTransport`), and resumes it when reads bring the buffer down to `limit` or when a read
 * must wait.
 *
 * @example
 * ```ts
 * const [reader, writer] = await openConnection('example.com', 80);
 * writer.write(Buffer.from('HEAD / HTTP/1.0\r\n\r\n'));
 * const statusLine = await reader.readline();
 * for await (const header of reader) {
 *   if (header.toString() === '\r\n') break;
 * }
 * ```
 *
 * Python parity: `asyncio.StreamReader`
 */
export class StreamReader {
  readonly #limit: number;
  #loop: AbstractEventLoop | null;
  readonly #buffer = new ChunkBuffer();
  #eof = false;
  #waiter: AbstractFuture<void> | null = null;
  #exception: Error | null = null;
  #transport: ReadTransport | null = null;
  #paused = false;

  /**
   * @param options - `limit` (default 64 KiB) and `loop`.
   * @throws ValueError "Limit cannot be <= 0".
   * @throws TypeError if `limit` is not a number.
   *
   * Python parity: `asyncio.StreamReader(limit=_DEFAULT_LIMIT, loop=None)`
   */
  constructor(options?: StreamReaderOptions) {
    const limit = options?.limit ?? DEFAULT_LIMIT;
    if (typeof limit !== 'number' || Number.isNaN(limit)) {
      throw new TypeError(`limit must be a number of bytes, got ${String(limit)}`);
    }
    if (limit <= 0) throw new ValueError('Limit cannot be <= 0');
    this.#limit = limit;
    this.#loop = options?.loop ?? null;
  }

  /**
   * The error the reader was ended with (`setException`), or null.
   *
   * Python parity: `StreamReader.exception`
   */
  exception(): Error | null {
    return this.#exception;
  }

  /**
   * Ends the reader with an error: every later read throws it, and a read waiting for data
   * now throws it. Bytes already buffered are not returned any more.
   *
   * Python parity: `StreamReader.set_exception`
   */
  setException(exc: Error): void {
    this.#exception = exc;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      if (!waiter.cancelled()) waiter.setException(exc);
    }
  }

  /**
   * Gives the reader the transport to pause and resume for read flow control. A later call
   * replaces it (`startTls()` moves a stream to a new transport); asyncio allows one call.
   *
   * Python parity: `StreamReader.set_transport`
   */
  _setTransport(transport: ReadTransport): void {
    this.#transport = transport;
    this.#paused = false;
  }

  /**
   * Tells the reader no more data will come: waiting reads return what is buffered.
   *
   * Python parity: `StreamReader.feed_eof`
   */
  feedEof(): void {
    this.#eof = true;
    this.#wakeUpWaiter();
  }

  /**
   * Tells whether end of file was fed and every byte was read.
   *
   * Python parity: `StreamReader.at_eof`
   */
  atEof(): boolean {
    return this.#eof && this.#buffer.length === 0;
  }

  /**
   * Appends received bytes and wakes a waiting read. The reader keeps `data` itself (no copy,
   * unlike asyncio): do not modify it afterwards. Above twice the limit it pauses the
   * transport; a transport whose `pauseReading()` throws NotImplementedError is forgotten.
   *
   * @throws RuntimeError after `feedEof()` (asyncio asserts).
   * @throws TypeError if `data` is not a Uint8Array.
   *
   * Python parity: `StreamReader.feed_data`
   */
  feedData(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`feedData() expects a Uint8Array, got ${String(data)}`);
    }
    if (this.#eof) throw new RuntimeError('feedData() called after feedEof()');
    if (data.length === 0) return;
    this.#buffer.push(
      Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    );
    this.#wakeUpWaiter();
    const transport = this.#transport;
    if (transport !== null && !this.#paused && this.#buffer.length > 2 * this.#limit) {
      try {
        transport.pauseReading();
        this.#paused = true;
      } catch (error) {
        if (!(error instanceof NotImplementedError)) throw error;
        // The transport cannot pause: buffer everything, and stop trying.
        this.#transport = null;
      }
    }
  }

  /**
   * Reads up to `n` bytes: waits until at least one byte is buffered (or end of file), then
   * returns at most `n` of the buffered bytes. With `n < 0` (the default), reads until end of
   * file and returns everything. `n = 0` returns an empty Buffer at once. An empty result
   * means end of file. The limit does not apply.
   *
   * Cancelled while waiting, `read(-1)` puts the bytes it had collected back in the reader
   * (asyncio drops them), so no read loses bytes to a cancellation.
   *
   * @throws the reader's exception, if set.
   * @throws RuntimeError if another coroutine is waiting on this reader and this read must wait.
   * @throws TypeError if `n` is not an integer.
   *
   * Python parity: `StreamReader.read(n=-1)`
   */
  async read(n = -1): Promise<Buffer> {
    checkSize(n, 'read');
    if (this.#exception !== null) throw this.#exception;
    if (n === 0) return EMPTY;
    if (n < 0) return this.#readAll();
    const buffer = this.#buffer;
    if (buffer.length === 0 && !this.#eof) {
      const waiter = this.#startWaiting('read');
      try {
        await _suspendOn(waiter);
        _raisePendingCancellation();
      } finally {
        this.#stopWaiting(waiter);
      }
    }
    const length = buffer.length;
    if (length === 0) return EMPTY;
    const data = buffer.take(n < length ? n : length);
    this.#maybeResumeTransport();
    return data;
  }

  async #readAll(): Promise<Buffer> {
    const buffer = this.#buffer;
    const blocks: Buffer[] = [];
    for (;;) {
      if (this.#exception !== null) throw this.#exception;
      if (buffer.length === 0 && !this.#eof) {
        const waiter = this.#startWaiting('read');
        try {
          await _suspendOn(waiter);
          _raisePendingCancellation();
        } catch (error) {
          if (isCancelledError(error) && blocks.length > 0) buffer.unshift(blocks);
          throw error;
        } finally {
          this.#stopWaiting(waiter);
        }
      }
      if (buffer.length === 0) break;
      blocks.push(buffer.takeAll());
      this.#maybeResumeTransport();
    }
    if (blocks.length === 1) return blocks[0] as Buffer;
    return blocks.length === 0 ? EMPTY : Buffer.concat(blocks);
  }

  /**
   * Reads exactly `n` bytes. `n` may exceed the limit.
   *
   * @throws IncompleteReadError at end of file before `n` bytes, with the bytes read as
   *   `partial` (consumed) and `n` as `expected`.
   * @throws ValueError "readexactly size can not be less than zero" for `n < 0`.
   * @throws the reader's exception, if set.
   * @throws RuntimeError if another coroutine is waiting on this reader.
   *
   * Python parity: `StreamReader.readexactly(n)`
   */
  async readexactly(n: number): Promise<Buffer> {
    checkSize(n, 'readexactly');
    if (n < 0) throw new ValueError('readexactly size can not be less than zero');
    if (this.#exception !== null) throw this.#exception;
    if (n === 0) return EMPTY;
    const buffer = this.#buffer;
    while (buffer.length < n) {
      if (this.#eof) {
        const partial = buffer.length === 0 ? EMPTY : buffer.takeAll();
        throw new IncompleteReadError(partial, n);
      }
      const waiter = this.#startWaiting('readexactly');
      try {
        await _suspendOn(waiter);
        _raisePendingCancellation();
      } finally {
        this.#stopWaiting(waiter);
      }
    }
    const data = buffer.take(n);
    this.#maybeResumeTransport();
    return data;
  }

  /**
   * Reads one line: the bytes up to and including `\n`. At end of file, returns the last
   * partial line, then an empty Buffer.
   *
   * A line longer than the limit (not counting `\n`) throws ValueError and is dropped: if its
   * `\n` is buffered, everything up to and including it is removed; otherwise the whole buffer
   * is cleared (the rest of the line then arrives as the next line). The reader stays usable.
   *
   * @throws ValueError with the LimitOverrunError as `cause` when the line exceeds the limit.
   * @throws the reader's exception, if set.
   * @throws RuntimeError if another coroutine is waiting on this reader.
   *
   * Python parity: `StreamReader.readline()`
   */
  readline(): Promise<Buffer> {
    return this.#readUntil(NEWLINE_SEPARATORS, true);
  }

  /**
   * Reads up to and including a separator. `separator` is bytes, a string (sent as UTF-8; an
   * asyncio separator is bytes only), or an array of them (asyncio's tuple): then the shortest
   * result that ends with any of them wins. The separator is consumed and returned.
   *
   * @throws LimitOverrunError when no separator ends a chunk within the limit (the separator
   *   not counted): the data stays buffered; `consumed` is how many bytes may be skipped.
   * @throws IncompleteReadError at end of file without a separator: `partial` holds (and
   *   consumes) everything buffered, `expected` is null.
   * @throws ValueError "Separator should be at least one-byte string" for an empty separator,
   *   "Separator should contain at least one element" for an empty array.
   * @throws the reader's exception, if set.
   * @throws RuntimeError if another coroutine is waiting on this reader.
   *
   * Python parity: `StreamReader.readuntil(separator=b'\n')`
   */
  readuntil(
    separator: Uint8Array | string | readonly (Uint8Array | string)[] = NEWLINE,
  ): Promise<Buffer> {
    let separators: readonly Buffer[];
    try {
      separators = toSeparators(separator);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.#readUntil(separators, false);
  }

  // readuntil() for `line = false`; readline() for `line = true`, which turns the errors into
  // results as asyncio's readline() does around its readuntil() call.
  async #readUntil(separators: readonly Buffer[], line: boolean): Promise<Buffer> {
    try {
      if (this.#exception !== null) throw this.#exception;
      const buffer = this.#buffer;
      const shortest = (separators[0] as Buffer).length;
      const longest = (separators[separators.length - 1] as Buffer).length;
      // No separator ends before `offset`.
      let offset = 0;
      let matchStart = -1;
      let matchEnd = -1;
      for (;;) {
        const length = buffer.length;
        if (length - offset >= shortest) {
          for (const separator of separators) {
            const found = buffer.indexOf(separator, offset);
            if (found !== -1 && (matchEnd === -1 || found + separator.length < matchEnd)) {
              matchStart = found;
              matchEnd = found + separator.length;
            }
          }
          if (matchEnd !== -1) break;
          // The last longest - 1 bytes may start a separator whose end has not come yet.
          offset = Math.max(0, length + 1 - longest);
          if (offset > this.#limit) {
            throw new LimitOverrunError(
              'Separator is not found, and chunk exceed the limit',
              offset,
            );
          }
        }
        // The last chunk may complete a separator together with end of file: EOF is checked
        // only after the search.
        if (this.#eof) {
          throw new IncompleteReadError(length === 0 ? EMPTY : buffer.takeAll(), null);
        }
        const waiter = this.#startWaiting('readuntil');
        try {
          await _suspendOn(waiter);
          _raisePendingCancellation();
        } finally {
          this.#stopWaiting(waiter);
        }
      }
      if (matchStart > this.#limit) {
        throw new LimitOverrunError(
          'Separator is found, but chunk is longer than limit',
          matchStart,
        );
      }
      const data = buffer.take(matchEnd);
      this.#maybeResumeTransport();
      return data;
    } catch (error) {
      if (!line) throw error;
      if (error instanceof IncompleteReadError) {
        const partial = error.partial;
        return Buffer.isBuffer(partial)
          ? partial
          : Buffer.from(partial.buffer, partial.byteOffset, partial.byteLength);
      }
      if (error instanceof LimitOverrunError) {
        const buffer = this.#buffer;
        if (buffer.startsWith(NEWLINE, error.consumed)) buffer.discard(error.consumed + 1);
        else buffer.clear();
        this.#maybeResumeTransport();
        throw new ValueError(error.message, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Iterates over lines (`readline()`) until end of file.
   *
   * Python parity: `StreamReader.__aiter__` / `__anext__`
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  /**
   * For instance `<StreamReader 4 bytes eof limit=123>`.
   *
   * Python parity: `repr(StreamReader)`
   */
  toString(): string {
    const info = ['StreamReader'];
    if (this.#buffer.length > 0) info.push(`${this.#buffer.length} bytes`);
    if (this.#eof) info.push('eof');
    if (this.#limit !== DEFAULT_LIMIT) info.push(`limit=${this.#limit}`);
    if (this.#waiter !== null) info.push(`waiter=${String(this.#waiter)}`);
    if (this.#exception !== null) info.push(`exception=${describeError(this.#exception)}`);
    if (this.#transport !== null) info.push(`transport=${String(this.#transport)}`);
    if (this.#paused) info.push('paused');
    return `<${info.join(' ')}>`;
  }

  #wakeUpWaiter(): void {
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      if (!waiter.cancelled()) waiter.setResult(undefined);
    }
  }

  #maybeResumeTransport(): void {
    if (this.#paused && this.#buffer.length <= this.#limit) {
      this.#paused = false;
      (this.#transport as ReadTransport).resumeReading();
    }
  }

  // asyncio's _wait_for_data() in two halves around the caller's own `await`, so a read that
  // waits makes no promise of its own. Each `await _suspendOn(waiter)` is followed by
  // _raisePendingCancellation(): a task cancelled after its wake-up was delivered but before it
  // resumed (python-differences item 7) then takes nothing, as asyncio throws at that await.
  #startWaiting(method: string): AbstractFuture<void> {
    if (this.#waiter !== null) {
      throw new RuntimeError(
        `${method}() called while another coroutine is already waiting for incoming data`,
      );
    }
    // Waiting while paused would never end: readexactly(n) with n > limit needs more data.
    if (this.#paused) {
      this.#paused = false;
      (this.#transport as ReadTransport).resumeReading();
    }
    const waiter = (this.#loop ??= getRunningLoop()).createFuture<void>();
    this.#waiter = waiter;
    return waiter;
  }

  #stopWaiting(waiter: AbstractFuture<void>): void {
    // Only our own waiter: another coroutine may have started waiting since we were woken.
    if (this.#waiter === waiter) this.#waiter = null;
  }
}
