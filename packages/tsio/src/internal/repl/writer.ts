import { Handle, isFuture } from '../../index.js';

/** Node's REPL writer: it also carries the inspect options the REPL reads and sets. */
export type Writer = ((value: unknown) => string) & { options?: object };

/**
 * Wraps the REPL's writer so that futures, tasks and handles print as asyncio's REPL shows
 * them (`<Task pending name='Task-1' coro=<anonymous>>`) instead of as a dump of their
 * internal fields; everything else prints as Node prints it.
 */
export function tsioWriter(nodeWriter: Writer): Writer {
  const writer: Writer = (value) =>
    isFuture(value) || value instanceof Handle ? String(value) : nodeWriter(value);
  if (nodeWriter.options !== undefined) writer.options = nodeWriter.options;
  return writer;
}
