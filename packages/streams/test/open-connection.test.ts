import { afterEach, describe, expect, it } from '@jest/globals';
import {
  ConnectionRefusedError,
  ConnectionResetError,
  IncompleteReadError,
  ValueError,
  getRunningLoop,
} from '@tsio/core';
import { run } from '@tsio/policies';
import { openConnection, openUnixConnection, startServer, startUnixServer } from '../src/index.js';
import type { StreamReader, StreamWriter } from '../src/index.js';
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
  removeSocketDirs,
  socketPath,
} from './helpers/connection-helpers.js';
import tls from 'node:tls';
import type net from 'node:net';

afterEach(removeSocketDirs);

/** Echoes every chunk back until end of file, then closes. */
async function echo(reader: StreamReader, writer: StreamWriter): Promise<void> {
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    await writer.drain();
  }
  writer.close();
  await writer.waitClosed();
}

/** readline, readexactly and readuntil over an echo connection. */
async function talk(reader: StreamReader, writer: StreamWriter): Promise<string[]> {
  const got: string[] = [];
  writer.write(enc('hello world!\n'));
  got.push(dec(await reader.readline()));
  writer.writelines([enc('abc'), enc('defgh')]);
  await writer.drain();
  got.push(dec(await reader.readexactly(5)));
  got.push(dec(await reader.readexactly(3)));
  writer.write(enc('one\r\ntwo\r\n'));
  got.push(dec(await reader.readuntil(enc('\r\n'))));
  got.push(dec(await reader.readuntil(enc('\r\n'))));
  writer.writeEof();
  got.push(dec(await reader.read()));
  expect(reader.atEof()).toBe(true);
  writer.close();
  await writer.waitClosed();
  return got;
}
const TALK = ['hello world!\n', 'abcde', 'fgh', 'one\r\n', 'two\r\n', ''];

describe('openConnection', () => {
  it('talks to an echo server over 127.0.0.1 (test_open_connection)', async () => {
    await run(async () => {
      const seen = recordExceptions(getRunningLoop());
      const server = await startServer(echo, '127.0.0.1', 0);
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      expect(writer.getExtraInfo('peername')).toEqual(['127.0.0.1', portOf(server)]);
      expect(await talk(reader, writer)).toEqual(TALK);
      await closeServer(server);
      expect(seen).toEqual([]);
    });
  });

  it('talks to an echo server over ::1', async () => {
    await run(async () => {
      const server = await startServer(echo, '::1', 0);
      const [reader, writer] = await openConnection('::1', portOf(server));
      expect(await talk(reader, writer)).toEqual(TALK);
      await closeServer(server);
    });
  });

  it('reads what a Node server sends, then end of file', async () => {
    const peer = await new NodePeer((s) => s.end('line 1\nline 2\npartial')).listen();
    try {
      await run(async () => {
        const [reader, writer] = await openConnection('127.0.0.1', peer.port);
        expect(dec(await reader.readline())).toBe('line 1\n');
        expect(dec(await reader.readuntil(enc('\n')))).toBe('line 2\n');
        const error = await reader.readexactly(100).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IncompleteReadError);
        expect(dec((error as IncompleteReadError).partial)).toBe('partial');
        expect((error as IncompleteReadError).expected).toBe(100);
        writer.close();
        await writer.waitClosed();
      });
    } finally {
      await peer.close();
    }
  });

  it('passes limit to the reader', async () => {
    const peer = await new NodePeer((s) => s.end('x'.repeat(100) + '\n')).listen();
    try {
      await run(async () => {
        const [reader, writer] = await openConnection('127.0.0.1', peer.port, { limit: 10 });
        await expect(reader.readline()).rejects.toMatchObject({ name: 'ValueError' });
        writer.close();
        await writer.waitClosed();
      });
    } finally {
      await peer.close();
    }
  });

  it('checks limit and options before any I/O', async () => {
    const peer = await new NodePeer().listen();
    try {
      await run(async () => {
        const port = peer.port;
        await expect(openConnection('127.0.0.1', port, { limit: 0 })).rejects.toThrow(
          new ValueError('Limit cannot be <= 0'),
        );
        await expect(openConnection('127.0.0.1', port, { limit: -1 })).rejects.toThrow(ValueError);
        await expect(
          openConnection('127.0.0.1', port, { limit: 'big' as unknown as number }),
        ).rejects.toThrow(TypeError);
        await expect(
          openConnection('127.0.0.1', port, null as unknown as { limit: number }),
        ).rejects.toThrow(TypeError);
        await expect(
          openConnection('127.0.0.1', port, { nope: 1 } as unknown as { limit: number }),
        ).rejects.toThrow(TypeError);
      });
      expect(peer.sockets).toHaveLength(0);
    } finally {
      await peer.close();
    }
  });

  it('rejects with ConnectionRefusedError when nobody listens (test_open_connection_error)', async () => {
    const peer = await new NodePeer().listen();
    const port = peer.port;
    await peer.close();
    await run(async () => {
      await expect(openConnection('127.0.0.1', port)).rejects.toBeInstanceOf(
        ConnectionRefusedError,
      );
    });
  });

  it('connects over TLS with ssl: { ca } (test_open_connection_no_loop_ssl)', async () => {
    const server = tls.createServer(LOCALHOST, (s) => s.pipe(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await run(async () => {
        const [reader, writer] = await openConnection('127.0.0.1', port, {
          ssl: { ca: CA },
          serverHostname: 'localhost',
        });
        expect(writer.getExtraInfo('sslcontext')).not.toBeNull();
        expect(writer.canWriteEof()).toBe(false);
        writer.write(enc('over tls\n'));
        await writer.drain();
        expect(dec(await reader.readline())).toBe('over tls\n');
        writer.close();
        await writer.waitClosed();
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a peer reset while reading: ConnectionResetError from the read and from drain()', async () => {
    const peer = await new NodePeer().listen();
    try {
      await run(async () => {
        const [reader, writer] = await openConnection('127.0.0.1', peer.port);
        const socket = await peer.accepted();
        const reading = reader.readline();
        socket.resetAndDestroy();
        await expect(reading).rejects.toBeInstanceOf(ConnectionResetError);
        expect(reader.exception()).toBeInstanceOf(ConnectionResetError);
        await expect(writer.drain()).rejects.toBeInstanceOf(ConnectionResetError);
        await expect(writer.waitClosed()).rejects.toBeInstanceOf(ConnectionResetError);
      });
    } finally {
      await peer.close();
    }
  });

  it('after close() and waitClosed(), the reader is at end of file (test_eof_feed_when_closing_writer)', async () => {
    const peer = await new NodePeer().listen();
    try {
      await run(async () => {
        const seen = recordExceptions(getRunningLoop());
        const [reader, writer] = await openConnection('127.0.0.1', peer.port);
        expect(writer.isClosing()).toBe(false);
        writer.close();
        expect(writer.isClosing()).toBe(true);
        await writer.waitClosed();
        expect(reader.atEof()).toBe(true);
        expect(await reader.read()).toEqual(new Uint8Array(0));
        expect(seen).toEqual([]);
      });
    } finally {
      await peer.close();
    }
  });

  it('waitClosed() resolves with unread data left (test_wait_closed_on_close_with_unread_data)', async () => {
    const peer = await new NodePeer((s) => s.write('line\nmore data\n')).listen();
    try {
      await run(async () => {
        const [reader, writer] = await openConnection('127.0.0.1', peer.port);
        expect(dec(await reader.readline())).toBe('line\n');
        writer.close();
        await writer.waitClosed();
        await writer.waitClosed(); // again: already closed
      });
    } finally {
      await peer.close();
    }
  });
});

describe('openUnixConnection', () => {
  it('talks to a Unix echo server (test_open_unix_connection)', async () => {
    await run(async () => {
      const path = socketPath();
      const server = await startUnixServer(echo, path);
      const [reader, writer] = await openUnixConnection(path);
      expect(await talk(reader, writer)).toEqual(TALK);
      await closeServer(server);
    });
  });

  it('checks limit before any I/O, and fails for a path nobody listens on', async () => {
    await run(async () => {
      const path = socketPath();
      await expect(openUnixConnection(path, { limit: 0 })).rejects.toThrow(ValueError);
      await expect(openUnixConnection(path)).rejects.toMatchObject({ name: 'FileNotFoundError' });
    });
  });

  it('a Node peer sees what the writer sends', async () => {
    const path = socketPath();
    const received: Promise<string>[] = [];
    const server = (await import('node:net')).createServer((s) => received.push(readAll(s)));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await run(async () => {
        const [, writer] = await openUnixConnection(path);
        writer.write(enc('to node'));
        writer.close();
        await writer.waitClosed();
      });
      expect(await received[0]).toBe('to node');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
