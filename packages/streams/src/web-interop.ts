import { Readable, Writable } from 'node:stream';
import { ReadableStream, WritableStream } from 'node:stream/web';
import type { AbstractEventLoop, AbstractTask } from '@tsio/core';
import { checkChunkSize, startRead } from './internal/reader-feed.js';
import {
  readerFromNodeReadable,
  writerFromNodeWritable,
  type ReaderFromStreamOptions,
  type ReaderToStreamOptions,
  type WriterFromStreamOptions,
} from './node-interop.js';
import type { StreamReader } from './stream-reader.js';
import type { StreamWriter } from './stream-writer.js';

/**
 * Makes a StreamReader that reads a web `ReadableStream` of bytes (a `fetch()` response's
 * `body`, a `Blob`'s `stream()`...), as `readerFromNodeReadable()` does a Node Readable:
 * with backpressure (the web stream is not pulled while the reader holds more than twice
 * `limit` bytes), its end as end of file, and its error as the reader's exception.
 *
 * The reader locks the stream.
 *
 * @throws TypeError unless `stream` is a ReadableStream; TypeError if it is locked.
 *
 * @example
 * ```ts
 * const response = await fetch(url);
 * const reader = readerFromWebStream(response.body!);
 * const statusLine = await reader.readline();
 * ```
 *
 * Python parity: none (web streams interop)
 */
export function readerFromWebStream(
  stream: ReadableStream<Uint8Array>,
  options: ReaderFromStreamOptions = {},
): StreamReader {
  if (!(stream instanceof ReadableStream)) {
    throw new TypeError('readerFromWebStream() takes a ReadableStream');
  }
  return readerFromNodeReadable(Readable.fromWeb(stream), options);
}

/**
 * A web `ReadableStream` of `reader`'s bytes, pulled on demand (`highWaterMark` 0: nothing is
 * read ahead): each pull awaits `reader.read(chunkSize)` in a task of its own; an empty
 * result closes the stream, a failed read errors it. Cancelling the stream cancels the pending
 * read, which loses no bytes. Use it for a `Response` body, `TextDecoderStream`, or anything
 * that takes web streams.
 *
 * The pulls need a running loop: consume the stream while a tsio loop runs.
 *
 * @throws ValueError for a `chunkSize` that is not an integer > 0.
 *
 * @example
 * ```ts
 * const text = readerToWebStream(reader).pipeThrough(new TextDecoderStream());
 * for await (const piece of text) process.stdout.write(piece);
 * ```
 *
 * Python parity: none (web streams interop)
 */
export function readerToWebStream(
  reader: StreamReader,
  options: ReaderToStreamOptions = {},
): ReadableStream<Uint8Array> {
  const chunkSize = checkChunkSize(options.chunkSize, 'readerToWebStream()');
  const loop: AbstractEventLoop | undefined = options.loop;
  let pending: AbstractTask<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller): Promise<void> {
        return new Promise<void>((resolve) => {
          pending = startRead(reader, chunkSize, loop, (task) => {
            pending = null;
            if (!task.cancelled()) {
              const error = task.exception();
              if (error !== null) {
                controller.error(error);
              } else {
                const data = task.result();
                if (data.length === 0) controller.close();
                else controller.enqueue(data);
              }
            }
            resolve();
          });
        });
      },
      cancel(): void {
        pending?.cancel();
        pending = null;
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A web `WritableStream` that writes to `writer`: each chunk is `writer.write(chunk)` followed
 * by `await writer.drain()`, so the web stream's backpressure follows the transport's.
 * Closing the stream sends end of file (`writeEof()`) when the transport can, else closes the
 * writer and waits until it is closed; aborting it closes the writer.
 *
 * @example
 * ```ts
 * await readerToWebStream(reader).pipeTo(writerToWebStream(writer)); // echoes until EOF
 * ```
 *
 * Python parity: none (web streams interop)
 */
export function writerToWebStream(writer: StreamWriter): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    write(chunk): Promise<void> {
      writer.write(chunk);
      return writer.drain();
    },
    async close(): Promise<void> {
      if (writer.canWriteEof()) {
        writer.writeEof();
        return;
      }
      writer.close();
      await writer.waitClosed();
    },
    abort(): void {
      if (!writer.isClosing()) writer.close();
    },
  });
}

/**
 * Makes a StreamWriter that writes to a web `WritableStream`, as `writerFromNodeWritable()`
 * does to a Node Writable. The writer locks the stream.
 *
 * @throws TypeError unless `stream` is a WritableStream, or if it is locked.
 *
 * @example
 * ```ts
 * const sink: Uint8Array[] = [];
 * const writer = await writerFromWebStream(new WritableStream({ write: (c) => void sink.push(c) }));
 * ```
 *
 * Python parity: none (web streams interop)
 */
export async function writerFromWebStream(
  stream: WritableStream<Uint8Array>,
  options: WriterFromStreamOptions = {},
): Promise<StreamWriter> {
  if (!(stream instanceof WritableStream)) {
    throw new TypeError('writerFromWebStream() takes a WritableStream');
  }
  return writerFromNodeWritable(Writable.fromWeb(stream), options);
}
