import { Readable, Writable } from 'node:stream';
import { getRunningLoop, ValueError } from '@tsio/core';
import type { AbstractEventLoop, AbstractTask } from '@tsio/core';
import { ReadableTransport } from './internal/readable-transport.js';
import { checkChunkSize, ReaderFeedProtocol, startRead } from './internal/reader-feed.js';
import { WritePipeProtocol } from './internal/write-pipe-protocol.js';
import { StreamReader } from './stream-reader.js';
import { StreamWriter } from './stream-writer.js';

/**
 * Options of `readerFromNodeReadable()` and `readerFromWebStream()`: those of `new
 * StreamReader()`.
 *
 * Python parity: none (Node interop)
 */
export interface ReaderFromStreamOptions {
  /** The reader's buffer limit in bytes (default 64 KiB); reading pauses above twice that. */
  readonly limit?: number;
  /** The loop the reader's waits belong to (default: the running loop at the first wait). */
  readonly loop?: AbstractEventLoop;
}

/**
 * Options of `readerToNodeReadable()` and `readerToWebStream()`.
 *
 * Python parity: none (Node interop)
 */
export interface ReaderToStreamOptions {
  /** The most bytes one pull asks `reader.read(n)` for (default 64 KiB). */
  readonly chunkSize?: number;
  /** The loop that runs the pulls (default: the running loop at each pull). */
  readonly loop?: AbstractEventLoop;
}

/**
 * Options of `writerFromNodeWritable()` and `writerFromWebStream()`.
 *
 * Python parity: none (Node interop)
 */
export interface WriterFromStreamOptions {
  /** The loop of the writer (default: the running loop). */
  readonly loop?: AbstractEventLoop;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return typeof value;
}

/**
 * Makes a StreamReader that reads a Node Readable (a file stream, `process.stdin`, a socket,
 * an HTTP request...): `readline()`, `readuntil()`, `readexactly()` and `for await` over
 * lines work on any byte stream. Backpressure is kept: once more than twice `limit` bytes
 * wait in the reader, the Readable is paused until reads bring the buffer back under
 * `limit`. The Readable's end is the reader's end of file; its error is the reader's
 * exception (a Node system error becomes its OSError subclass, `ECONNRESET` ->
 * ConnectionResetError, `ENOENT` -> FileNotFoundError...; any other error is kept as is);
 * destroying it without an error also ends the file.
 *
 * The reader takes the Readable over (it listens to `'data'`): do not read it elsewhere.
 *
 * @throws TypeError unless `readable` is a Node Readable.
 * @throws ValueError if the stream is destroyed, in object mode, or decodes text
 *   (`setEncoding`): a reader reads bytes; or for a bad `limit`.
 *
 * @example
 * ```ts
 * import fs from 'node:fs';
 * const reader = readerFromNodeReadable(fs.createReadStream('access.log'));
 * let count = 0;
 * for await (const line of reader) count += 1;
 * ```
 *
 * asyncio's nearest counterpart: `loop.connect_read_pipe(lambda: StreamReaderProtocol(reader),
 * pipe)`.
 *
 * Python parity: none (Node interop)
 */
export function readerFromNodeReadable(
  readable: Readable,
  options: ReaderFromStreamOptions = {},
): StreamReader {
  const what = 'readerFromNodeReadable()';
  if (!(readable instanceof Readable)) {
    throw new TypeError(`${what} takes a Node Readable stream, got ${describe(readable)}`);
  }
  // A stream that ended is destroyed too (autoDestroy): it reads as an empty stream.
  if (readable.destroyed && !readable.readableEnded) {
    throw new ValueError(`${what}: the stream is already destroyed`);
  }
  if (readable.readableObjectMode) {
    throw new ValueError(`${what}: the stream is in object mode; a StreamReader reads bytes`);
  }
  if (readable.readableEncoding !== null) {
    throw new ValueError(
      `${what}: the stream decodes text (setEncoding('${readable.readableEncoding}')); a StreamReader reads bytes`,
    );
  }
  const reader = new StreamReader(options);
  new ReadableTransport(readable, new ReaderFeedProtocol(reader));
  return reader;
}

/**
 * A Node Readable of `reader`'s bytes, pulled on demand: each time the Readable wants data,
 * it awaits `reader.read(chunkSize)` (in a task of its own); an empty result ends the
 * Readable, a failed read destroys it with the error. Destroying the Readable cancels the
 * pending read, which loses no bytes: the reader can still be read afterwards. Use it to hand
 * a connection or a child's output to `pipeline()`, a parser, or an HTTP response.
 *
 * The pulls need a running loop: consume the Readable while a tsio loop runs (in `run()`).
 *
 * @throws ValueError for a `chunkSize` that is not an integer > 0.
 *
 * @example
 * ```ts
 * import fs from 'node:fs';
 * import { pipeline } from 'node:stream/promises';
 * const [reader, writer] = await openConnection('example.com', 80);
 * await pipeline(readerToNodeReadable(reader), fs.createWriteStream('response.bin'));
 * ```
 *
 * Python parity: none (Node interop)
 */
export function readerToNodeReadable(
  reader: StreamReader,
  options: ReaderToStreamOptions = {},
): Readable {
  return new ReaderReadable(
    reader,
    checkChunkSize(options.chunkSize, 'readerToNodeReadable()'),
    options.loop,
  );
}

class ReaderReadable extends Readable {
  readonly #reader: StreamReader;
  readonly #chunkSize: number;
  readonly #loop: AbstractEventLoop | undefined;
  #pending: AbstractTask<Uint8Array> | null = null;

  constructor(reader: StreamReader, chunkSize: number, loop: AbstractEventLoop | undefined) {
    super();
    this.#reader = reader;
    this.#chunkSize = chunkSize;
    this.#loop = loop;
  }

  override _read(): void {
    if (this.#pending !== null) return;
    try {
      this.#pending = startRead(this.#reader, this.#chunkSize, this.#loop, this.#onRead);
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  readonly #onRead = (task: AbstractTask<Uint8Array>): void => {
    if (this.#pending === task) this.#pending = null;
    if (task.cancelled() || this.destroyed) return;
    const error = task.exception();
    if (error !== null) {
      this.destroy(error as Error);
      return;
    }
    const data = task.result();
    this.push(data.length === 0 ? null : data);
  };

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const pending = this.#pending;
    this.#pending = null;
    pending?.cancel();
    callback(error);
  }
}

/**
 * A Node Writable that writes to `writer`: each `write()` calls `writer.write(chunk)` and
 * completes once `await writer.drain()` does, so Node's own backpressure (`write()` returning
 * false, `pipeline()`) follows the transport's. `end()` sends end of file with
 * `writer.writeEof()` when the transport can (a socket's half-close, a pipe's close), else
 * closes the writer and waits until it is closed. Destroying the Writable before it ends
 * closes the writer (after what was written is flushed). A lost connection fails the pending
 * write (ConnectionResetError...), which destroys the Writable with that error.
 *
 * @example
 * ```ts
 * import fs from 'node:fs';
 * import { pipeline } from 'node:stream/promises';
 * const [reader, writer] = await openConnection('127.0.0.1', 8888);
 * await pipeline(fs.createReadStream('upload.bin'), writerToNodeWritable(writer));
 * ```
 *
 * Python parity: none (Node interop)
 */
export function writerToNodeWritable(writer: StreamWriter): Writable {
  return new Writable({
    write(chunk: Uint8Array, _encoding, callback): void {
      try {
        writer.write(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
      writer.drain().then(() => callback(), callback);
    },
    writev(chunks, callback): void {
      try {
        writer.writelines(chunks.map((c) => c.chunk as Uint8Array));
      } catch (error) {
        callback(error as Error);
        return;
      }
      writer.drain().then(() => callback(), callback);
    },
    final(callback): void {
      if (writer.canWriteEof()) {
        writer.writeEof();
        callback();
        return;
      }
      writer.close();
      writer.waitClosed().then(() => callback(), callback);
    },
    destroy(this: Writable, error, callback): void {
      // Node destroys a Writable after it finished too (autoDestroy, pipeline()): the writer
      // is closed only when the Writable is given up before its end().
      if (!this.writableFinished && !writer.isClosing()) writer.close();
      callback(error);
    },
  });
}

/**
 * Makes a StreamWriter that writes to a Node Writable (`process.stdout`, a file stream, a
 * socket, an HTTP response...), through `loop.connectWritePipe()`: `write()` buffers,
 * `await drain()` waits while the Writable's buffer is over the transport's high-water mark,
 * `writeEof()`/`close()` end the Writable, and `waitClosed()` resolves once it is closed. A
 * Writable that fails (EPIPE...) makes the next `drain()` throw.
 *
 * @throws TypeError unless `writable` is a Node Writable (or a descriptor number of a pipe,
 *   socket or character device, as `connectWritePipe` takes); ValueError if it is already
 *   ended, destroyed, or in object mode.
 *
 * @example
 * ```ts
 * const out = await writerFromNodeWritable(process.stdout);
 * out.write(new TextEncoder().encode('hello\n'));
 * await out.drain();
 * ```
 *
 * asyncio's nearest counterpart: `loop.connect_write_pipe(FlowControlMixin, pipe)` and then
 * `StreamWriter(transport, protocol, None, loop)`.
 *
 * Python parity: none (Node interop)
 */
export async function writerFromNodeWritable(
  writable: Writable,
  options: WriterFromStreamOptions = {},
): Promise<StreamWriter> {
  const loop = options.loop ?? getRunningLoop();
  const [transport, protocol] = await loop.connectWritePipe(
    () => new WritePipeProtocol(loop),
    writable,
  );
  return new StreamWriter(transport, protocol, null, loop);
}
