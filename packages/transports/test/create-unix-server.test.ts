import { existsSync, linkSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from '@jest/globals';
import { OSError, getRunningLoop } from '@tsio/core';
import type { Protocol } from '@tsio/core';
import { run } from '@tsio/policies';
import { CA, LOCALHOST } from './helpers/tls-helpers.js';
import {
  closeServer,
  connectClient,
  echoOnce,
  expectPingEchoed,
  firstData,
  readToEnd,
  recorders,
  tempSocketPath,
} from './helpers/server-helpers.js';

/** Leaves a socket file at `path` with no server behind it, as a crashed server would. */
async function makeStaleSocket(path: string): Promise<void> {
  const live = tempSocketPath('live');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(live, resolve));
  linkSync(live, path); // a second name of the socket, which closing does not remove
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('createUnixServer', () => {
  it('serves a Unix socket and removes its file on close (test_create_unix_server, cleanup_socket)', async () => {
    const path = tempSocketPath('unix');
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, made } = recorders(loop, true);
      const server = await loop.createUnixServer(factory, path);
      expect(server.isServing()).toBe(true);
      expect((server.sockets[0] as net.Server).address()).toBe(path);
      expect(String(server)).toBe(`<Server sockets=[${path}]>`);
      expect(lstatSync(path).isSocket()).toBe(true);
      expect(await echoOnce({ path: path }, 'unix')).toBe('unix');
      await closeServer(server);
      expect(existsSync(path)).toBe(false);
      expect(made[0]?.events).toEqual(['made', 'data:unix', 'eof', 'lost:null']);
    });
  });

  it('serves clients made with loop.createUnixConnection', async () => {
    const path = tempSocketPath('unix-conn');
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop, true);
      const server = await loop.createUnixServer(factory, path);
      await expectPingEchoed(loop, server, (factory) => loop.createUnixConnection(factory, path));
    });
  });

  it('removes a stale socket file before binding (test_create_unix_server_existing_path_sock)', async () => {
    const path = tempSocketPath('stale');
    await makeStaleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    await run(async () => {
      const { factory } = recorders(getRunningLoop(), true);
      const server = await getRunningLoop().createUnixServer(factory, path);
      expect(await echoOnce({ path: path }, 'fresh')).toBe('fresh');
      await closeServer(server);
    });
  });

  it('leaves a file that is not a socket and fails with EADDRINUSE (test_create_unix_server_existing_path_nonsock)', async () => {
    const path = tempSocketPath('regular');
    writeFileSync(path, 'not a socket');
    try {
      await run(async () => {
        const { factory } = recorders(getRunningLoop());
        const error = await getRunningLoop()
          .createUnixServer(factory, path)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OSError);
        expect((error as OSError).code).toBe('EADDRINUSE');
        expect((error as OSError).message).toBe(
          `Address ${JSON.stringify(path)} is already in use`,
        );
      });
      expect(lstatSync(path).isFile()).toBe(true);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('holds connections until startServing() with startServing: false', async () => {
    const path = tempSocketPath('later');
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, made } = recorders(loop, true);
      const server = await loop.createUnixServer(factory, path, { startServing: false });
      expect(server.isServing()).toBe(false);
      const client = await connectClient({ path });
      const echoed = firstData(client);
      client.write('held');
      expect(made).toHaveLength(0);
      await server.startServing();
      expect(await echoed).toBe('held');
      client.destroy();
      await made[0]?.lost;
      await closeServer(server);
    });
  });

  it('serves a listening net.Server given as sock', async () => {
    const path = tempSocketPath('sock');
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop, true);
      const sock = net.createServer();
      await new Promise<void>((resolve) => sock.listen(path, resolve));
      const server = await loop.createUnixServer(factory, null, { sock });
      expect(server.sockets).toEqual([sock]);
      expect(await echoOnce({ path: path }, 'given')).toBe('given');
      await closeServer(server);
      expect(sock.listening).toBe(false);
    });
  });

  it('serves TLS over a Unix socket', async () => {
    const path = tempSocketPath('tls');
    await run(async () => {
      const { factory, connected } = recorders(getRunningLoop(), true);
      const server = await getRunningLoop().createUnixServer(factory, path, { ssl: LOCALHOST });
      const node = tls.connect({ path, ca: CA, servername: 'localhost' });
      await new Promise<void>((resolve) => node.once('secureConnect', resolve));
      const echoed = firstData(node);
      node.write('sealed');
      expect(await echoed).toBe('sealed');
      const accepted = await connected(0);
      expect(accepted.transport?.getExtraInfo('sslcontext')).toBe(LOCALHOST);
      node.destroy();
      await accepted.lost;
      await closeServer(server);
    });
  });

  it('serves a Linux abstract socket', async () => {
    const name = `\0tsio-abstract-${process.pid}`;
    await run(async () => {
      const { factory } = recorders(getRunningLoop(), true);
      const server = await getRunningLoop().createUnixServer(factory, name);
      expect(String(server)).toBe(`<Server sockets=[@tsio-abstract-${process.pid}]>`);
      expect(await echoOnce({ path: name }, 'abstract')).toBe('abstract');
      await closeServer(server);
    });
  });

  it('removes the socket file even with cleanupSocket: false (libuv does; python-differences)', async () => {
    const path = tempSocketPath('nocleanup');
    await run(async () => {
      const { factory } = recorders(getRunningLoop());
      const server = await getRunningLoop().createUnixServer(factory, path, {
        cleanupSocket: false,
      });
      expect(existsSync(path)).toBe(true);
      await closeServer(server);
      expect(existsSync(path)).toBe(false);
    });
  });

  it('rejects bad input before any I/O', async () => {
    const path = tempSocketPath('bad');
    const sock = net.createServer();
    await new Promise<void>((resolve) => sock.listen(path, resolve));
    const tcp = net.createServer();
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const cases: [unknown, unknown?][] = [
      [5],
      [''],
      [null],
      [undefined, {}],
      [path, { sock }],
      [null, { sock: tcp }],
      [tempSocketPath('x'), { reusePort: true }],
      [tempSocketPath('x'), { sslShutdownTimeout: 3 }],
      [tempSocketPath('x'), { cleanupSocket: 'no' }],
    ];
    const results = await run(async () => {
      const loop = getRunningLoop();
      const out: string[] = [];
      for (const [where, options] of cases) {
        try {
          const server = await loop.createUnixServer(
            () => ({}) as Protocol,
            where as string,
            options as Record<string, unknown>,
          );
          await closeServer(server);
          out.push('created');
        } catch (error) {
          out.push(`${(error as Error).constructor.name}: ${(error as Error).message}`);
        }
      }
      return out;
    });
    sock.close();
    tcp.close();
    expect(results).toEqual([
      "TypeError: path must be a string naming a Unix socket, e.g. '/tmp/app.sock', got number 5",
      'ValueError: path must not be empty',
      'ValueError: path was not specified, and no sock specified',
      'ValueError: path was not specified, and no sock specified',
      'ValueError: path and sock can not be specified at the same time',
      'ValueError: sock must be a net.Server listening on a Unix socket path',
      expect.stringMatching(
        /^TypeError: createUnixServer\(\) got unknown option reusePort; valid options are sock, backlog, ssl, /,
      ),
      'ValueError: sslShutdownTimeout is only meaningful with ssl',
      'TypeError: cleanupSocket must be a boolean, got no',
    ]);
  });
});
