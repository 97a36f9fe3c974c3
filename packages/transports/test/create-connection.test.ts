import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import {
  ConnectionRefusedError,
  ExceptionGroup,
  getRunningLoop,
  isCancelledError,
  OSError,
  ValueError,
} from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import {
  NodePeer,
  RecordingProtocol,
  expectEcho,
  expectRejectedBeforeIo,
  nodePeerPerTest,
  readAll,
} from './helpers/socket-peer.js';

let peer: NodePeer;
nodePeerPerTest((p) => (peer = p));

/** A port nothing listens on (a server's, closed again). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createConnection', () => {
  it('connects, resolving to [transport, protocol] after connectionMade', async () => {
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createConnection(
        () => new RecordingProtocol(),
        '127.0.0.1',
        String(peer.port),
      );
      expect(pr.events).toEqual(['made']);
      expect(tr.getExtraInfo('peername')).toEqual(['127.0.0.1', peer.port]);
      tr.close();
      await pr.lost;
    });
  });

  it('refused -> ConnectionRefusedError; the protocol factory is never called', async () => {
    const port = await freePort();
    await run(async () => {
      let made = 0;
      const attempt = getRunningLoop().createConnection(
        () => (made++, new RecordingProtocol()),
        '127.0.0.1',
        port,
      );
      await expect(attempt).rejects.toThrow(ConnectionRefusedError);
      await expect(attempt).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(made).toBe(0);
    });
  });

  it('allErrors: true -> an ExceptionGroup of the attempts', async () => {
    const port = await freePort();
    await run(async () => {
      const attempt = getRunningLoop().createConnection(
        () => new RecordingProtocol(),
        '127.0.0.1',
        port,
        { allErrors: true },
      );
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ExceptionGroup);
      const group = error as ExceptionGroup;
      expect(group.message).toMatch(/createConnection failed/);
      expect(group.exceptions[0]).toBeInstanceOf(ConnectionRefusedError);
    });
  });

  it('a name resolving to several addresses tries each: localhost reaches the IPv4 peer', async () => {
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createConnection(
        () => new RecordingProtocol(),
        'localhost',
        peer.port,
        { family: 2 },
      );
      expect(tr.getExtraInfo('peername')).toEqual(['127.0.0.1', peer.port]);
      tr.close();
      await pr.lost;
    });
  });

  it('happyEyeballsDelay uses Node happy eyeballs and still connects', async () => {
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createConnection(
        () => new RecordingProtocol(),
        'localhost',
        peer.port,
        { happyEyeballsDelay: 0.25, interleave: 1 },
      );
      expect((tr.getExtraInfo('peername') as unknown[])[0]).toBe('127.0.0.1');
      tr.close();
      await pr.lost;
    });
  });

  it('localAddr binds the local end', async () => {
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createConnection(
        () => new RecordingProtocol(),
        '127.0.0.1',
        peer.port,
        { localAddr: ['127.0.0.1', 0] },
      );
      const server = await peer.accepted();
      expect(tr.getExtraInfo('sockname')).toEqual(['127.0.0.1', server.remotePort]);
      tr.close();
      await pr.lost;
    });
  });

  it('sock: wraps an existing connected socket (echo)', async () => {
    const sock = net.connect(peer.port, '127.0.0.1');
    await new Promise((resolve) => sock.once('connect', resolve));
    await run(async () => {
      const [tr, pr] = await getRunningLoop().createConnection(
        () => new RecordingProtocol(),
        null,
        null,
        {
          sock,
        },
      );
      await expectEcho(peer, tr, pr, 'via sock');
      expect(tr.getExtraInfo('socket')).toBe(sock);
      tr.close();
      await pr.lost;
      expect(sock.destroyed).toBe(true);
    });
  });

  it('a protocol factory that throws: the error rejects the call, the socket is closed', async () => {
    await run(async () => {
      const boom = new Error('factory failed');
      const attempt = getRunningLoop().createConnection(
        () => {
          throw boom;
        },
        '127.0.0.1',
        peer.port,
      );
      await expect(attempt).rejects.toBe(boom);
      const server = await peer.accepted();
      await readAll(server); // resolves on the client's FIN/close: no leaked socket
    });
  });

  it('cancelling right after the call starts: CancelledError, no protocol, no socket left', async () => {
    for (let turns = 0; turns < 4; turns++) {
      await run(async () => {
        let made = 0;
        const task = createTask(() =>
          getRunningLoop().createConnection(
            () => (made++, new RecordingProtocol()),
            '127.0.0.1',
            peer.port,
          ),
        );
        for (let i = 0; i < turns; i++) await sleep(0);
        task.cancel();
        expect(
          isCancelledError(
            await task.then(
              () => null,
              (e: unknown) => e,
            ),
          ),
        ).toBe(true);
        expect(made).toBe(0);
      });
    }
    // Any connection the peer saw is closed by the client.
    await Promise.all(peer.sockets.map((s) => readAll(s)));
  });

  it('cancelling once the peer accepted: the pending socket is destroyed (no leak)', async () => {
    for (let round = 0; round < 5; round++) {
      await run(async () => {
        const task = createTask(() =>
          getRunningLoop().createConnection(() => new RecordingProtocol(), '127.0.0.1', peer.port),
        );
        const server = await peer.accepted();
        task.cancel();
        const outcome = await task.then(
          ([tr, pr]) => [tr, pr] as const,
          (e: unknown) => e,
        );
        if (isCancelledError(outcome)) {
          await readAll(server); // the client's socket was destroyed: the peer sees EOF
        } else {
          // The connection completed before the cancellation could land.
          const [tr, pr] = outcome as readonly [{ close(): void }, RecordingProtocol];
          tr.close();
          await pr.lost;
        }
      });
    }
  });

  it('cancelled while connectionMade is pending: the transport is closed (made, then lost)', async () => {
    await run(async () => {
      let protocol: RecordingProtocol | null = null;
      const task = createTask(() =>
        getRunningLoop().createConnection(
          () => {
            const p = (protocol = new RecordingProtocol());
            const made = p.connectionMade.bind(p);
            p.connectionMade = (t) => {
              made(t);
              task.cancel(); // the task waits for connectionMade: the cancellation lands there
            };
            return p;
          },
          '127.0.0.1',
          peer.port,
        ),
      );
      expect(
        isCancelledError(
          await task.then(
            () => null,
            (e: unknown) => e,
          ),
        ),
      ).toBe(true);
      const pr = protocol as unknown as RecordingProtocol;
      expect(await pr.lost).toBeNull();
      expect(pr.events).toEqual(['made', 'lost']);
      await readAll(await peer.accepted());
    });
  });

  describe('bad arguments fail before any I/O', () => {
    const cases: [string, unknown, unknown, unknown, new (...a: never[]) => Error, RegExp][] = [
      ['host not a string', 123, 80, undefined, TypeError, /host must be a string/],
      [
        'port out of range',
        '127.0.0.1',
        70000,
        undefined,
        ValueError,
        /port must be an integer 0-65535/,
      ],
      ['negative port', '127.0.0.1', -1, undefined, ValueError, /port/],
      ['fractional port', '127.0.0.1', 1.5, undefined, ValueError, /port/],
      ['port an object', '127.0.0.1', {}, undefined, TypeError, /port must be/],
      ['port a service name', '127.0.0.1', 'http', undefined, ValueError, /service names/],
      [
        'unknown option',
        '127.0.0.1',
        1,
        { serverHostName: 'x' },
        TypeError,
        /unknown option 'serverHostName'; valid options are: ssl, serverHostname/,
      ],
      ['options not an object', '127.0.0.1', 1, 'x', TypeError, /options must be an object/],
      [
        'serverHostname without ssl',
        '127.0.0.1',
        1,
        { serverHostname: 'x' },
        ValueError,
        /^serverHostname is only meaningful with ssl$/,
      ],
      [
        'sslHandshakeTimeout without ssl',
        '127.0.0.1',
        1,
        { sslHandshakeTimeout: 1 },
        ValueError,
        /sslHandshakeTimeout is only meaningful with ssl/,
      ],
      [
        'host/port and sock',
        '127.0.0.1',
        1,
        { sock: new net.Socket() },
        ValueError,
        /host\/port and sock can not be specified simultaneously/,
      ],
      [
        'no host, port nor sock',
        null,
        null,
        undefined,
        ValueError,
        /host and port was not specified and no sock specified/,
      ],
      [
        'sock not a socket',
        null,
        null,
        { sock: {} },
        TypeError,
        /sock must be a connected net.Socket/,
      ],
      [
        'sock not connected',
        null,
        null,
        { sock: new net.Socket() },
        TypeError,
        /not connected yet/,
      ],
      ['bad family', '127.0.0.1', 1, { family: 3 }, ValueError, /family must be/],
      [
        'bad localAddr',
        '127.0.0.1',
        1,
        { localAddr: '127.0.0.1' },
        TypeError,
        /localAddr must be a \[host, port\]/,
      ],
      [
        'bad happyEyeballsDelay',
        '127.0.0.1',
        1,
        { happyEyeballsDelay: 'soon' },
        TypeError,
        /happyEyeballsDelay must be a number of seconds/,
      ],
      [
        'negative happyEyeballsDelay',
        '127.0.0.1',
        1,
        { happyEyeballsDelay: -1 },
        ValueError,
        /happyEyeballsDelay must be >= 0/,
      ],
    ];
    it.each(cases)('%s', async (_name, host, port, options, cls, message) => {
      await run(() =>
        expectRejectedBeforeIo(
          (factory) =>
            getRunningLoop().createConnection(
              factory,
              host as string,
              port as number,
              options as Record<string, unknown>,
            ),
          cls,
          message,
        ),
      );
      expect(peer.sockets).toHaveLength(0);
    });
  });

  it('a name that does not resolve -> an OSError (gaierror)', async () => {
    await run(async () => {
      const attempt = getRunningLoop().createConnection(
        () => new RecordingProtocol(),
        'no-such-host.invalid',
        80,
      );
      await expect(attempt).rejects.toThrow(OSError);
    });
  });
});
