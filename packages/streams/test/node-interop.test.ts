import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  ConnectionResetError,
  FileNotFoundError,
  OSError,
  ValueError,
  getRunningLoop,
} from '@tsio/core';
import { sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import {
  StreamReader,
  openConnection,
  readerFromNodeReadable,
  readerToNodeReadable,
  startServer,
  writerFromNodeWritable,
  writerToNodeWritable,
} from '../src/index.js';
import type { StreamWriter } from '../src/index.js';
import { closeServer, dec, enc, portOf } from './helpers/connection-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tsio-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `count` numbered lines; returns its path and its bytes. */
function linesFile(count: number): { path: string; data: Buffer } {
  const text = Array.from({ length: count }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}\n`).join(
    '',
  );
  const data = Buffer.from(text);
  const path = join(dir, `lines-${count}.txt`);
  writeFileSync(path, data);
  return { path, data };
}

/** A Readable fed by hand: push() / end / destroy from the test. */
const manual = (): Readable => new Readable({ read() {} });

/** Yields to the loop until `condition()` holds (at most `max` iterations). */
async function until(condition: () => boolean, max = 10_000): Promise<void> {
  for (let i = 0; i < max && !condition(); i++) await sleep(0);
  expect(condition()).toBe(true);
}

/** Every chunk a Node Readable yields, concatenated. */
async function collect(readable: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('readerFromNodeReadable', () => {
  it('reads a file line by line with readline()', async () => {
    const { path, data } = linesFile(2000);
    const lines = await run(async () => {
      const reader = readerFromNodeReadable(createReadStream(path, { highWaterMark: 1000 }));
      const got: string[] = [];
      for (;;) {
        const line = await reader.readline();
        if (line.length === 0) break;
        got.push(dec(line));
      }
      expect(reader.atEof()).toBe(true);
      return got;
    });
    expect(lines.join('')).toBe(data.toString());
    expect(lines).toHaveLength(2000);
  });

  it('iterates over lines with for await, and read() returns the rest', async () => {
    const { path, data } = linesFile(300);
    await run(async () => {
      const reader = readerFromNodeReadable(createReadStream(path, { highWaterMark: 64 }));
      let count = 0;
      for await (const line of reader) {
        expect(dec(line)).toMatch(/^line \d+ x*\n$/);
        if (++count === 100) break;
      }
      const rest = await reader.read();
      const first100 = data.toString().split('\n').slice(0, 100).join('\n').length + 1;
      expect(dec(rest)).toBe(data.toString().slice(first100));
    });
  });

  it('readexactly and readuntil across the Readable chunks', async () => {
    await run(async () => {
      const source = Readable.from([enc('ab'), enc('c|d'), enc('ef|'), enc('ghi')], {
        objectMode: false,
      });
      const reader = readerFromNodeReadable(source);
      expect(dec(await reader.readexactly(2))).toBe('ab');
      expect(dec(await reader.readuntil(enc('|')))).toBe('c|');
      expect(dec(await reader.readuntil([enc('!'), enc('|')]))).toBe('def|');
      await expect(reader.readexactly(5)).rejects.toMatchObject({
        name: 'IncompleteReadError',
        expected: 5,
      });
    });
  });

  it('pauses a fast Readable once the reader holds more than 2x limit, and resumes it', async () => {
    await run(async () => {
      let produced = 0;
      const source = new Readable({
        highWaterMark: 1024,
        read() {
          produced += 1024;
          this.push(Buffer.alloc(1024, 0x61));
        },
      });
      const limit = 4096;
      const reader = readerFromNodeReadable(source, { limit });
      await until(() => source.isPaused());
      const atPause = produced;
      for (let i = 0; i < 50; i++) await sleep(0);
      // Paused: nothing more is produced beyond Node's own small read-ahead.
      expect(produced).toBe(atPause);
      expect(produced).toBeLessThan(2 * limit + 4 * 1024 + source.readableHighWaterMark);
      // Reading drains the reader's buffer under the limit: the Readable flows again.
      const got = await reader.readexactly(64 * 1024);
      expect(got.every((b) => b === 0x61)).toBe(true);
      expect(produced).toBeGreaterThanOrEqual(64 * 1024);
      source.destroy();
    });
  });

  it('maps a Node system error to its OSError subclass', async () => {
    await run(async () => {
      const source = manual();
      const reader = readerFromNodeReadable(source);
      source.push(enc('partial'));
      source.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      await expect(reader.read()).rejects.toBeInstanceOf(ConnectionResetError);
      expect(reader.exception()).toBeInstanceOf(ConnectionResetError);
    });
  });

  it('a missing file gives FileNotFoundError from the read', async () => {
    await run(async () => {
      const reader = readerFromNodeReadable(createReadStream(join(dir, 'nope.txt')));
      const error = await reader.readline().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileNotFoundError);
      expect((error as OSError).filename).toBe(join(dir, 'nope.txt'));
    });
  });

  it('keeps an error that is not a system error as it is', async () => {
    await run(async () => {
      const source = manual();
      const reader = readerFromNodeReadable(source);
      const boom = new TypeError('bad chunk');
      source.destroy(boom);
      await expect(reader.read(10)).rejects.toBe(boom);
    });
  });

  it('a Readable destroyed without an error ends the data', async () => {
    await run(async () => {
      const source = manual();
      const reader = readerFromNodeReadable(source);
      source.push(enc('abc'));
      await until(() => source.readableLength === 0);
      source.destroy();
      expect(dec(await reader.read())).toBe('abc');
      expect(reader.atEof()).toBe(true);
    });
  });

  it('a Readable that already ended is at end of file at once', async () => {
    await run(async () => {
      const source = Readable.from([enc('x')], { objectMode: false });
      source.resume();
      await new Promise((resolve) => source.once('end', resolve));
      const reader = readerFromNodeReadable(source);
      expect(await reader.read()).toHaveLength(0);
      expect(reader.atEof()).toBe(true);
    });
  });

  it('a separator past the limit: LimitOverrunError, and the data stays readable', async () => {
    await run(async () => {
      const source = manual();
      const reader = readerFromNodeReadable(source, { limit: 10 });
      source.push(enc('hello world\n'));
      await expect(reader.readuntil(enc('\n'))).rejects.toMatchObject({
        name: 'LimitOverrunError',
      });
      source.push(null);
      expect(dec(await reader.read())).toBe('hello world\n');
    });
  });

  it('rejects what is not a byte Readable', () => {
    const what = (value: unknown) => () => readerFromNodeReadable(value as Readable);
    expect(what('text')).toThrow(TypeError);
    expect(what(new Writable())).toThrow(TypeError);
    const destroyed = manual();
    destroyed.destroy();
    expect(what(destroyed)).toThrow(ValueError);
    expect(what(Readable.from(['a']))).toThrow(/object mode/);
    const text = manual();
    text.setEncoding('utf8');
    expect(what(text)).toThrow(/setEncoding\('utf8'\)/);
    expect(() => readerFromNodeReadable(manual(), { limit: 0 })).toThrow(ValueError);
  });
});

describe('readerToNodeReadable', () => {
  it('yields what the reader reads, then ends', async () => {
    const out = await run(async () => {
      const reader = new StreamReader();
      const readable = readerToNodeReadable(reader);
      getRunningLoop().callSoon(() => {
        reader.feedData(enc('hello '));
        reader.feedData(enc('world'));
        reader.feedEof();
      });
      return collect(readable);
    });
    expect(out.toString()).toBe('hello world');
  });

  it('pulls at most chunkSize bytes at a time', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(Buffer.alloc(1000, 1));
      reader.feedEof();
      const sizes: number[] = [];
      for await (const chunk of readerToNodeReadable(reader, { chunkSize: 300 })) {
        sizes.push((chunk as Buffer).length);
      }
      expect(sizes).toEqual([300, 300, 300, 100]);
    });
  });

  it('destroys the Readable with the reader exception', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const readable = readerToNodeReadable(reader);
      const boom = new ConnectionResetError('reset by peer');
      getRunningLoop().callSoon(() => reader.setException(boom));
      await expect(collect(readable)).rejects.toBe(boom);
    });
  });

  it('destroying the Readable cancels its pending read and loses no bytes', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const readable = readerToNodeReadable(reader);
      readable.resume(); // flowing: a pull is pending on the empty reader
      await sleep(0);
      await sleep(0);
      readable.destroy();
      await sleep(0);
      reader.feedData(enc('kept'));
      expect(dec(await reader.read(4))).toBe('kept');
    });
  });

  it('fails the pull when no loop runs', async () => {
    const reader = new StreamReader();
    const readable = readerToNodeReadable(reader);
    await expect(collect(readable)).rejects.toThrow(/no running event loop/);
  });

  it('rejects a bad chunkSize', () => {
    expect(() => readerToNodeReadable(new StreamReader(), { chunkSize: 0 })).toThrow(ValueError);
    expect(() => readerToNodeReadable(new StreamReader(), { chunkSize: 1.5 })).toThrow(
      /chunkSize must be an integer > 0, got 1.5/,
    );
  });

  it('round trip: a file through a reader and back to a Node Readable (any chunking)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 700 }),
        async (bytes, pieceSize, chunkSize) => {
          const out = await run(async () => {
            const pieces: Buffer[] = [];
            for (let i = 0; i < bytes.length; i += pieceSize) {
              pieces.push(Buffer.from(bytes.subarray(i, i + pieceSize)));
            }
            const reader = readerFromNodeReadable(Readable.from(pieces, { objectMode: false }), {
              limit: 256,
            });
            return collect(readerToNodeReadable(reader, { chunkSize }));
          });
          expect(Buffer.compare(out, Buffer.from(bytes))).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** A tsio server that collects everything a client sends, then answers with its length. */
async function withCollector<T>(
  body: (port: number, received: Promise<Buffer>) => Promise<T>,
): Promise<T> {
  let gotAll!: (data: Buffer) => void;
  const received = new Promise<Buffer>((resolve) => (gotAll = resolve));
  const server = await startServer(async (reader, writer) => {
    const data = await reader.read();
    gotAll(Buffer.from(data));
    writer.write(enc(`${data.length}\n`));
    writer.close();
  }, '127.0.0.1');
  try {
    return await body(portOf(server), received);
  } finally {
    await closeServer(server);
  }
}

describe('writerToNodeWritable', () => {
  it('pipeline() from a file into a connection; end() sends end of file', async () => {
    const { path, data } = linesFile(5000);
    await run(() =>
      withCollector(async (port, received) => {
        const [reader, writer] = await openConnection('127.0.0.1', port);
        await pipeline(createReadStream(path), writerToNodeWritable(writer));
        expect(Buffer.compare(await received, data)).toBe(0);
        expect(dec(await reader.readline())).toBe(`${data.length}\n`);
        writer.close();
        await writer.waitClosed();
      }),
    );
  });

  it('write() waits for drain(): Node backpressure follows the transport', async () => {
    await run(async () => {
      const sink = new PassThrough({ highWaterMark: 1024 });
      const writer = await writerFromNodeWritable(sink);
      writer.transport.setWriteBufferLimits({ high: 4096 });
      const writable = writerToNodeWritable(writer);
      let written = 0;
      const chunk = Buffer.alloc(1024, 0x62);
      // Nobody reads `sink`: the writes stall once the transport's buffer passes 4 KiB.
      const write = (): void => {
        while (writable.write(chunk)) written += chunk.length;
        written += chunk.length;
      };
      write();
      for (let i = 0; i < 50; i++) await sleep(0);
      expect(writable.writableNeedDrain).toBe(true);
      expect(written).toBeLessThan(64 * 1024);
      const drained = new Promise((resolve) => writable.once('drain', resolve));
      const reader = readerFromNodeReadable(sink);
      await reader.readexactly(written);
      await drained;
      writable.end();
      await new Promise((resolve) => writable.once('finish', resolve));
      expect(await reader.read()).toHaveLength(0);
    });
  });

  it('writing after the connection is lost fails with its error', async () => {
    await run(() =>
      withCollector(async (port) => {
        const [, writer] = await openConnection('127.0.0.1', port);
        writer.close();
        await writer.waitClosed();
        const writable = writerToNodeWritable(writer);
        const failed = new Promise<unknown>((resolve) => writable.once('error', resolve));
        writable.write(enc('too late'));
        expect(await failed).toBeInstanceOf(ConnectionResetError);
        expect(writable.destroyed).toBe(true);
      }),
    );
  });

  it('destroy() closes the writer after flushing', async () => {
    await run(() =>
      withCollector(async (port, received) => {
        const [, writer] = await openConnection('127.0.0.1', port);
        const writable = writerToNodeWritable(writer);
        writable.write(enc('last words'));
        writable.destroy();
        expect(writer.isClosing()).toBe(true);
        expect((await received).toString()).toBe('last words');
        await writer.waitClosed();
      }),
    );
  });
});

describe('writerFromNodeWritable', () => {
  it('writes to a Node Writable; close() ends it and waitClosed() resolves', async () => {
    await run(async () => {
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      });
      const writer: StreamWriter = await writerFromNodeWritable(sink);
      expect(writer.getExtraInfo('pipe')).toBe(sink);
      writer.write(enc('one\n'));
      writer.writelines([enc('two\n'), enc('three\n')]);
      await writer.drain();
      writer.close();
      await writer.waitClosed();
      expect(Buffer.concat(chunks).toString()).toBe('one\ntwo\nthree\n');
      expect(sink.writableFinished || sink.destroyed).toBe(true);
    });
  });

  it('round trip over a PassThrough: a writer to a reader', async () => {
    await run(async () => {
      const pipe = new PassThrough();
      const writer = await writerFromNodeWritable(pipe);
      const reader = readerFromNodeReadable(pipe);
      for (let i = 0; i < 100; i++) {
        writer.write(enc(`message ${i}\n`));
        await writer.drain();
      }
      writer.writeEof();
      const lines: string[] = [];
      for await (const line of reader) lines.push(dec(line));
      expect(lines).toHaveLength(100);
      expect(lines[99]).toBe('message 99\n');
    });
  });

  it('drain() fails once the Writable fails', async () => {
    await run(async () => {
      const sink = new Writable({
        write(_chunk, _encoding, callback) {
          callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        },
      });
      const writer = await writerFromNodeWritable(sink);
      writer.write(enc('x'));
      await until(() => writer.isClosing());
      await expect(writer.drain()).rejects.toBeInstanceOf(ConnectionResetError);
      await expect(writer.waitClosed()).rejects.toMatchObject({ name: 'BrokenPipeError' });
    });
  });

  it('rejects what is not an open Writable', async () => {
    await run(async () => {
      await expect(writerFromNodeWritable('out' as unknown as Writable)).rejects.toThrow(TypeError);
      const ended = new PassThrough();
      ended.end();
      await expect(writerFromNodeWritable(ended)).rejects.toThrow(ValueError);
    });
  });
});
