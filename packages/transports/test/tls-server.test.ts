import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ConnectionAbortedError, getRunningLoop, OSError, ValueError } from '@tsio/core';
import type { AbstractServer } from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { SSLCertVerificationError, SSLError } from '../src/index.js';
import { createTlsServer, secureServerSocket } from '../src/internal/tls-server.js';
import { checkServerSsl } from '../src/internal/tls-options.js';
import {
  CA,
  CLIENT,
  closed,
  collectExceptions,
  LOCALHOST,
  Peer,
  readBytes,
  Recorder,
  rejection,
  SELF_SIGNED,
} from './helpers/tls-helpers.js';

const cleanups: (() => unknown)[] = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}
afterEach(cleanUp);

/** run(main), cleaning up inside the loop, before it closes. */
const runAndClean = (main: () => Promise<void>): Promise<void> =>
  run(async () => {
    try {
      await main();
    } finally {
      await cleanUp();
    }
  });

/** Listens with `server` on 127.0.0.1:0; closed after the test. */
async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as net.AddressInfo).port;
}

/** A Node TLS client of 127.0.0.1:`port`, destroyed after the test. */
function tlsClient(port: number, options: tls.ConnectionOptions = {}): tls.TLSSocket {
  const socket = tls.connect({ host: '127.0.0.1', port, ca: CA, ...options });
  socket.on('error', () => {});
  cleanups.push(() => socket.destroy());
  return socket;
}

const secureConnect = (socket: tls.TLSSocket): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });

/** An echo server from createTlsServer; its accepted sockets are destroyed after the test. */
function echoServer(ssl: unknown, options: Parameters<typeof createTlsServer>[1] = {}) {
  const server = createTlsServer(ssl, options);
  server.on('secureConnection', (s: tls.TLSSocket) => {
    cleanups.push(() => s.destroy());
    s.pipe(s);
  });
  return server;
}

async function echoOnce(port: number): Promise<string> {
  const client = tlsClient(port);
  await secureConnect(client);
  client.write('hello');
  const reply = String(await readBytes(client, 5));
  client.destroy();
  return reply;
}

describe('createTlsServer', () => {
  it('serves TLS with { key, cert } or a SecureContext', async () => {
    for (const ssl of [LOCALHOST, tls.createSecureContext(LOCALHOST)]) {
      const port = await listen(echoServer(ssl));
      expect(await echoOnce(port)).toBe('hello');
    }
  });

  it('a client that refuses the certificate does not stop the server (reported in debug only)', async () => {
    await runAndClean(async () => {
      const seen = collectExceptions();
      const loop = getRunningLoop();
      const port = await listen(echoServer(SELF_SIGNED, { loop }));
      const refusing = tlsClient(port);
      const error = await secureConnect(refusing).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      await sleep(0.1);
      expect(seen).toEqual([]);
      loop.setDebug(true);
      const again = tlsClient(port);
      await secureConnect(again).catch(() => {});
      for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(0.02);
      loop.setDebug(false);
      expect(seen).toHaveLength(1);
      // The client hangs up on verifying the certificate: the server sees a reset.
      expect(seen[0]?.message).toBe('SSL handshake failed');
      expect(seen[0]?.exception).toBeInstanceOf(OSError);
      // Still serving.
      const good = tlsClient(port, { rejectUnauthorized: false });
      await secureConnect(good);
      good.write('ok');
      expect(String(await readBytes(good, 2))).toBe('ok');
    });
  });

  it('a client without the required certificate is refused, the server keeps serving', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      loop.setDebug(true);
      const seen = collectExceptions();
      const ssl = { ...LOCALHOST, ca: CA, requestCert: true, maxVersion: 'TLSv1.2' as const };
      const port = await listen(echoServer(ssl, { loop }));
      const anonymous = tlsClient(port, { maxVersion: 'TLSv1.2' });
      expect(await secureConnect(anonymous).catch((e: unknown) => e)).toHaveProperty('code');
      for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(0.02);
      loop.setDebug(false);
      expect(seen[0]?.exception).toBeInstanceOf(SSLError);
      const known = tlsClient(port, { ...CLIENT });
      await secureConnect(known);
      known.write('me');
      expect(String(await readBytes(known, 2))).toBe('me');
    });
  });

  it('garbage instead of a ClientHello, and a silent client, are disconnected', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      loop.setDebug(true);
      const seen = collectExceptions();
      const port = await listen(echoServer(LOCALHOST, { loop, sslHandshakeTimeout: 0.5 }));
      const garbage = net.connect(port, '127.0.0.1').on('error', () => {});
      cleanups.push(() => garbage.destroy());
      garbage.write('GET / HTTP/1.0\r\n\r\n');
      await closed(garbage);
      const silent = net.connect(port, '127.0.0.1').on('error', () => {});
      cleanups.push(() => silent.destroy());
      const start = loop.time();
      await closed(silent);
      expect(loop.time() - start).toBeGreaterThanOrEqual(0.4);
      for (let i = 0; i < 100 && seen.length < 2; i++) await sleep(0.02);
      loop.setDebug(false);
      expect(seen.map((c) => c.exception)).toEqual([
        expect.any(SSLError),
        expect.any(ConnectionAbortedError),
      ]);
      expect((seen[1]?.exception as Error).message).toBe(
        'SSL handshake is taking longer than 0.5 seconds: aborting the connection',
      );
      expect(await echoOnce(port)).toBe('hello');
    });
  });

  it('bad ssl and sslHandshakeTimeout fail before listening', () => {
    expect(() => createTlsServer(true)).toThrow(ValueError);
    expect(() => createTlsServer({ ca: CA })).toThrow(/needs a certificate/);
    expect(() => createTlsServer('cert.pem')).toThrow(TypeError);
    expect(() => createTlsServer(LOCALHOST, { sslHandshakeTimeout: 0 })).toThrow(
      'sslHandshakeTimeout should be a positive number, got 0',
    );
  });
});

describe('secureServerSocket (the server side of connectAcceptedSocket and startTls)', () => {
  /** `promise`, with its rejection handled at once (the test looks at it later). */
  const settled = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => {});
    return promise;
  };

  /** A plain TCP server whose connections go to `handle`. */
  async function plainServer(handle: (socket: net.Socket) => void): Promise<number> {
    const server = net.createServer((s) => {
      cleanups.push(() => s.destroy());
      handle(s);
    });
    return listen(server);
  }

  it('runs TLS over an accepted socket and verifies client certificates', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      const ssl = { ...LOCALHOST, ca: CA, requestCert: true };
      const results: Promise<unknown>[] = [];
      const port = await plainServer((s) =>
        results.push(
          settled(secureServerSocket(loop, s, { ...checkServerSsl(ssl), sslHandshakeTimeout: 5 })),
        ),
      );
      const known = tlsClient(port, { ...CLIENT });
      await secureConnect(known);
      for (let i = 0; i < 100 && results.length === 0; i++) await sleep(0.02);
      const [socket, extra] = (await results[0]) as [tls.TLSSocket, Record<string, unknown>];
      expect(extra['peercert']).toMatchObject({ subject: { CN: 'tsio test client' } });
      expect(extra['sslcontext']).toBe(ssl);
      known.write('x');
      expect(String(await readBytes(socket, 1))).toBe('x');
      socket.destroy();

      const untrusted = tlsClient(port, { key: SELF_SIGNED.key, cert: SELF_SIGNED.cert });
      untrusted.resume();
      for (let i = 0; i < 100 && results.length < 2; i++) await sleep(0.02);
      expect(await rejection(results[1] as Promise<unknown>)).toBeInstanceOf(
        SSLCertVerificationError,
      );

      const anonymous = tlsClient(port);
      anonymous.resume();
      for (let i = 0; i < 100 && results.length < 3; i++) await sleep(0.02);
      const error = await rejection(results[2] as Promise<unknown>);
      expect(error).toBeInstanceOf(SSLError);
      await closed(anonymous);
    });
  });

  it('times out a client that never sends its ClientHello', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      const results: Promise<unknown>[] = [];
      const port = await plainServer((s) =>
        results.push(
          settled(
            secureServerSocket(loop, s, {
              ...checkServerSsl(LOCALHOST),
              sslHandshakeTimeout: 0.5,
            }),
          ),
        ),
      );
      const silent = net.connect(port, '127.0.0.1').on('error', () => {});
      cleanups.push(() => silent.destroy());
      for (let i = 0; i < 100 && results.length === 0; i++) await sleep(0.02);
      const error = await rejection(results[0] as Promise<unknown>);
      expect(error).toBeInstanceOf(ConnectionAbortedError);
      await closed(silent);
    });
  });
});

describe('loop.createServer(..., { ssl }) end to end', () => {
  it('serves TLS; the protocol sees peercert null and the cipher (test_create_server_ssl)', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      const protocols: Recorder[] = [];
      const server: AbstractServer = await loop.createServer(
        () => {
          const p = new Recorder();
          protocols.push(p);
          return p;
        },
        '127.0.0.1',
        0,
        { ssl: LOCALHOST },
      );
      cleanups.push(() => server.close());
      const port = (server.sockets[0] as { address(): net.AddressInfo }).address().port;
      const client = tlsClient(port);
      await secureConnect(client);
      client.write('hi');
      for (let i = 0; i < 100 && protocols.length === 0; i++) await sleep(0.02);
      const [protocol] = protocols as [Recorder];
      await protocol.made;
      expect(String(await protocol.waitForBytes(2))).toBe('hi');
      const transport = protocol.transport!;
      expect(transport.getExtraInfo('peercert')).toBeNull();
      expect(transport.getExtraInfo('cipher')).toEqual([
        expect.any(String),
        expect.stringMatching(/^TLSv1\.[23]$/),
        expect.any(Number),
      ]);
      expect(transport.getExtraInfo('ssl_object')).toBeInstanceOf(tls.TLSSocket);
      transport.write(Buffer.from('back'));
      expect(String(await readBytes(client, 4))).toBe('back');
      // A client that refuses the certificate does not hurt the server.
      const refusing = tlsClient(port, { ca: undefined });
      expect(await secureConnect(refusing).catch((e: unknown) => e)).toMatchObject({
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      client.end();
      expect(await protocol.lost).toBeNull();
    });
  });

  it('serves TLS with a tls.SecureContext', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      const context = tls.createSecureContext(LOCALHOST);
      const protocols: Recorder[] = [];
      const server = await loop.createServer(
        () => {
          const p = new Recorder();
          protocols.push(p);
          return p;
        },
        '127.0.0.1',
        0,
        { ssl: context },
      );
      cleanups.push(() => server.close());
      const port = (server.sockets[0] as { address(): net.AddressInfo }).address().port;
      const client = tlsClient(port);
      await secureConnect(client);
      for (let i = 0; i < 100 && protocols.length === 0; i++) await sleep(0.02);
      await protocols[0]?.made;
      expect(protocols[0]?.transport?.getExtraInfo('sslcontext')).toBe(context);
      client.end();
      expect(await protocols[0]?.lost).toBeNull();
    });
  });

  it('counts connections still in their handshake: abortClients() drops them, waitClosed() waits', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      const made: Recorder[] = [];
      const server = await loop.createServer(
        () => {
          const protocol = new Recorder();
          made.push(protocol);
          return protocol;
        },
        '127.0.0.1',
        0,
        { ssl: LOCALHOST },
      );
      const listener = server.sockets[0] as net.Server;
      const port = (listener.address() as net.AddressInfo).port;
      // A client that connects and never sends its ClientHello.
      const accepted = new Promise((resolve) => listener.once('connection', resolve));
      const silent = net.connect(port, '127.0.0.1');
      silent.on('error', () => {});
      cleanups.push(() => silent.destroy());
      await accepted;
      server.close();
      const waiting = createTask(() => server.waitClosed());
      await sleep(0.1);
      expect(waiting.done()).toBe(false);
      server.closeClients();
      await closed(silent);
      await waiting;
      expect(made).toEqual([]);

      // abortClients() too, on a second server.
      const second = await loop.createServer(() => new Recorder(), '127.0.0.1', 0, {
        ssl: LOCALHOST,
      });
      const listener2 = second.sockets[0] as net.Server;
      const accepted2 = new Promise((resolve) => listener2.once('connection', resolve));
      const silent2 = net.connect((listener2.address() as net.AddressInfo).port, '127.0.0.1');
      silent2.on('error', () => {});
      cleanups.push(() => silent2.destroy());
      await accepted2;
      second.close();
      const waiting2 = createTask(() => second.waitClosed());
      await sleep(0.1);
      expect(waiting2.done()).toBe(false);
      second.abortClients();
      await closed(silent2);
      await waiting2;
    });
  });

  it('a connection whose handshake completes is counted once, by its transport', async () => {
    await runAndClean(async () => {
      const loop = getRunningLoop();
      const protocol = new Recorder();
      const server = await loop.createServer(() => protocol, '127.0.0.1', 0, { ssl: LOCALHOST });
      const port = ((server.sockets[0] as net.Server).address() as net.AddressInfo).port;
      const client = tlsClient(port, { servername: 'localhost' });
      await secureConnect(client);
      await protocol.made;
      server.close();
      const waiting = createTask(() => server.waitClosed());
      await sleep(0.05);
      expect(waiting.done()).toBe(false);
      server.closeClients();
      await closed(client);
      await waiting;
      expect(await protocol.lost).toBeNull();
    });
  });

  it('ssl: true for a server is a ValueError', async () => {
    await runAndClean(async () => {
      const error = await rejection(
        getRunningLoop().createServer(() => new Recorder(), '127.0.0.1', 0, { ssl: true }),
      );
      expect(error).toBeInstanceOf(ValueError);
    });
  });
});
