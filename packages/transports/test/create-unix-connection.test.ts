import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConnectionRefusedError, FileNotFoundError, getRunningLoop, ValueError } from '@tsio/core';
import { run } from '@tsio/policies';
import {
  NodePeer,
  RecordingProtocol,
  expectEcho,
  expectRejectedBeforeIo,
  readAll,
  tempSocketPath,
} from './helpers/socket-peer.js';

let peer: NodePeer;
let socketPath: string;
beforeEach(async () => {
  socketPath = tempSocketPath();
  peer = await new NodePeer().listen({ path: socketPath });
});
afterEach(async () => {
  await peer.close();
  fs.rmSync(socketPath, { force: true });
});

describe('createUnixConnection', () => {
  it('echoes over a Unix socket; peername is the path, sockname is unbound', async () => {
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createUnixConnection(
        () => new RecordingProtocol(),
        socketPath,
      );
      await expectEcho(peer, tr, pr, 'over unix');
      expect(tr.getExtraInfo('peername')).toBe(socketPath);
      expect(tr.getExtraInfo('sockname')).toBe('');
      expect(tr.getExtraInfo('socket')).toBeInstanceOf(net.Socket);
      tr.close();
      expect(await pr.lost).toBeNull();
      expect(pr.events).toEqual(['made', 'data', 'lost']);
    });
  });

  it('half-close works over a Unix socket', async () => {
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createUnixConnection(
        () => new RecordingProtocol(true),
        socketPath,
      );
      const server = await peer.accepted();
      const all = readAll(server);
      server.end('done?');
      await pr.eof;
      tr.write(Buffer.from('not yet'));
      tr.writeEof();
      expect((await all).toString()).toBe('not yet');
      tr.close();
      await pr.lost;
    });
  });

  it('a missing path -> FileNotFoundError', async () => {
    await run(async () => {
      const attempt = getRunningLoop().createUnixConnection(
        () => new RecordingProtocol(),
        `${socketPath}.missing`,
      );
      await expect(attempt).rejects.toThrow(FileNotFoundError);
    });
  });

  it('a stale socket file (no listener) -> ConnectionRefusedError', async () => {
    const stale = tempSocketPath();
    // A process that dies without cleaning up leaves its socket file behind.
    spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    try {
      if (!fs.existsSync(stale)) {
        console.warn('could not leave a stale socket file: test skipped');
        return;
      }
      await run(async () => {
        const attempt = getRunningLoop().createUnixConnection(() => new RecordingProtocol(), stale);
        await expect(attempt).rejects.toThrow(ConnectionRefusedError);
      });
    } finally {
      fs.rmSync(stale, { force: true });
    }
  });

  it('sock: wraps a connected Unix socket', async () => {
    const sock = net.connect(socketPath);
    await new Promise((resolve) => sock.once('connect', resolve));
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createUnixConnection(
        () => new RecordingProtocol(),
        null,
        { sock },
      );
      const server = await peer.accepted();
      server.write('hi');
      await pr.waitForBytes(2);
      tr.close();
      await pr.lost;
    });
  });

  it.each([
    ['path not a string', 42, undefined, TypeError, /path must be a string/],
    ['empty path', '', undefined, ValueError, /path must not be empty/],
    ['path with NUL', 'a\0b', undefined, ValueError, /NUL/],
    ['no path, no sock', null, undefined, ValueError, /no path and sock were specified/],
    [
      'path and sock',
      '/tmp/x',
      { sock: new net.Socket() },
      ValueError,
      /path and sock can not be specified/,
    ],
    [
      'unknown option',
      '/tmp/x',
      { host: 'x' },
      TypeError,
      /unknown option 'host'; valid options are: ssl, serverHostname, sock/,
    ],
    [
      'serverHostname without ssl',
      '/tmp/x',
      { serverHostname: 'x' },
      ValueError,
      /serverHostname is only meaningful with ssl/,
    ],
    ['ssl without serverHostname', '/tmp/x', { ssl: true }, ValueError, /serverHostname/],
  ] as const)('bad arguments: %s', async (_name, path, options, cls, message) => {
    await run(() =>
      expectRejectedBeforeIo(
        (factory) =>
          getRunningLoop().createUnixConnection(
            factory,
            path as string,
            options as Record<string, unknown> | undefined,
          ),
        cls,
        message,
      ),
    );
  });
});
