import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { getRunningLoop, ValueError } from '@tsio/core';
import { run } from '@tsio/policies';
import {
  NodePeer,
  RecordingProtocol,
  expectRejectedBeforeIo,
  nodePeerPerTest,
  readAll,
} from './helpers/socket-peer.js';

let peer: NodePeer;
nodePeerPerTest((p) => (peer = p));

/** Connects a plain Node client to the peer; returns [client, accepted]. */
async function pair(): Promise<[net.Socket, net.Socket]> {
  const client = net.connect(peer.port, '127.0.0.1');
  client.on('error', () => {});
  const accepted = await peer.accepted();
  await new Promise((resolve) =>
    client.connecting ? client.once('connect', resolve) : resolve(null),
  );
  return [client, accepted];
}

describe('connectAcceptedSocket', () => {
  it('wraps an accepted socket: echo, extra info, half-close (test_connect_accepted_socket)', async () => {
    const [client, accepted] = await pair();
    try {
      await run(async () => {
        const [tr, pr] = await getRunningLoop().connectAcceptedSocket(
          () => new RecordingProtocol(true),
          accepted,
        );
        expect(pr.events).toEqual(['made']);
        expect(tr.getExtraInfo('socket')).toBe(accepted);
        expect(tr.getExtraInfo('sockname')).toEqual(['127.0.0.1', peer.port]);
        expect(tr.getExtraInfo('peername')).toEqual(['127.0.0.1', client.localPort]);
        const all = readAll(client);
        client.end('from client');
        await pr.eof;
        expect(pr.received.toString()).toBe('from client');
        tr.write(Buffer.from('reply after EOF'));
        tr.close();
        expect(await pr.lost).toBeNull();
        expect((await all).toString()).toBe('reply after EOF');
      });
    } finally {
      client.destroy();
    }
  });

  it('a server socket made without allowHalfOpen still half-closes as the protocol says', async () => {
    const plain = new NodePeer({ allowHalfOpen: false });
    await plain.listen({ host: '127.0.0.1' });
    const client = net.connect(plain.port, '127.0.0.1');
    client.on('error', () => {});
    try {
      const accepted = await plain.accepted();
      await run(async () => {
        const [tr, pr] = await getRunningLoop().connectAcceptedSocket(
          () => new RecordingProtocol(true),
          accepted,
        );
        const all = readAll(client);
        client.end();
        await pr.eof;
        tr.write(Buffer.from('late'));
        tr.close();
        await pr.lost;
        expect((await all).toString()).toBe('late');
      });
    } finally {
      client.destroy();
      await plain.close();
    }
  });

  it.each([
    ['a string', 'socket', TypeError, /socket must be a connected net.Socket, got string/],
    ['an object', {}, TypeError, /got Object/],
    ['null', null, TypeError, /got null/],
    ['an unconnected socket', new net.Socket(), TypeError, /not connected yet/],
  ] as const)('rejects %s with a TypeError before any I/O', async (_name, socket, cls, message) => {
    await run(() =>
      expectRejectedBeforeIo(
        (factory) => getRunningLoop().connectAcceptedSocket(factory, socket),
        cls,
        message,
      ),
    );
  });

  it('rejects a destroyed socket, unknown options, and TLS options without ssl', async () => {
    const [client, accepted] = await pair();
    try {
      await run(async () => {
        const loop = getRunningLoop();
        const factory = () => new RecordingProtocol();
        const destroyed = new net.Socket();
        destroyed.destroy();
        await expect(loop.connectAcceptedSocket(factory, destroyed)).rejects.toThrow(/destroyed/);
        await expect(
          loop.connectAcceptedSocket(factory, accepted, { serverHostname: 'x' }),
        ).rejects.toThrow(/unknown option 'serverHostname'; valid options are: ssl/);
        await expect(
          loop.connectAcceptedSocket(factory, accepted, { sslHandshakeTimeout: 1 }),
        ).rejects.toThrow(ValueError);
        expect(accepted.destroyed).toBe(false);
      });
    } finally {
      client.destroy();
    }
  });
});
