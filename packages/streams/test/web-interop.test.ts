import { PassThrough } from 'node:stream';
import { ReadableStream, TextDecoderStream, WritableStream } from 'node:stream/web';
import { describe, expect, it } from '@jest/globals';
import { ConnectionResetError, ValueError, getRunningLoop } from '@tsio/core';
import { sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import {
  StreamReader,
  openConnection,
  readerFromNodeReadable,
  readerFromWebStream,
  readerToWebStream,
  startServer,
  writerFromNodeWritable,
  writerFromWebStream,
  writerToWebStream,
} from '../src/index.js';
import { closeServer, dec, enc, portOf } from './helpers/connection-helpers.js';

/** A web stream of `chunks`, then its end. */
function webStreamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

async function collectWeb(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  for await (const piece of stream.pipeThrough(new TextDecoderStream())) text += piece;
  return text;
}

describe('readerFromWebStream', () => {
  it('reads lines split across web stream chunks', async () => {
    await run(async () => {
      const reader = readerFromWebStream(webStreamOf([enc('one\ntw'), enc('o\nthr'), enc('ee')]));
      const lines: string[] = [];
      for await (const line of reader) lines.push(dec(line));
      expect(lines).toEqual(['one\n', 'two\n', 'three']);
    });
  });

  it('stops pulling the web stream while the reader is over 2x limit', async () => {
    await run(async () => {
      let pulls = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulls += 1;
          controller.enqueue(new Uint8Array(1024).fill(0x63));
        },
      });
      const reader = readerFromWebStream(stream, { limit: 2048 });
      for (let i = 0; i < 200; i++) await sleep(0);
      const stalled = pulls;
      for (let i = 0; i < 100; i++) await sleep(0);
      expect(pulls).toBe(stalled);
      expect(pulls).toBeLessThan(64);
      const data = await reader.readexactly(100 * 1024);
      expect(data.every((b) => b === 0x63)).toBe(true);
      expect(pulls).toBeGreaterThan(stalled);
    });
  });

  it('the web stream error is the reader exception', async () => {
    await run(async () => {
      const boom = new Error('upstream failed');
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(enc('a'));
          controller.error(boom);
        },
      });
      const reader = readerFromWebStream(stream);
      await expect(reader.read()).rejects.toBe(boom);
    });
  });

  it('rejects what is not a ReadableStream, and a locked one', () => {
    expect(() => readerFromWebStream('x' as unknown as ReadableStream<Uint8Array>)).toThrow(
      TypeError,
    );
    const locked = webStreamOf([]);
    locked.getReader();
    expect(() => readerFromWebStream(locked)).toThrow(/locked/);
  });
});

describe('readerToWebStream', () => {
  it('streams the reader bytes, then closes', async () => {
    const text = await run(async () => {
      const reader = new StreamReader();
      getRunningLoop().callSoon(() => {
        reader.feedData(enc('héllo '));
        reader.feedData(enc('wörld'));
        reader.feedEof();
      });
      return collectWeb(readerToWebStream(reader, { chunkSize: 3 }));
    });
    expect(text).toBe('héllo wörld');
  });

  it('reads nothing ahead: the reader keeps what nobody asked for', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('abcdef'));
      const stream = readerToWebStream(reader, { chunkSize: 2 });
      const web = stream.getReader();
      expect(dec((await web.read()).value!)).toBe('ab');
      for (let i = 0; i < 10; i++) await sleep(0);
      web.releaseLock();
      expect(dec(await reader.read(100))).toBe('cdef');
    });
  });

  it('errors the stream with the reader exception', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const boom = new ConnectionResetError('reset');
      getRunningLoop().callSoon(() => reader.setException(boom));
      await expect(collectWeb(readerToWebStream(reader))).rejects.toBe(boom);
    });
  });

  it('cancelling the stream cancels the pending read and loses no bytes', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const web = readerToWebStream(reader).getReader();
      const pending = web.read();
      await sleep(0);
      await sleep(0);
      await web.cancel();
      expect((await pending).done).toBe(true);
      await sleep(0);
      reader.feedData(enc('still here'));
      expect(dec(await reader.read(100))).toBe('still here');
    });
  });

  it('rejects a bad chunkSize', () => {
    expect(() => readerToWebStream(new StreamReader(), { chunkSize: -1 })).toThrow(ValueError);
  });
});

describe('writerToWebStream', () => {
  it('pipeTo() through a socket: an echo round trip with web streams', async () => {
    await run(async () => {
      const server = await startServer(async (reader, writer) => {
        await readerToWebStream(reader).pipeTo(writerToWebStream(writer));
        writer.close();
      }, '127.0.0.1');
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      const body = Array.from({ length: 1000 }, (_, i) => `chunk ${i};`);
      const sending = webStreamOf(body.map(enc)).pipeTo(writerToWebStream(writer));
      const echoed = collectWeb(readerToWebStream(reader));
      await sending; // close() sent end of file (writeEof)
      expect(await echoed).toBe(body.join(''));
      writer.close();
      await writer.waitClosed();
      await closeServer(server);
    });
  });

  it('writing after the connection is lost errors the web stream', async () => {
    await run(async () => {
      const server = await startServer((_reader, writer) => writer.close(), '127.0.0.1');
      const [, writer] = await openConnection('127.0.0.1', portOf(server));
      writer.close();
      await writer.waitClosed();
      const web = writerToWebStream(writer).getWriter();
      await expect(web.write(enc('x'))).rejects.toBeInstanceOf(ConnectionResetError);
      await closeServer(server);
    });
  });

  it('abort() closes the writer', async () => {
    await run(async () => {
      const pipe = new PassThrough();
      const writer = await writerFromNodeWritable(pipe);
      const reader = readerFromNodeReadable(pipe);
      const web = writerToWebStream(writer).getWriter();
      await web.write(enc('bye'));
      await web.abort(new Error('stop'));
      expect(writer.isClosing()).toBe(true);
      expect(dec(await reader.read())).toBe('bye');
    });
  });
});

describe('writerFromWebStream', () => {
  it('writes to a WritableStream; close() closes it', async () => {
    await run(async () => {
      const chunks: Uint8Array[] = [];
      let closed = false;
      const sink = new WritableStream<Uint8Array>({
        write(chunk) {
          chunks.push(chunk);
        },
        close() {
          closed = true;
        },
      });
      const writer = await writerFromWebStream(sink);
      writer.write(enc('a'));
      writer.writelines([enc('b'), enc('c')]);
      await writer.drain();
      writer.close();
      await writer.waitClosed();
      expect(dec(Buffer.concat(chunks))).toBe('abc');
      expect(closed).toBe(true);
    });
  });

  it('rejects what is not a WritableStream', async () => {
    await run(async () => {
      await expect(
        writerFromWebStream({} as unknown as WritableStream<Uint8Array>),
      ).rejects.toThrow(TypeError);
    });
  });
});
