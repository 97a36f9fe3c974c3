import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CancelledError,
  ConnectionAbortedError,
  getRunningLoop,
  OSError,
  TimeoutError,
  ValueError,
} from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { SSLCertVerificationError, SSLError } from '../src/index.js';
import { closeTlsGracefully, connectTls } from '../src/internal/tls-client.js';
import type { ConnectTlsOptions } from '../src/internal/tls-client.js';
import { cipherBits, tlsExtraInfo } from '../src/internal/tls-extra-info.js';
import {
  checkClientSsl,
  checkServerSsl,
  checkTlsClientOptions,
  defaultSecureContext,
} from '../src/internal/tls-options.js';
import {
  CA,
  CLIENT,
  closed,
  EXPIRED,
  LOCALHOST,
  Peer,
  readBytes,
  Recorder,
  rejection,
  SELF_SIGNED,
  WRONG_HOST,
} from './helpers/tls-helpers.js';

let peers: Peer[] = [];

async function tlsPeer(options: tls.TlsOptions, onConnection?: (s: net.Socket) => void) {
  const peer = await new Peer(options, onConnection).listen();
  peers.push(peer);
  return peer;
}

afterEach(async () => {
  await Promise.all(peers.map((p) => p.close()));
  peers = [];
});

/** connectTls to `peer` on 127.0.0.1, in a running loop. */
const connect = (peer: Peer, options: Omit<ConnectTlsOptions, 'host' | 'port'>) =>
  connectTls(getRunningLoop(), { host: '127.0.0.1', port: peer.port, ...options });

describe('connectTls: certificate verification', () => {
  it('connects to a server whose CA is given, and exchanges data', async () => {
    const peer = await tlsPeer(LOCALHOST);
    await run(async () => {
      const socket = await connect(peer, { ssl: { ca: CA } });
      expect(socket.authorized).toBe(true);
      socket.write('ping');
      expect(String(await readBytes(socket, 4))).toBe('ping');
      socket.destroy();
    });
  });

  it('verifies by default: ssl true does not trust the test CA (SSLCertVerificationError)', async () => {
    const peer = await tlsPeer(LOCALHOST);
    const error = await run(() => rejection(connect(peer, { ssl: true })));
    expect(error).toBeInstanceOf(SSLCertVerificationError);
    expect(error).toBeInstanceOf(SSLError);
    expect(error).toBeInstanceOf(OSError);
    expect(error).toMatchObject({
      name: 'SSLCertVerificationError',
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      reason: 'CERTIFICATE_VERIFY_FAILED',
    });
    expect(error.message).toMatch(/^certificate verify failed: .*ssl: \{ ca/);
  });

  it('refuses a certificate for another host name (ERR_TLS_CERT_ALTNAME_INVALID)', async () => {
    const peer = await tlsPeer(WRONG_HOST);
    const error = await run(() => rejection(connect(peer, { ssl: { ca: CA } })));
    expect(error).toBeInstanceOf(SSLCertVerificationError);
    expect(error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it("serverHostname '' disables the name check, not the chain check", async () => {
    const wrong = await tlsPeer(WRONG_HOST);
    const self = await tlsPeer(SELF_SIGNED);
    await run(async () => {
      const socket = await connect(wrong, { ssl: { ca: CA }, serverHostname: '' });
      expect(socket.authorized).toBe(true);
      socket.destroy();
      const error = await rejection(connect(self, { ssl: { ca: CA }, serverHostname: '' }));
      expect(error).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    });
  });

  it('serverHostname is the name checked and sent as SNI', async () => {
    let sni: string | false | null | undefined;
    const peer = await tlsPeer(WRONG_HOST, (s) => {
      sni = (s as tls.TLSSocket).servername;
    });
    await run(async () => {
      const socket = await connect(peer, { ssl: { ca: CA }, serverHostname: 'wrong.example' });
      await peer.accepted();
      expect(sni).toBe('wrong.example');
      socket.destroy();
      const error = await rejection(
        connect(peer, { ssl: { ca: CA }, serverHostname: 'other.example' }),
      );
      expect(error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    });
  });

  it('checks the IP addresses of the certificate when connecting to an IP (::1 too)', async () => {
    const v6 = await new Peer(LOCALHOST).listen('::1').catch(() => null);
    await run(async () => {
      if (v6 !== null) {
        peers.push(v6);
        const socket = await connectTls(getRunningLoop(), {
          host: '::1',
          port: v6.port,
          ssl: { ca: CA },
        });
        expect(socket.authorized).toBe(true);
        socket.destroy();
      }
    });
  });

  it('refuses an expired certificate (CERT_HAS_EXPIRED)', async () => {
    const peer = await tlsPeer(EXPIRED);
    const error = await run(() => rejection(connect(peer, { ssl: { ca: CA } })));
    expect(error).toBeInstanceOf(SSLCertVerificationError);
    expect(error).toMatchObject({ code: 'CERT_HAS_EXPIRED' });
  });

  it('accepts a tls.SecureContext, and rejectUnauthorized: false trusts anything', async () => {
    const peer = await tlsPeer(SELF_SIGNED);
    const trusting = await tlsPeer(LOCALHOST);
    await run(async () => {
      const context = tls.createSecureContext({ ca: CA });
      const socket = await connect(trusting, { ssl: context });
      expect(tlsExtraInfo(socket, context)['sslcontext']).toBe(context);
      socket.destroy();
      const loose = await connect(peer, { ssl: { rejectUnauthorized: false } });
      expect(loose.authorized).toBe(false);
      loose.destroy();
    });
  });

  it('sends a client certificate to a server that asks for one', async () => {
    let peerName: unknown;
    const peer = await tlsPeer({ ...LOCALHOST, ca: CA, requestCert: true }, (s) => {
      peerName = (s as tls.TLSSocket).getPeerCertificate().subject?.CN;
    });
    await run(async () => {
      const socket = await connect(peer, { ssl: { ca: CA, ...CLIENT } });
      await peer.accepted();
      expect(peerName).toBe('tsio test client');
      socket.destroy();
    });
  });

  it('maps a TLS protocol failure to SSLError and a reset to ConnectionResetError', async () => {
    const plain = await new Peer(null, (s) => s.end('HTTP/1.0 400 Bad Request\r\n\r\n')).listen();
    const reset = await new Peer(null, (s) => s.resetAndDestroy()).listen();
    peers.push(plain, reset);
    await run(async () => {
      const error = await rejection(connect(plain, { ssl: { ca: CA } }));
      expect(error).toBeInstanceOf(SSLError);
      expect(error).not.toBeInstanceOf(SSLCertVerificationError);
      expect((error as SSLError).code).toMatch(/^ERR_SSL_/);
      const lost = await rejection(connect(reset, { ssl: { ca: CA } }));
      expect(lost.name).toBe('ConnectionResetError');
    });
  });
});

describe('connectTls: timeout and cancellation', () => {
  it('aborts a handshake that takes longer than sslHandshakeTimeout (ConnectionAbortedError)', async () => {
    const silent = await new Peer(null, () => {}).listen();
    peers.push(silent);
    await run(async () => {
      const loop = getRunningLoop();
      const start = loop.time();
      const error = await rejection(connect(silent, { ssl: true, sslHandshakeTimeout: 0.5 }));
      expect(error).toBeInstanceOf(ConnectionAbortedError);
      expect(error.message).toBe(
        'SSL handshake is taking longer than 0.5 seconds: aborting the connection',
      );
      expect(loop.time() - start).toBeGreaterThanOrEqual(0.45);
      await closed((await silent.accepted()) as net.Socket);
    });
  });

  it('cancelling the task destroys the socket and raises CancelledError', async () => {
    const silent = await new Peer(null, () => {}).listen();
    peers.push(silent);
    await run(async () => {
      const task = createTask(() => connect(silent, { ssl: true }));
      const server = await silent.accepted();
      await sleep(0.05);
      task.cancel();
      const error = await rejection(task as unknown as Promise<unknown>);
      expect(error).toBeInstanceOf(CancelledError);
      await closed(server);
    });
  });

  it('an AbortSignal destroys the socket and rejects with its reason', async () => {
    const silent = await new Peer(null, () => {}).listen();
    peers.push(silent);
    await run(async () => {
      const controller = new AbortController();
      const pending = connect(silent, { ssl: true, signal: controller.signal });
      const server = await silent.accepted();
      const reason = new Error('stop');
      controller.abort(reason);
      expect(await rejection(pending)).toBe(reason);
      await closed(server);
      // Already aborted: nothing is connected.
      expect(await rejection(connect(silent, { ssl: true, signal: controller.signal }))).toBe(
        reason,
      );
    });
  });
});

describe('TLS extra information', () => {
  it('peercert, cipher, compression, ssl_object and sslcontext (test_create_connection_ssl)', async () => {
    const peer = await tlsPeer(LOCALHOST);
    await run(async () => {
      const ssl = { ca: CA };
      const socket = await connect(peer, { ssl });
      const extra = tlsExtraInfo(socket, ssl);
      expect(extra['sslcontext']).toBe(ssl);
      expect(extra['peercert']).toMatchObject({ subject: { CN: 'localhost' } });
      const [name, version, bits] = extra['cipher'] as [string, string, number | null];
      expect(name).toBe(socket.getCipher().name);
      expect(version).toMatch(/^TLSv1\.[23]$/);
      expect([128, 256]).toContain(bits);
      expect(extra['compression']).toBeNull();
      expect(extra['ssl_object']).toBe(socket);
      expect(tlsExtraInfo(socket, true)['sslcontext']).toBe(defaultSecureContext());
      socket.destroy();
    });
  });

  it('peercert is null when the peer sent no certificate', async () => {
    const peer = await tlsPeer(LOCALHOST);
    await run(async () => {
      const socket = await connect(peer, { ssl: { ca: CA } });
      const server = (await peer.accepted()) as tls.TLSSocket;
      expect(tlsExtraInfo(server, LOCALHOST)['peercert']).toBeNull();
      socket.destroy();
    });
  });

  it('cipherBits reads the key size from the suite name', () => {
    expect(cipherBits('TLS_AES_256_GCM_SHA384')).toBe(256);
    expect(cipherBits('TLS_AES_128_GCM_SHA256')).toBe(128);
    expect(cipherBits('ECDHE-RSA-AES128-GCM-SHA256')).toBe(128);
    expect(cipherBits('TLS_CHACHA20_POLY1305_SHA256')).toBe(256);
    expect(cipherBits('DES-CBC3-SHA')).toBe(112);
    expect(cipherBits('NULL-SHA')).toBeNull();
  });
});

describe('closeTlsGracefully (sslShutdownTimeout)', () => {
  it('sends close_notify and finishes when the peer closes', async () => {
    let peerEnded = false;
    const peer = await tlsPeer(LOCALHOST, (s) => s.on('end', () => (peerEnded = true)).resume());
    await run(async () => {
      const loop = getRunningLoop();
      const socket = await connect(peer, { ssl: { ca: CA } });
      await peer.accepted();
      const done = loop.createFuture<Error | null>();
      closeTlsGracefully(loop, socket, 30, (error) => done.setResult(error));
      expect(await done).toBeNull();
      expect(peerEnded).toBe(true);
      expect(socket.destroyed).toBe(true);
    });
  });

  it('destroys the socket after sslShutdownTimeout when the peer does not answer', async () => {
    // allowHalfOpen: the peer reads our close_notify but never closes its side.
    const peer = await tlsPeer({ ...LOCALHOST, allowHalfOpen: true }, (s) => s.resume());
    await run(async () => {
      const loop = getRunningLoop();
      const socket = await connect(peer, { ssl: { ca: CA } });
      await peer.accepted();
      const start = loop.time();
      const done = loop.createFuture<Error | null>();
      closeTlsGracefully(loop, socket, 0.5, (error) => done.setResult(error));
      const error = await done;
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error?.message).toBe('SSL shutdown timed out');
      expect(loop.time() - start).toBeGreaterThanOrEqual(0.45);
      expect(socket.destroyed).toBe(true);
    });
  });

  it('the returned function destroys the socket at once without calling done', async () => {
    const peer = await tlsPeer({ ...LOCALHOST, allowHalfOpen: true }, (s) => s.resume());
    await run(async () => {
      const loop = getRunningLoop();
      const socket = await connect(peer, { ssl: { ca: CA } });
      let called = false;
      const abort = closeTlsGracefully(loop, socket, 30, () => (called = true));
      abort();
      expect(socket.destroyed).toBe(true);
      await sleep(0.05);
      expect(called).toBe(false);
    });
  });
});

describe('TLS options: bad input fails before any I/O', () => {
  it.each([1, 'yes', [], new Map(), () => {}, Buffer.from('x')])(
    'ssl %p is a TypeError naming the accepted shapes',
    (ssl) => {
      expect(() => checkClientSsl(ssl)).toThrow(TypeError);
      expect(() => checkClientSsl(ssl)).toThrow(/true .*tls\.SecureContext.*tls\.connect\(\)/);
    },
  );

  it('a server needs a certificate: ssl true or {} is a ValueError, a number a TypeError', () => {
    expect(() => checkServerSsl(true)).toThrow(ValueError);
    expect(() => checkServerSsl(true)).toThrow(/needs a certificate/);
    expect(() => checkServerSsl({ ca: CA })).toThrow(ValueError);
    expect(() => checkServerSsl(7)).toThrow(TypeError);
    const context = tls.createSecureContext(LOCALHOST);
    expect(checkServerSsl(context).context).toBe(context);
    expect(checkServerSsl(LOCALHOST).options).toMatchObject(LOCALHOST);
  });

  it('sslHandshakeTimeout and sslShutdownTimeout must be positive numbers', () => {
    const check = (o: object) => () => checkTlsClientOptions({ ssl: true, ...o }, 'localhost');
    expect(check({ sslHandshakeTimeout: 0 })).toThrow(ValueError);
    expect(check({ sslHandshakeTimeout: -1 })).toThrow(
      'sslHandshakeTimeout should be a positive number, got -1',
    );
    expect(check({ sslShutdownTimeout: 0 })).toThrow(
      'sslShutdownTimeout should be a positive number, got 0',
    );
    expect(check({ sslHandshakeTimeout: '5' })).toThrow(TypeError);
    expect(check({ sslHandshakeTimeout: NaN })).toThrow(TypeError);
    expect(checkTlsClientOptions({ ssl: true }, 'localhost')).toMatchObject({
      serverHostname: 'localhost',
      sslHandshakeTimeout: 60,
      sslShutdownTimeout: 30,
    });
  });

  it('TLS options without ssl, and ssl without a host, are ValueErrors (as asyncio)', () => {
    for (const key of ['serverHostname', 'sslHandshakeTimeout', 'sslShutdownTimeout']) {
      expect(() => checkTlsClientOptions({ ssl: false, [key]: 1 }, 'h')).toThrow(
        `${key} is only meaningful with ssl`,
      );
    }
    expect(checkTlsClientOptions({}, 'h')).toBeNull();
    expect(() => checkTlsClientOptions({ ssl: true }, null)).toThrow(ValueError);
    expect(() => checkTlsClientOptions({ ssl: true, serverHostname: 3 }, 'h')).toThrow(TypeError);
  });

  it('connectTls rejects bad options without connecting', async () => {
    const peer = await new Peer(null, () => {}).listen();
    peers.push(peer);
    await run(async () => {
      const error = await rejection(connect(peer, { ssl: 'tls' }));
      expect(error).toBeInstanceOf(TypeError);
      const timeout = await rejection(connect(peer, { ssl: true, sslHandshakeTimeout: 0 }));
      expect(timeout).toBeInstanceOf(ValueError);
      await sleep(0.05);
      expect(peer.raw).toHaveLength(0);
    });
  });
});

describe('loop.createConnection(..., { ssl }) end to end', () => {
  const open = (peer: Peer, options: Record<string, unknown>) =>
    getRunningLoop().createConnection(() => new Recorder(), '127.0.0.1', peer.port, options);

  it('connects, exchanges data and reports TLS extra info (test_create_connection_ssl)', async () => {
    const peer = await tlsPeer(LOCALHOST);
    await run(async () => {
      const ssl = { ca: CA };
      const [transport, protocol] = await open(peer, { ssl });
      expect(protocol.events).toEqual(['made']);
      transport.write(Buffer.from('ping'));
      expect(String(await protocol.waitForBytes(4))).toBe('ping');
      expect(transport.getExtraInfo('sslcontext')).toBe(ssl);
      expect(transport.getExtraInfo('peercert')).toMatchObject({ subject: { CN: 'localhost' } });
      expect(transport.getExtraInfo('cipher')).toEqual([
        expect.any(String),
        expect.stringMatching(/^TLSv1\.[23]$/),
        expect.any(Number),
      ]);
      expect(transport.getExtraInfo('compression')).toBeNull();
      expect(transport.getExtraInfo('ssl_object')).toBeInstanceOf(tls.TLSSocket);
      expect(transport.getExtraInfo('peername')).toEqual(['127.0.0.1', peer.port]);
      transport.close();
      expect(await protocol.lost).toBeNull();
    });
  });

  it('verification is on by default; the errors keep their class and code', async () => {
    const peer = await tlsPeer(LOCALHOST);
    const wrong = await tlsPeer(WRONG_HOST);
    await run(async () => {
      const untrusted = await rejection(open(peer, { ssl: true }));
      expect(untrusted).toBeInstanceOf(SSLCertVerificationError);
      expect(untrusted).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      const mismatch = await rejection(open(wrong, { ssl: { ca: CA } }));
      expect(mismatch).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      const [transport, protocol] = await open(wrong, { ssl: { ca: CA }, serverHostname: '' });
      transport.close();
      expect(await protocol.lost).toBeNull();
      const [named, namedProtocol] = await open(wrong, {
        ssl: { ca: CA },
        serverHostname: 'wrong.example',
      });
      named.close();
      expect(await namedProtocol.lost).toBeNull();
    });
  });

  it('aborts a silent server after sslHandshakeTimeout', async () => {
    const silent = await new Peer(null, () => {}).listen();
    peers.push(silent);
    await run(async () => {
      const error = await rejection(open(silent, { ssl: true, sslHandshakeTimeout: 0.5 }));
      expect(error).toBeInstanceOf(ConnectionAbortedError);
      await closed(await silent.accepted());
    });
  });

  it('close() waits at most sslShutdownTimeout for the peer (test_shutdown_timeout)', async () => {
    // allowHalfOpen: the peer reads our close_notify but never closes its side.
    const peer = await tlsPeer({ ...LOCALHOST, allowHalfOpen: true }, (s) => s.resume());
    await run(async () => {
      const loop = getRunningLoop();
      const reported: unknown[] = [];
      loop.setExceptionHandler((_loop, context) => reported.push(context));
      const [transport, protocol] = await open(peer, { ssl: { ca: CA }, sslShutdownTimeout: 0.5 });
      await peer.accepted();
      const start = loop.time();
      transport.close();
      const error = await protocol.lost;
      // As asyncio 3.13: connectionLost(TimeoutError('SSL shutdown timed out')), and the
      // exception handler is not called.
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error?.message).toBe('SSL shutdown timed out');
      expect(loop.time() - start).toBeGreaterThanOrEqual(0.45);
      await sleep(0.05);
      expect(reported).toEqual([]);
    });
  });

  it('writes after close() are dropped and connectionLost still comes', async () => {
    const peer = await tlsPeer(LOCALHOST, (s) => s.resume());
    await run(async () => {
      const [transport, protocol] = await open(peer, { ssl: { ca: CA } });
      await peer.accepted();
      transport.close();
      transport.write(Buffer.from('dropped'));
      transport.writelines([Buffer.from('dropped too')]);
      expect(await protocol.lost).toBeNull();
    });
  });

  it('close() sends close_notify and the peer sees a clean end', async () => {
    let peerEnded: () => void;
    const ended = new Promise<void>((resolve) => (peerEnded = resolve));
    const peer = await tlsPeer(LOCALHOST, (s) => s.on('end', () => peerEnded()).resume());
    await run(async () => {
      const [transport, protocol] = await open(peer, { ssl: { ca: CA } });
      await peer.accepted();
      transport.close();
      expect(await protocol.lost).toBeNull();
      await ended;
    });
  });

  it('createUnixConnection runs TLS too; serverHostname is then required', async () => {
    const path = join(tmpdir(), `tsio-tls-${process.pid}-${Date.now()}.sock`);
    const server = tls.createServer(LOCALHOST, (s) => s.pipe(s));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await run(async () => {
        const loop = getRunningLoop();
        const missing = await rejection(
          loop.createUnixConnection(() => new Recorder(), path, { ssl: { ca: CA } }),
        );
        expect(missing).toBeInstanceOf(ValueError);
        const [transport, protocol] = await loop.createUnixConnection(() => new Recorder(), path, {
          ssl: { ca: CA },
          serverHostname: 'localhost',
        });
        transport.write(Buffer.from('unix'));
        expect(String(await protocol.waitForBytes(4))).toBe('unix');
        expect(transport.getExtraInfo('peercert')).toMatchObject({ subject: { CN: 'localhost' } });
        transport.close();
        await protocol.lost;
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('bad TLS options are TypeError/ValueError before connecting', async () => {
    const peer = await new Peer(null, () => {}).listen();
    peers.push(peer);
    await run(async () => {
      expect(await rejection(open(peer, { ssl: 1 }))).toBeInstanceOf(TypeError);
      expect(await rejection(open(peer, { sslHandshakeTimeout: 1 }))).toBeInstanceOf(ValueError);
      expect(await rejection(open(peer, { ssl: true, sslHandshakeTimeout: -1 }))).toBeInstanceOf(
        ValueError,
      );
      await sleep(0.05);
      expect(peer.raw).toHaveLength(0);
    });
  });
});
