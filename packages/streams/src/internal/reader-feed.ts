import { getRunningLoop, ValueError } from '@tsio/core';
import type { AbstractEventLoop, AbstractTask, Transport } from '@tsio/core';
import { Protocol } from '@tsio/transports';
import type { StreamReader } from '../stream-reader.js';

/**
 * Feeds a StreamReader from a transport, without the rest of StreamReaderProtocol (no
 * writer, no client callback): the reader gets the transport for read flow control, the data,
 * the end of file, and the error the transport ends with.
 */
export class ReaderFeedProtocol extends Protocol {
  readonly #reader: StreamReader;

  constructor(reader: StreamReader) {
    super();
    this.#reader = reader;
  }

  override connectionMade(transport: Transport): void {
    this.#reader._setTransport(transport);
  }

  override dataReceived(data: Uint8Array): void {
    this.#reader.feedData(data);
  }

  override eofReceived(): boolean {
    this.#reader.feedEof();
    return false;
  }

  override connectionLost(exc: Error | null): void {
    if (exc === null) this.#reader.feedEof();
    else this.#reader.setException(exc);
  }
}

/** Checks a `chunkSize` option: the most bytes one pull asks `reader.read(n)` for. */
export function checkChunkSize(chunkSize: number | undefined, what: string): number {
  if (chunkSize === undefined) return 65536;
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
    throw new ValueError(`${what}: chunkSize must be an integer > 0, got ${chunkSize}`);
  }
  return chunkSize;
}

/**
 * One pull of a reader-backed stream: `reader.read(chunkSize)` in a task of its own, so that
 * cancelling the stream cancels the read and the reader keeps every byte it had (a cancelled
 * read consumes nothing). `done` gets the task once it is over.
 */
export function startRead(
  reader: StreamReader,
  chunkSize: number,
  loop: AbstractEventLoop | undefined,
  done: (task: AbstractTask<Uint8Array>) => void,
): AbstractTask<Uint8Array> {
  const task = (loop ?? getRunningLoop()).createTask<Uint8Array>(() => reader.read(chunkSize));
  task.addDoneCallback(done);
  return task;
}
