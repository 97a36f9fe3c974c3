import type net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionResetError,
  RuntimeError,
  getRunningLoop,
} from '@tsio/core';
import type { Transport } from '@tsio/core';
import { sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { StreamWriter, openConnection, startServer } from '../src/index.js';
import type { StreamReader } from '../src/index.js';
import {
  CA,
  LOCALHOST,
  NodePeer,
  closeServer,
  dec,
  enc,
  portOf,
  readAll,
  recordExceptions,
} from './helpers/connection-helpers.js';

/** Runs `body` with a writer connected to a fresh Node peer. */
async function withPeer(
  body: (reader: StreamReader, writer: StreamWriter, peer: NodePeer) => Promise<void>,
  onConnection?: (socket: net.Socket) => void,
): Promise<void> {
  const peer = await new NodePeer(onConnection).listen();
  try {
    await run(async () => {
      const [reader, writer] = await openConnection('127.0.0.1', peer.port);
      await body(reader, writer, peer);
    });
  } finally {
    await peer.close();
  }
}

describe('StreamWriter', () => {
  it('write, writelines, writeEof: the peer gets it all, then end of file', async () => {
    await withPeer(async (reader, writer, peer) => {
      const socket = await peer.accepted();
      const received = readAll(socket);
      expect(writer.canWriteEof()).toBe(true);
      writer.write(enc('one '));
      writer.writelines([enc('two '), enc(''), enc('three')]);
      await writer.drain();
      writer.writeEof();
      expect(await received).toBe('one two three');
      expect(() => writer.write(enc('late'))).toThrow(RuntimeError);
      // Half-closed: reading goes on.
      socket.end('reply');
      expect(dec(await reader.read())).toBe('reply');
      writer.close();
      await writer.waitClosed();
    });
  });

  it('write() of something else than bytes is a TypeError from the transport', async () => {
    await withPeer(async (_reader, writer) => {
      expect(() => writer.write('text' as unknown as Uint8Array)).toThrow(TypeError);
      expect(() => writer.writelines(['text' as unknown as Uint8Array])).toThrow(TypeError);
      writer.close();
      await writer.waitClosed();
    });
  });

  it('transport, getExtraInfo, isClosing, toString', async () => {
    await withPeer(async (reader, writer, peer) => {
      const transport = writer.transport as Transport;
      expect(transport.getWriteBufferSize()).toBe(0);
      expect(writer.getExtraInfo('peername')).toEqual(['127.0.0.1', peer.port]);
      expect(writer.getExtraInfo('no such thing')).toBeNull();
      expect(writer.getExtraInfo('no such thing', 42)).toBe(42);
      expect(writer.getExtraInfo('sslcontext')).toBeNull();
      expect(String(writer)).toMatch(/^<StreamWriter transport=.* reader=.*>$/);
      expect(writer.isClosing()).toBe(false);
      writer.close();
      writer.close(); // twice: nothing more
      expect(writer.isClosing()).toBe(true);
      await writer.waitClosed();
      expect(reader.atEof()).toBe(true);
    });
  });

  it('drain() resolves at once while not paused, with one shared promise', async () => {
    await withPeer(async (_reader, writer) => {
      writer.write(enc('x'));
      const first = writer.drain();
      expect(writer.drain()).toBe(first);
      await first;
      writer.close();
      await writer.waitClosed();
    });
  });

  it('writes after close() are dropped; drain() then throws ConnectionResetError (test_async_writer_api_exception_after_close)', async () => {
    await withPeer(async (_reader, writer, peer) => {
      const seen = recordExceptions(getRunningLoop());
      const received = readAll(await peer.accepted());
      writer.write(enc('before'));
      writer.close();
      writer.write(enc('dropped'));
      await expect(writer.drain()).rejects.toThrow(new ConnectionResetError('Connection lost'));
      await writer.waitClosed();
      writer.write(enc('dropped too'));
      await expect(writer.drain()).rejects.toBeInstanceOf(ConnectionResetError);
      expect(await received).toBe('before');
      expect(seen).toEqual([]);
    });
  });

  it('a write/drain loop ends when the peer closes (test_drain_raises)', async () => {
    await withPeer(
      async (_reader, writer) => {
        const seen = recordExceptions(getRunningLoop());
        const error = await (async () => {
          for (;;) {
            writer.write(enc('foo\n'));
            await writer.drain();
          }
        })().catch((e: unknown) => e);
        expect(
          error instanceof ConnectionResetError ||
            error instanceof BrokenPipeError ||
            error instanceof ConnectionAbortedError,
        ).toBe(true);
        expect(seen).toEqual([]);
      },
      (socket) => socket.destroy(),
    );
  });

  it("drain() throws the reader's exception", async () => {
    await withPeer(async (reader, writer) => {
      const failure = new RuntimeError('broken reader');
      reader.setException(failure);
      await expect(writer.drain()).rejects.toBe(failure);
      writer.close();
      await writer.waitClosed();
    });
  });

  it('drain() throws ConnectionResetError once the peer reset the connection', async () => {
    await withPeer(async (reader, writer, peer) => {
      (await peer.accepted()).resetAndDestroy();
      await expect(reader.read()).rejects.toBeInstanceOf(ConnectionResetError);
      await expect(writer.drain()).rejects.toBeInstanceOf(ConnectionResetError);
      await expect(writer.waitClosed()).rejects.toBeInstanceOf(ConnectionResetError);
    });
  });

  it('a slow reader: awaiting drain() keeps the write buffer near the high mark, all bytes arrive', async () => {
    const CHUNK = 64 * 1024;
    const TOTAL = 20 * 1024 * 1024;
    let received = 0;
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    // The peer reads one chunk, then pauses for a while.
    const onConnection = (socket: net.Socket): void => {
      socket.on('data', (data: Buffer) => {
        received += data.length;
        socket.pause();
        setTimeout(() => socket.resume(), 2);
      });
      socket.on('end', () => {
        socket.end();
        resolveDone();
      });
    };
    await withPeer(async (_reader, writer) => {
      const transport = writer.transport as Transport;
      const [, high] = transport.getWriteBufferLimits();
      const chunk = new Uint8Array(CHUNK).fill(120);
      let maxBuffered = 0;
      let paused = 0;
      for (let sent = 0; sent < TOTAL; sent += CHUNK) {
        writer.write(chunk);
        const size = transport.getWriteBufferSize();
        if (size > maxBuffered) maxBuffered = size;
        if (size > high) paused += 1;
        await writer.drain();
        expect(transport.getWriteBufferSize()).toBeLessThanOrEqual(high);
      }
      writer.writeEof();
      await done;
      expect(received).toBe(TOTAL);
      // Bounded: at most one chunk above the high-water mark, however much was written.
      expect(maxBuffered).toBeLessThanOrEqual(high + CHUNK);
      expect(paused).toBeGreaterThan(0); // drain() really waited
      writer.close();
      await writer.waitClosed();
    }, onConnection);
  }, 60_000);

  it('startTls upgrades both ends of a stream connection (test_start_tls)', async () => {
    await run(async () => {
      const seen = recordExceptions(getRunningLoop());
      const server = await startServer(
        async (reader, writer) => {
          const line1 = await reader.readline();
          writer.write(line1);
          await writer.drain();
          expect(writer.getExtraInfo('sslcontext')).toBeNull();
          await writer.startTls(LOCALHOST);
          expect(writer.getExtraInfo('sslcontext')).not.toBeNull();
          const line2 = await reader.readline();
          writer.write(line2);
          await writer.drain();
          writer.close();
          await writer.waitClosed();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      const plain = writer.transport;
      writer.write(enc('hello world 1!\n'));
      await writer.drain();
      expect(dec(await reader.readline())).toBe('hello world 1!\n');
      await writer.startTls({ ca: CA }, { serverHostname: 'localhost' });
      expect(writer.transport).not.toBe(plain);
      expect(writer.getExtraInfo('sslcontext')).not.toBeNull();
      writer.write(enc('hello world 2!\n'));
      await writer.drain();
      expect(dec(await reader.readline())).toBe('hello world 2!\n');
      expect(await reader.read()).toEqual(new Uint8Array(0));
      writer.close();
      await writer.waitClosed();
      await closeServer(server);
      expect(seen).toEqual([]);
    });
  });

  it('after startTls the reader pauses and resumes the TLS transport (read flow control)', async () => {
    await run(async () => {
      const server = await startServer(
        async (reader, writer) => {
          await writer.startTls(LOCALHOST);
          writer.write(new Uint8Array(16 * 1024).fill(97));
          await writer.drain();
          await reader.readline(); // the client's go-ahead
          writer.close();
          await writer.waitClosed();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server), { limit: 1024 });
      await writer.startTls({ ca: CA }, { serverHostname: 'localhost' });
      const secure = writer.transport as Transport;
      // Above twice the limit the reader pauses the new transport; wait until it did.
      for (let i = 0; i < 500 && secure.isReading(); i += 1) await sleep(0.01);
      expect(secure.isClosing()).toBe(false);
      expect(secure.isReading()).toBe(false);
      expect((await reader.readexactly(16 * 1024)).every((b) => b === 97)).toBe(true);
      expect(secure.isReading()).toBe(true); // resumed by the read
      writer.write(enc('done\n'));
      expect(await reader.read()).toEqual(new Uint8Array(0));
      writer.close();
      await writer.waitClosed();
      await closeServer(server);
    });
  });

  it('startTls without serverHostname on the client side is a ValueError', async () => {
    await withPeer(async (_reader, writer) => {
      await expect(writer.startTls({ ca: CA })).rejects.toMatchObject({ name: 'ValueError' });
      writer.close();
      await writer.waitClosed();
    });
  });

  it('await using: closes and waits; a lost connection does not throw from it', async () => {
    await withPeer(async (reader, writer, peer) => {
      const received = readAll(await peer.accepted());
      {
        await using w = writer;
        w.write(enc('bye'));
      }
      expect(writer.isClosing()).toBe(true);
      expect(reader.atEof()).toBe(true);
      expect(await received).toBe('bye');
    });
    await withPeer(async (reader, writer, peer) => {
      (await peer.accepted()).resetAndDestroy();
      await expect(reader.read()).rejects.toBeInstanceOf(ConnectionResetError);
      await writer[Symbol.asyncDispose]();
    });
  });

  it('can be constructed directly over a transport and protocol', async () => {
    await withPeer(async (reader, writer) => {
      // A second writer over the same transport, without a reader.
      const loop = getRunningLoop();
      const other = new StreamWriter(
        writer.transport,
        (writer.transport as Transport).getProtocol() as ConstructorParameters<
          typeof StreamWriter
        >[1],
        null,
        loop,
      );
      expect(String(other)).not.toContain('reader=');
      other.close();
      await other.waitClosed();
      expect(reader.atEof()).toBe(true);
    });
  });
});
