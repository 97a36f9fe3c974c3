import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CancelledError,
  ConnectionAbortedError,
  getRunningLoop,
  RuntimeError,
  ValueError,
} from '@tsio/core';
import type { Transport as TransportContract } from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { SSLCertVerificationError, Transport } from '../src/index.js';
import {
  CA,
  closed,
  LOCALHOST,
  Peer,
  readBytes,
  Recorder,
  rejection,
  SELF_SIGNED,
} from './helpers/tls-helpers.js';

let peers: Peer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(peers.map((p) => p.close()));
  peers = [];
});

/**
 * A plain TCP peer speaking a STARTTLS-like protocol: it answers "STARTTLS\n" with "GO\n",
 * then runs the server side of TLS with `cert` (or stays silent with `null`), greets with
 * "welcome" right after the handshake, and echoes.
 */
async function starttlsPeer(cert: tls.SecureContextOptions | null = LOCALHOST): Promise<Peer> {
  const peer = await new Peer(null, (raw) => {
    raw.once('data', () => {
      raw.pause();
      raw.write('GO\n', () => {
        if (cert === null) return;
        const secure = new tls.TLSSocket(raw, { isServer: true, ...cert });
        secure.on('error', () => {});
        sockets.push(secure);
        secure.on('secure', () => {
          secure.write('welcome');
          secure.pipe(secure);
        });
      });
    });
  }).listen();
  peers.push(peer);
  return peer;
}

/** Connects a Recorder to `peer` in plain TCP and asks for TLS: resolves once "GO" came. */
async function connectAndAsk(peer: Peer): Promise<[TransportContract, Recorder]> {
  const [transport, protocol] = await getRunningLoop().createConnection(
    () => new Recorder(),
    '127.0.0.1',
    peer.port,
  );
  transport.write(Buffer.from('STARTTLS\n'));
  await protocol.waitForBytes(3);
  return [transport, protocol];
}

/**
 * A tsio server on 127.0.0.1 with one Recorder protocol that answers "STARTTLS\n" with "GO\n"
 * and upgrades to TLS as the server (LOCALHOST), writing `greeting` (if any) on the new
 * transport before `upgraded` resolves with it; and a Node client that asks for STARTTLS and
 * then starts its TLS handshake over the same socket.
 */
async function serveStarttls(greeting?: string) {
  const loop = getRunningLoop();
  const upgraded = loop.createFuture<TransportContract>();
  const protocol = new Recorder();
  const original = protocol.dataReceived.bind(protocol);
  protocol.dataReceived = (data) => {
    original(data);
    if (String(data) !== 'STARTTLS\n') return;
    const plain = protocol.transport!;
    plain.write(Buffer.from('GO\n'));
    createTask(async () => {
      const secure = await loop.startTls(plain, protocol, LOCALHOST, { serverSide: true });
      if (greeting !== undefined) secure.write(Buffer.from(greeting));
      upgraded.setResult(secure);
    });
  };
  const server = await loop.createServer(() => protocol, '127.0.0.1', 0);
  const port = (server.sockets[0] as { address(): net.AddressInfo }).address().port;
  const raw = net.connect(port, '127.0.0.1');
  sockets.push(raw);
  raw.write('STARTTLS\n');
  expect(String(await readBytes(raw, 3))).toBe('GO\n');
  raw.pause();
  const client = tls.connect({ socket: raw, ca: CA, servername: 'localhost' });
  client.on('error', () => {});
  sockets.push(client);
  return { server, protocol, upgraded, client };
}

describe('startTls: client side', () => {
  it('upgrades a connection; data sent right after the handshake is not lost (test_start_tls_client_1)', async () => {
    const peer = await starttlsPeer();
    await run(async () => {
      const loop = getRunningLoop();
      const [plain, protocol] = await connectAndAsk(peer);
      const secure = await loop.startTls(
        plain,
        protocol,
        { ca: CA },
        { serverHostname: 'localhost' },
      );
      expect(String(await protocol.waitForBytes(10))).toBe('GO\nwelcome');
      secure.write(Buffer.from('ping'));
      expect(String(await protocol.waitForBytes(14))).toBe('GO\nwelcomeping');
      // As asyncio: connectionMade is not called again, the protocol now talks to `secure`.
      expect(protocol.events.filter((e) => e === 'made')).toHaveLength(1);
      expect(protocol.transport).toBe(plain);
      expect(secure.getProtocol()).toBe(protocol);
      expect(plain.isClosing()).toBe(true);
      expect(secure.getExtraInfo('peercert')).toMatchObject({ subject: { CN: 'localhost' } });
      expect(secure.getExtraInfo('peername')).toEqual(plain.getExtraInfo('peername'));
      expect(secure.getExtraInfo('ssl_object')).toBeInstanceOf(tls.TLSSocket);
      secure.close();
      expect(await protocol.lost).toBeNull();
      expect(protocol.events.filter((e) => e === 'lost')).toHaveLength(1);
    });
  });

  it('a certificate that fails verification rejects; the protocol is not told connectionLost', async () => {
    const peer = await starttlsPeer(SELF_SIGNED);
    await run(async () => {
      const loop = getRunningLoop();
      const [plain, protocol] = await connectAndAsk(peer);
      const error = await rejection(
        loop.startTls(plain, protocol, { ca: CA }, { serverHostname: 'localhost' }),
      );
      expect(error).toBeInstanceOf(SSLCertVerificationError);
      expect(error).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      await closed(await peer.accepted());
      await sleep(0.05);
      expect(protocol.events).not.toContain('lost');
    });
  });

  it('aborts a handshake longer than sslHandshakeTimeout (ConnectionAbortedError)', async () => {
    const peer = await starttlsPeer(null);
    await run(async () => {
      const loop = getRunningLoop();
      const [plain, protocol] = await connectAndAsk(peer);
      const error = await rejection(
        loop.startTls(plain, protocol, true, {
          serverHostname: 'localhost',
          sslHandshakeTimeout: 0.5,
        }),
      );
      expect(error).toBeInstanceOf(ConnectionAbortedError);
      expect(error.message).toBe(
        'SSL handshake is taking longer than 0.5 seconds: aborting the connection',
      );
      await closed(await peer.accepted());
    });
  });

  it('cancelling the task closes the connection (test_start_tls_client_cancel)', async () => {
    const peer = await starttlsPeer(null);
    await run(async () => {
      const loop = getRunningLoop();
      const [plain, protocol] = await connectAndAsk(peer);
      const task = createTask(() =>
        loop.startTls(plain, protocol, true, { serverHostname: 'localhost' }),
      );
      await sleep(0.05);
      task.cancel();
      expect(await rejection(task as unknown as Promise<unknown>)).toBeInstanceOf(CancelledError);
      await closed(await peer.accepted());
    });
  });
});

describe('startTls: server side', () => {
  it('upgrades an accepted connection (test_start_tls_server_1)', async () => {
    await run(async () => {
      const { server, protocol, upgraded, client } = await serveStarttls('hello');
      client.write('early');
      expect(String(await readBytes(client, 5))).toBe('hello');
      const secure = await upgraded;
      expect(String(await protocol.waitForBytes(14))).toBe('STARTTLS\nearly');
      expect(secure.getExtraInfo('peercert')).toBeNull();
      expect(secure.getExtraInfo('sslcontext')).toBe(LOCALHOST);
      client.end();
      expect(await protocol.lost).toBeNull();
      expect(protocol.events.filter((e) => e === 'made')).toHaveLength(1);
      server.close();
      await server.waitClosed();
    });
  });
});

describe('startTls: the server keeps track of an upgraded connection', () => {
  it('closeClients() closes the upgraded transport; waitClosed() waits for it', async () => {
    await run(async () => {
      const { server, protocol, upgraded, client } = await serveStarttls();
      const secure = await upgraded;
      server.close();
      const waiting = createTask(() => server.waitClosed());
      await sleep(0.1);
      // As asyncio: the connection is still one of the server's clients.
      expect(waiting.done()).toBe(false);
      expect(protocol.lost.done()).toBe(false);
      server.closeClients();
      expect(secure.isClosing()).toBe(true);
      await closed(client);
      await waiting;
      expect(await protocol.lost).toBeNull();
    });
  });
});

describe('startTls: bad input fails before any I/O', () => {
  it('a transport that is not a socket transport of tsio is a TypeError', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const error = await rejection(
        loop.startTls(new Transport(), new Recorder(), true, { serverHostname: 'x' }),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/is not supported by startTls\(\)/);
    });
  });

  it('bad sslContext, options and timeouts leave the plain connection usable', async () => {
    const peer = await new Peer(null, (s) => s.pipe(s)).listen();
    peers.push(peer);
    await run(async () => {
      const loop = getRunningLoop();
      const [plain, protocol] = await loop.createConnection(
        () => new Recorder(),
        '127.0.0.1',
        peer.port,
      );
      const attempts: [unknown, unknown, new (...args: never[]) => Error][] = [
        ['ca.pem', { serverHostname: 'localhost' }, TypeError],
        [{ ca: CA }, {}, ValueError], // no serverHostname
        [{ ca: CA }, { serverHostname: 5 }, TypeError],
        [true, { serverSide: true }, ValueError], // a server needs a certificate
        [LOCALHOST, { serverSide: 'yes' }, TypeError],
        [true, { serverHostname: 'h', sslHandshakeTimeout: 0 }, ValueError],
        [true, { serverHostname: 'h', sslShutdownTimeout: -1 }, ValueError],
        [true, 'localhost', TypeError],
      ];
      for (const [ssl, options, ErrorClass] of attempts) {
        const error = await rejection(
          loop.startTls(plain, protocol, ssl, options as Record<string, unknown>),
        );
        expect(error).toBeInstanceOf(ErrorClass);
      }
      expect(plain.isClosing()).toBe(false);
      plain.write(Buffer.from('still plain'));
      expect(String(await protocol.waitForBytes(11))).toBe('still plain');
      plain.close();
      await protocol.lost;
      const closedError = await rejection(
        loop.startTls(plain, protocol, true, { serverHostname: 'h' }),
      );
      expect(closedError).toBeInstanceOf(RuntimeError);
    });
  });
});
