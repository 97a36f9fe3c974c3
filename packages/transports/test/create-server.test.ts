import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it, jest } from '@jest/globals';
import { OSError, ValueError, getRunningLoop } from '@tsio/core';
import type { Protocol } from '@tsio/core';
import { run } from '@tsio/policies';
import { GaiError } from '../src/index.js';
import { CA, LOCALHOST } from './helpers/tls-helpers.js';
import { hasReusePort } from '../src/internal/server-options.js';
import {
  addressOf,
  closeServer,
  connectClient,
  connectFails,
  echoOnce,
  expectPingEchoed,
  firstData,
  portOf,
  readToEnd,
  recorders,
} from './helpers/server-helpers.js';

const refusal = (error: unknown): string =>
  `${(error as Error).constructor.name}: ${(error as Error).message}`;

async function createFails(host: unknown, port: unknown, options?: unknown): Promise<string> {
  const loop = getRunningLoop();
  {
    try {
      const server = await loop.createServer(
        () => ({}) as Protocol,
        host as string,
        port as number,
        options as Record<string, unknown>,
      );
      await closeServer(server);
      return 'created';
    } catch (error) {
      return refusal(error);
    }
  }
}

describe('createServer', () => {
  it('serves one host on a free port, with each connection its own protocol', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, made } = recorders(loop, true);
      const server = await loop.createServer(factory, '127.0.0.1', 0);
      const port = portOf(server.sockets[0]);
      expect(await echoOnce({ host: '127.0.0.1', port }, 'one')).toBe('one');
      expect(await echoOnce({ host: '127.0.0.1', port }, 'two')).toBe('two');
      await closeServer(server);
      expect(made.map((p) => p.events)).toEqual([
        ['made', 'data:one', 'eof', 'lost:null'],
        ['made', 'data:two', 'eof', 'lost:null'],
      ]);
      const transport = made[0]?.transport;
      expect(transport?.getExtraInfo('sockname')).toEqual(['127.0.0.1', port]);
      expect(transport?.getExtraInfo('socket')).toBeInstanceOf(net.Socket);
    });
  });

  it('binds IPv6 only on ::1 (IPV6_V6ONLY, as asyncio)', async () => {
    await run(async () => {
      const { factory } = recorders(getRunningLoop(), true);
      const server = await getRunningLoop().createServer(factory, '::1', 0);
      expect(addressOf(server.sockets[0])).toMatch(/^::1:\d+$/);
      const port = portOf(server.sockets[0]);
      expect(await echoOnce({ host: '::1', port }, 'six')).toBe('six');
      await closeServer(server);
    });
  });

  it('binds each host of an array, each on its own free port (test_create_server_multiple_hosts)', async () => {
    await run(async () => {
      const { factory } = recorders(getRunningLoop(), true);
      const server = await getRunningLoop().createServer(factory, ['127.0.0.1', '::1'], 0);
      expect(server.sockets).toHaveLength(2);
      const [v4, v6] = server.sockets;
      expect(addressOf(v4)).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(addressOf(v6)).toMatch(/^::1:\d+$/);
      expect(await echoOnce({ host: '127.0.0.1', port: portOf(v4) }, 'a')).toBe('a');
      expect(await echoOnce({ host: '::1', port: portOf(v6) }, 'b')).toBe('b');
      expect(String(server)).toBe(
        `<Server sockets=[127.0.0.1:${portOf(v4)}, [::1]:${portOf(v6)}]>`,
      );
      await closeServer(server);
    });
  });

  it('binds every address of a name once, duplicates included once', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop);
      const expected = (await loop.getaddrinfo('localhost', 0, { type: 1 })) as [
        number,
        number,
        number,
        string,
        [string],
      ][];
      const addresses = [...new Set(expected.map((info) => info[4][0]))];
      const server = await loop.createServer(factory, ['localhost', '127.0.0.1', 'localhost'], 0);
      const bound = server.sockets.map((s) => (s as net.Server).address() as net.AddressInfo);
      expect(bound.map((a) => a.address).sort()).toEqual(
        [...new Set([...addresses, '127.0.0.1'])].sort(),
      );
      await closeServer(server);
    });
  });

  it('binds a given port on every host', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop, true);
      const probe = await loop.createServer(factory, '127.0.0.1', 0);
      const port = portOf(probe.sockets[0]);
      await closeServer(probe);
      const server = await loop.createServer(factory, ['127.0.0.1', '::1'], String(port));
      expect(server.sockets.map(portOf)).toEqual([port, port]);
      await closeServer(server);
    });
  });

  it('serves every interface when host is null or empty, IPv4 and IPv6 alike', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop, true);
      for (const host of [null, '', undefined]) {
        const server = await loop.createServer(factory, host, 0);
        expect(server.sockets).toHaveLength(1);
        const port = portOf(server.sockets[0]);
        expect(await echoOnce({ host: '127.0.0.1', port }, 'v4')).toBe('v4');
        expect(await echoOnce({ host: '::1', port }, 'v6')).toBe('v6');
        await closeServer(server);
      }
      const v4only = await loop.createServer(factory, null, 0, { family: 2 });
      expect(addressOf(v4only.sockets[0])).toMatch(/^0\.0\.0\.0:/);
      await closeServer(v4only);
      const v6only = await loop.createServer(factory, null, 0, { family: 6 });
      expect(addressOf(v6only.sockets[0])).toMatch(/^:::/);
      expect(await connectFails({ host: '127.0.0.1', port: portOf(v6only.sockets[0]) })).toBe(
        'ECONNREFUSED',
      );
      await closeServer(v6only);
    });
  });

  it('fails with EADDRINUSE on a port in use (test_create_server_addr_in_use)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop);
      const first = await loop.createServer(factory, '127.0.0.1', 0);
      const port = portOf(first.sockets[0]);
      const error = await loop.createServer(factory, '127.0.0.1', port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OSError);
      expect((error as OSError).code).toBe('EADDRINUSE');
      expect((error as OSError).message).toBe(
        `error while attempting to bind on address 127.0.0.1:${port}: listen eaddrinuse: address already in use 127.0.0.1:${port}`,
      );
      await closeServer(first);
    });
  });

  it('closes the servers already bound when a later host fails', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop);
      const blocker = await loop.createServer(factory, '127.0.0.1', 0);
      const port = portOf(blocker.sockets[0]);
      // ::1 binds first, then 127.0.0.1 fails: ::1 must be released again.
      const error = await loop
        .createServer(factory, ['::1', '127.0.0.1'], port)
        .catch((e: unknown) => e);
      expect((error as OSError).code).toBe('EADDRINUSE');
      const again = await loop.createServer(factory, '::1', port);
      expect(portOf(again.sockets[0])).toBe(port);
      await closeServer(again);
      await closeServer(blocker);
    });
  });

  it(`reusePort ${hasReusePort() ? 'lets two servers share a port' : 'is refused on this Node.js'}`, async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop);
      if (!hasReusePort()) {
        await expect(
          loop.createServer(factory, '127.0.0.1', 0, { reusePort: true }),
        ).rejects.toThrow(
          /^reusePort is not supported by this Node\.js version \(needs Node\.js >= 22\.12 or >= 23\.1/,
        );
        await expect(
          loop.createServer(factory, '127.0.0.1', 0, { reusePort: true }),
        ).rejects.toBeInstanceOf(ValueError);
        return;
      }
      const a = await loop.createServer(factory, '127.0.0.1', 0, { reusePort: true });
      const b = await loop.createServer(factory, '127.0.0.1', portOf(a.sockets[0]), {
        reusePort: true,
      });
      expect(portOf(b.sockets[0])).toBe(portOf(a.sockets[0]));
      await closeServer(a);
      await closeServer(b);
    });
  });

  it('tells which Node.js versions have reusePort', () => {
    expect(['20.20.2', '22.11.0', '23.0.0'].map((v) => hasReusePort(v))).toEqual([
      false,
      false,
      false,
    ]);
    expect(['22.12.0', '23.1.0', '24.0.0'].map((v) => hasReusePort(v))).toEqual([true, true, true]);
  });

  it('serves a listening net.Server given as sock, and closes it', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop, true);
      const sock = net.createServer();
      await new Promise<void>((resolve) => sock.listen(0, '127.0.0.1', resolve));
      const server = await loop.createServer(factory, null, null, { sock });
      expect(server.sockets).toEqual([sock]);
      expect(await echoOnce({ host: '127.0.0.1', port: portOf(sock) }, 'sock')).toBe('sock');
      await closeServer(server);
      expect(sock.listening).toBe(false);
    });
  });

  it('enables keep-alive on accepted connections with keepAlive', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, connected } = recorders(loop);
      const server = await loop.createServer(factory, '127.0.0.1', 0, {
        keepAlive: true,
        reuseAddress: true,
      });
      const client = await connectClient({ host: '127.0.0.1', port: portOf(server.sockets[0]) });
      const protocol = await connected(0);
      const socket = protocol.transport?.getExtraInfo('socket') as net.Socket;
      expect(socket).toBeInstanceOf(net.Socket);
      client.destroy();
      await protocol.lost;
      await closeServer(server);
    });
  });

  it('serves clients made with loop.createConnection', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop, true);
      const server = await loop.createServer(factory, '127.0.0.1', 0);
      await expectPingEchoed(loop, server, (factory) =>
        loop.createConnection(factory, '127.0.0.1', portOf(server.sockets[0])),
      );
    });
  });

  it('rejects bad input before any I/O', async () => {
    const cases: [unknown, unknown, unknown?][] = [
      [1, 0],
      [['127.0.0.1', 5], 0],
      [{}, 0],
      [[], 0],
      ['127.0.0.1', 'abc'],
      ['127.0.0.1', 99999],
      ['127.0.0.1', -1],
      ['127.0.0.1', 1.5],
      [null, null],
      ['127.0.0.1', 0, { bogus: 1, reuse_port: true }],
      ['127.0.0.1', 0, 'fast'],
      ['127.0.0.1', 0, { sslHandshakeTimeout: 1 }],
      ['127.0.0.1', 0, { ssl: true }],
      ['127.0.0.1', 0, { backlog: 'x' }],
      ['127.0.0.1', 0, { family: 3 }],
      ['127.0.0.1', 0, { reuseAddress: false }],
      ['127.0.0.1', 0, { startServing: 'yes' }],
      ['127.0.0.1', 0, { sock: net.createServer() }],
      [null, null, { sock: net.createServer() }],
      [null, null, { sock: {} }],
    ];
    const results = await run(async () => {
      const out: string[] = [];
      for (const [host, port, options] of cases) out.push(await createFails(host, port, options));
      return out;
    });
    expect(results).toEqual([
      'TypeError: host must be a string, an array of strings, or null (every interface), got number 1',
      "TypeError: host[1] must be a string such as '127.0.0.1', '::1' or 'example.com' (or null), got number 5",
      'TypeError: host must be a string, an array of strings, or null (every interface), got an object',
      'ValueError: host must not be an empty array; pass null to bind every interface',
      'ValueError: port must be an integer 0-65535 or a string of digits, got "abc"; service names are not supported',
      'ValueError: port must be an integer 0-65535, got 99999',
      'ValueError: port must be an integer 0-65535, got -1',
      'ValueError: port must be an integer 0-65535, got 1.5',
      'ValueError: Neither host/port nor sock were specified',
      expect.stringMatching(
        /^TypeError: createServer\(\) got unknown options bogus, reuse_port; valid options are family, flags, sock, backlog, ssl, reuseAddress, reusePort, keepAlive/,
      ),
      'TypeError: createServer() options must be an object, got fast',
      'ValueError: sslHandshakeTimeout is only meaningful with ssl',
      expect.stringMatching(/^ValueError: ssl: true is not enough for a server/),
      'TypeError: backlog must be an integer, got x',
      'ValueError: family must be 0 (any), 2 (AF_INET, or 4) or 10 (AF_INET6, or 6), got 3',
      expect.stringMatching(/^ValueError: reuseAddress: false is not supported/),
      'TypeError: startServing must be a boolean, got yes',
      'ValueError: sock must be a listening net.Server: call sock.listen(...) and wait for it first',
      'ValueError: sock must be a listening net.Server: call sock.listen(...) and wait for it first',
      'TypeError: sock must be a listening net.Server, got [object Object]',
    ]);
  });

  it('rejects sock together with host/port, and a factory that is not a function', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const sock = net.createServer();
      await new Promise<void>((resolve) => sock.listen(0, '127.0.0.1', resolve));
      await expect(
        loop.createServer(() => ({}) as Protocol, '127.0.0.1', 0, { sock }),
      ).rejects.toThrow('host/port and sock can not be specified at the same time');
      expect(sock.listening).toBe(true);
      await expect(loop.createServer('nope' as never, '127.0.0.1', 0)).rejects.toThrow(TypeError);
      sock.close();
    });
  });

  it('fails with GaiError for a name that does not resolve', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const error = await loop
        .createServer(() => ({}) as Protocol, 'no-such-host.invalid', 0)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GaiError);
      expect(error).toBeInstanceOf(OSError);
    });
  });

  it('serves TLS with ssl, with TLS extra info', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, connected } = recorders(loop, true);
      const server = await loop.createServer(factory, '127.0.0.1', 0, {
        ssl: LOCALHOST,
        sslHandshakeTimeout: 5,
      });
      const port = portOf(server.sockets[0]);
      const node = tls.connect({ host: '127.0.0.1', port, ca: CA, servername: 'localhost' });
      await new Promise<void>((resolve) => node.once('secureConnect', resolve));
      const echoed = firstData(node);
      node.write('node');
      expect(await echoed).toBe('node');
      const accepted = await connected(0);
      expect(accepted.transport?.getExtraInfo('sslcontext')).toBe(LOCALHOST);
      expect(accepted.transport?.getExtraInfo('ssl_object')).toBeInstanceOf(tls.TLSSocket);
      expect(accepted.transport?.getExtraInfo('peername')).toEqual(['127.0.0.1', node.localPort]);
      node.destroy();
      await accepted.lost;
      await closeServer(server);
    });
  });

  it('drops a client whose TLS handshake fails and keeps serving', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, made } = recorders(loop, true);
      const server = await loop.createServer(factory, '127.0.0.1', 0, { ssl: LOCALHOST });
      const port = portOf(server.sockets[0]);
      const plain = await connectClient({ host: '127.0.0.1', port });
      const ended = readToEnd(plain);
      plain.write('GET / HTTP/1.0\r\n\r\n');
      await ended;
      expect(made).toHaveLength(0);
      const node = tls.connect({ host: '127.0.0.1', port, ca: CA, servername: 'localhost' });
      await new Promise<void>((resolve) => node.once('secureConnect', resolve));
      node.destroy();
      await closeServer(server);
    });
  });
});
