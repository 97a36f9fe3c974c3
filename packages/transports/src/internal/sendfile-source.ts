import { read as readFd } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ValueError, toOSError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { throughFuture } from './through-future.js';

/**
 * The file side of sendfile: a file descriptor or an fs.promises `FileHandle`, read with
 * positional reads (pread), so no file position moves.
 */
export interface SendfileSource {
  /** Reads up to `length` bytes at `position`; an empty buffer at end of file. */
  read(loop: AbstractEventLoop, position: number, length: number): Promise<Buffer>;
}

/** The most bytes one read (and one write) moves. */
export const SENDFILE_CHUNK = 256 * 1024;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

function isFileHandle(file: unknown): file is FileHandle {
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof (file as FileHandle).fd === 'number' &&
    typeof (file as FileHandle).read === 'function'
  );
}

/** Checks `file` and returns its reader. @throws TypeError for anything but an fd or a FileHandle */
export function sendfileSource(file: unknown): SendfileSource {
  if (typeof file === 'number' && Number.isInteger(file) && file >= 0) {
    return {
      read: (loop, position, length) =>
        throughFuture(
          loop,
          () =>
            new Promise<Buffer>((resolve, reject) => {
              const buffer = Buffer.allocUnsafe(length);
              readFd(file, buffer, 0, length, position, (error, n) => {
                if (error !== null) reject(toOSError(error));
                else resolve(buffer.subarray(0, n));
              });
            }),
        ),
    };
  }
  if (isFileHandle(file)) {
    return {
      read: (loop, position, length) =>
        throughFuture(loop, async () => {
          const buffer = Buffer.allocUnsafe(length);
          try {
            const { bytesRead } = await file.read(buffer, 0, length, position);
            return buffer.subarray(0, bytesRead);
          } catch (error) {
            throw toOSError(error);
          }
        }),
    };
  }
  throw new TypeError(
    `sendfile() file must be a file descriptor (a non-negative integer) or a FileHandle from fs.promises.open(path, 'r'), got ${describe(file)}`,
  );
}

/** Checks sendfile's `offset` and `count`. @throws TypeError, ValueError */
export function checkSendfileRange(offset: unknown, count: unknown): [number, number | null] {
  if (typeof offset !== 'number') {
    throw new TypeError(`offset must be a non-negative integer, got ${describe(offset)}`);
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new ValueError(`offset must be a non-negative integer (got ${offset})`);
  }
  if (count === null || count === undefined) return [offset, null];
  if (typeof count !== 'number') {
    throw new TypeError(`count must be a positive integer or null, got ${describe(count)}`);
  }
  if (!Number.isSafeInteger(count) || count <= 0) {
    throw new ValueError(`count must be a positive integer (got ${count})`);
  }
  return [offset, count];
}

/** The size of the next read: a chunk, or what is left of `count`. */
export function nextBlock(count: number | null, sent: number): number {
  return count === null ? SENDFILE_CHUNK : Math.min(SENDFILE_CHUNK, count - sent);
}
