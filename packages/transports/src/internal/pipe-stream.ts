import fs from 'node:fs';
import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import tty from 'node:tty';
import { ValueError, toOSError } from '@tsio/core';

/** A short description of a bad argument for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object' || typeof value === 'function') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  return `${typeof value} ${String(value)}`;
}

function checkFd(fd: number, what: string): fs.Stats {
  if (!Number.isInteger(fd) || fd < 0) {
    throw new ValueError(`${what}: a file descriptor must be an integer >= 0, got ${fd}`);
  }
  let stats: fs.Stats;
  try {
    stats = fs.fstatSync(fd);
  } catch (error) {
    throw toOSError(error);
  }
  // asyncio's check in _UnixReadPipeTransport/_UnixWritePipeTransport.__init__.
  if (!(stats.isFIFO() || stats.isSocket() || stats.isCharacterDevice())) {
    throw new ValueError(
      `${what}: pipe transport is only for pipes, sockets and character devices; fd ${fd} is not one ` +
        '(read a regular file with node:fs instead)',
    );
  }
  return stats;
}

/**
 * The Readable to read `pipe` from: the stream itself, or a new stream over a file
 * descriptor (a pipe, FIFO or socket becomes a `net.Socket`, a terminal a `tty.ReadStream`,
 * another character device an `fs.ReadStream`). The stream owns the descriptor from then on.
 *
 * @throws TypeError for anything else; ValueError for a regular file, a closed stream, or a
 * stream that yields strings or objects; an OSError subclass for a bad descriptor.
 */
export function openReadPipe(pipe: unknown): Readable {
  const what = 'connectReadPipe()';
  if (typeof pipe === 'number') {
    const stats = checkFd(pipe, what);
    if (stats.isFIFO() || stats.isSocket()) {
      return new net.Socket({ fd: pipe, readable: true, writable: false });
    }
    if (tty.isatty(pipe)) return new tty.ReadStream(pipe);
    return fs.createReadStream('', { fd: pipe });
  }
  if (!(pipe instanceof Readable)) {
    throw new TypeError(
      `${what} takes a Node Readable stream (such as child.stdout or process.stdin) or a file descriptor number, got ${describeValue(pipe)}`,
    );
  }
  if (pipe.destroyed) throw new ValueError(`${what}: the stream is already destroyed`);
  if (pipe.readableObjectMode) {
    throw new ValueError(`${what}: the stream is in object mode; pipe transports carry bytes`);
  }
  if (pipe.readableEncoding !== null) {
    throw new ValueError(
      `${what}: the stream decodes text (setEncoding('${pipe.readableEncoding}')); pipe transports carry bytes`,
    );
  }
  return pipe;
}

/**
 * The Writable to write `pipe` to: the stream itself, or a new stream over a file descriptor
 * (as `openReadPipe`).
 *
 * @throws as `openReadPipe`.
 */
export function openWritePipe(pipe: unknown): Writable {
  const what = 'connectWritePipe()';
  if (typeof pipe === 'number') {
    const stats = checkFd(pipe, what);
    if (stats.isFIFO() || stats.isSocket()) {
      return new net.Socket({ fd: pipe, readable: false, writable: true });
    }
    if (tty.isatty(pipe)) return new tty.WriteStream(pipe);
    return fs.createWriteStream('', { fd: pipe });
  }
  if (!(pipe instanceof Writable)) {
    throw new TypeError(
      `${what} takes a Node Writable stream (such as child.stdin or process.stdout) or a file descriptor number, got ${describeValue(pipe)}`,
    );
  }
  if (pipe.destroyed || pipe.writableEnded) {
    throw new ValueError(`${what}: the stream is already ended or destroyed`);
  }
  if (pipe.writableObjectMode) {
    throw new ValueError(`${what}: the stream is in object mode; pipe transports carry bytes`);
  }
  return pipe;
}
