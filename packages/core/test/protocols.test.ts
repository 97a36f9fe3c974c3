import type {
  AbstractEventLoop,
  AbstractServer,
  BaseProtocol,
  BufferedProtocol,
  DatagramProtocol,
  Protocol,
  ProtocolFactory,
  SubprocessProtocol,
  Transport,
} from '../src/index.js';

// These interfaces have no runtime code: the checks here are mostly made by the type checker
// (`npm run typecheck` covers test/), with a few runtime calls to keep jest honest.

/** Accepts what `loop.createConnection` accepts. */
function connectionFactory<P extends Protocol>(factory: ProtocolFactory<P>): P {
  return factory();
}

describe('protocol interfaces', () => {
  it('accept an empty protocol, as asyncio.Protocol() is usable as is', () => {
    const protocols: [BaseProtocol, Protocol, DatagramProtocol, SubprocessProtocol] = [
      {},
      {},
      {},
      {},
    ];
    expect(protocols).toHaveLength(4);
  });

  it('accept a BufferedProtocol where a Protocol is expected (create_connection takes both)', () => {
    const received: number[] = [];
    const buffer = new Uint8Array(16);
    const buffered: BufferedProtocol = {
      getBuffer: () => buffer,
      bufferUpdated: (nbytes) => received.push(nbytes),
    };
    const protocol = connectionFactory(() => buffered);
    protocol.getBuffer(-1).set([1, 2]);
    protocol.bufferUpdated(2);
    expect(received).toEqual([2]);
  });

  it('require getBuffer and bufferUpdated of a BufferedProtocol', () => {
    // @ts-expect-error: a BufferedProtocol must provide getBuffer
    const missing: BufferedProtocol = { bufferUpdated: () => {} };
    expect(missing).toEqual({ bufferUpdated: expect.any(Function) });
  });

  it('type the transport given to connectionMade by protocol kind', () => {
    let written: Uint8Array | undefined;
    const protocol: Protocol = {
      connectionMade(transport: Transport) {
        transport.write(new Uint8Array([1]));
      },
      eofReceived: () => true,
    };
    protocol.connectionMade?.({ write: (d: Uint8Array) => (written = d) } as unknown as Transport);
    expect(written).toEqual(new Uint8Array([1]));
    expect(protocol.eofReceived?.()).toBe(true);
  });

  it('describe a server usable with await using', async () => {
    let closed = false;
    const server = {
      sockets: [],
      close: () => (closed = true),
      closeClients: () => {},
      abortClients: () => {},
      getLoop: () => ({}) as AbstractEventLoop,
      isServing: () => !closed,
      startServing: async () => {},
      serveForever: async () => {},
      waitClosed: async () => {},
      async [Symbol.asyncDispose]() {
        this.close();
        await this.waitClosed();
      },
    } satisfies AbstractServer;
    await server[Symbol.asyncDispose]();
    expect(server.isServing()).toBe(false);
  });
});
