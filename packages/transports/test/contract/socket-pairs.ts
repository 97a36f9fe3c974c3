// Pair factories for the socket transports: a server accepts one connection from a client of
// the same loop; a is the client's transport, b the accepted one.
import type net from 'node:net';
import { getRunningLoop } from '@tsio/core';
import type { AbstractServer, IoOptions, Transport } from '@tsio/core';
import { waitFor } from '@tsio/futures';
import type { MakeStreamPair, StreamPair } from './pair-harness.js';
import type { RecordingProtocol } from './recording-protocol.js';
import { WAIT_SECONDS } from './recording-protocol.js';

/** How to listen and connect: a TCP host and options, or a Unix socket path. */
export interface SocketPairSpec {
  listen(factory: () => RecordingProtocol): Promise<AbstractServer>;
  connect(
    factory: () => RecordingProtocol,
    server: AbstractServer,
  ): Promise<[Transport, RecordingProtocol]>;
  /** Runs after the server has closed (e.g. removes a socket file). */
  cleanup?(): void;
}

/** The port a tsio server listens on (its sockets are Node net.Servers). */
export function serverPort(server: AbstractServer): number {
  const address = (server.sockets[0] as net.Server | undefined)?.address();
  if (address === null || address === undefined || typeof address === 'string') {
    throw new Error(`the server has no TCP address: ${String(address)}`);
  }
  return address.port;
}

/** A pair factory over `spec`. */
export function socketPair(spec: () => SocketPairSpec): MakeStreamPair {
  return async (newProtocol) => {
    const loop = getRunningLoop();
    const s = spec();
    const accepted = loop.createFuture<RecordingProtocol>();
    const server = await s.listen(() => {
      const p = newProtocol('b');
      if (!accepted.done()) accepted.setResult(p);
      return p;
    });
    try {
      const [transport, a] = await s.connect(() => newProtocol('a'), server);
      const b = await waitFor(accepted, WAIT_SECONDS);
      await b.until((p) => p.transport !== null, "the accepted connection's connectionMade");
      const pair: StreamPair = {
        a: { transport, protocol: a },
        b: { transport: b.transport!, protocol: b },
        close: async () => {
          server.close();
          await server.waitClosed();
          s.cleanup?.();
        },
      };
      return pair;
    } catch (error) {
      server.close();
      s.cleanup?.();
      throw error;
    }
  };
}

/** A TCP pair on `host` (a literal address), with `connectOptions`/`serverOptions`. */
export function tcpPair(
  host: string,
  options: { readonly server?: IoOptions; readonly client?: IoOptions } = {},
): MakeStreamPair {
  return socketPair(() => ({
    listen: (factory) => getRunningLoop().createServer(factory, host, 0, options.server),
    connect: (factory, server) =>
      getRunningLoop().createConnection(factory, host, serverPort(server), options.client),
  }));
}
