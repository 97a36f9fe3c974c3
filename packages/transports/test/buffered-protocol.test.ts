import type net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getRunningLoop, RuntimeError } from '@tsio/core';
import type { AbstractFuture, ExceptionContext, Transport } from '@tsio/core';
import { sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { BufferedProtocol } from '../src/index.js';
import { NodePeer } from './helpers/socket-peer.js';

let peer: NodePeer;
beforeEach(async () => {
  peer = await new NodePeer().listen({ host: '127.0.0.1' });
});
afterEach(async () => {
  await peer.close();
});

/** Receives into a small buffer of `size` bytes, collecting every byte. */
class SmallBuffers extends BufferedProtocol {
  readonly buffer: Uint8Array;
  readonly received: number[] = [];
  readonly hints: number[] = [];
  transport!: Transport;
  eofs = 0;
  lost: AbstractFuture<Error | null> = getRunningLoop().createFuture();
  #want = 0;
  #enough: AbstractFuture<void> | null = null;

  constructor(size: number) {
    super();
    this.buffer = new Uint8Array(size);
  }
  override connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  override getBuffer(sizehint: number): Uint8Array {
    this.hints.push(sizehint);
    return this.buffer;
  }
  override bufferUpdated(nbytes: number): void {
    expect(nbytes).toBeGreaterThan(0);
    expect(nbytes).toBeLessThanOrEqual(this.buffer.length);
    for (let i = 0; i < nbytes; i++) this.received.push(this.buffer[i]!);
    if (this.#enough !== null && this.received.length >= this.#want) this.#enough.setResult();
  }
  override eofReceived(): boolean {
    this.eofs += 1;
    return false;
  }
  override connectionLost(exc: Error | null): void {
    this.lost.setResult(exc);
  }
  async waitForBytes(n: number): Promise<void> {
    if (this.received.length >= n) return;
    this.#want = n;
    this.#enough = getRunningLoop().createFuture();
    await this.#enough;
    this.#enough = null;
  }
}

async function connect<P extends BufferedProtocol>(
  make: () => P,
): Promise<[Transport, P, net.Socket]> {
  const [tr, pr] = await getRunningLoop().createConnection(make, '127.0.0.1', peer.port);
  return [tr, pr, await peer.accepted()];
}

function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

describe('BufferedProtocol over a socket', () => {
  it('receives every byte in order through 7-byte buffers (test_buffered_proto)', async () => {
    await run(async () => {
      const [tr, pr, server] = await connect(() => new SmallBuffers(7));
      const data = pattern(100_003);
      server.end(data);
      expect(await pr.lost).toBeNull();
      expect(Buffer.from(pr.received).equals(data)).toBe(true);
      expect(pr.eofs).toBe(1);
      expect(new Set(pr.hints)).toEqual(new Set([-1]));
      expect(tr.isClosing()).toBe(true);
    });
  });

  it('pauseReading() from bufferUpdated keeps the rest of the chunk for later', async () => {
    await run(async () => {
      class Pausing extends SmallBuffers {
        override bufferUpdated(nbytes: number): void {
          super.bufferUpdated(nbytes);
          if (this.received.length === 21) this.transport.pauseReading();
        }
      }
      const [tr, pr, server] = await connect(() => new Pausing(7));
      const data = pattern(5000);
      server.write(data);
      while (pr.received.length < 21) await sleep(0.01);
      await sleep(0.1);
      expect(pr.received.length).toBe(21);
      tr.resumeReading();
      await pr.waitForBytes(data.length);
      expect(Buffer.from(pr.received).equals(data)).toBe(true);
      tr.close();
      await pr.lost;
    });
  });

  it.each([
    [
      'getBuffer() throwing',
      (p: SmallBuffers) => {
        p.getBuffer = () => {
          throw new Error('no buffer');
        };
      },
      'Fatal error: protocol.getBuffer() call failed.',
      Error,
    ],
    [
      'getBuffer() returning an empty buffer',
      (p: SmallBuffers) => {
        p.getBuffer = () => new Uint8Array(0);
      },
      'Fatal error: protocol.getBuffer() call failed.',
      RuntimeError,
    ],
    [
      'bufferUpdated() throwing',
      (p: SmallBuffers) => {
        p.bufferUpdated = () => {
          throw new Error('bad update');
        };
      },
      'Fatal error: protocol.bufferUpdated() call failed.',
      Error,
    ],
  ] as const)(
    '%s is a fatal error: handler, then connectionLost(exc)',
    async (_name, spoil, message, cls) => {
      await run(async () => {
        const seen: ExceptionContext[] = [];
        getRunningLoop().setExceptionHandler((_l, ctx) => seen.push(ctx));
        const [tr, pr, server] = await connect(() => {
          const p = new SmallBuffers(7);
          spoil(p);
          return p;
        });
        server.write('data');
        const exc = await pr.lost;
        expect(exc).toBeInstanceOf(cls);
        expect(seen).toHaveLength(1);
        expect(seen[0]).toMatchObject({ message, exception: exc, transport: tr, protocol: pr });
      });
    },
  );

  it('getBuffer() returning a non-Uint8Array is a TypeError', async () => {
    await run(async () => {
      getRunningLoop().setExceptionHandler(() => {});
      const [, pr, server] = await connect(() => {
        const p = new SmallBuffers(7);
        p.getBuffer = () => 'nope' as unknown as Uint8Array;
        return p;
      });
      server.write('data');
      expect(await pr.lost).toBeInstanceOf(TypeError);
    });
  });

  it('switching from a BufferedProtocol to a Protocol with setProtocol() mid-stream loses nothing', async () => {
    await run(async () => {
      const collected: Buffer[] = [];
      let done: AbstractFuture<void> | null = null;
      let total = 0;
      const data = pattern(10_000);
      const plain = {
        dataReceived(d: Uint8Array): void {
          collected.push(Buffer.from(d));
          total += d.length;
          if (total + 14 >= data.length) done?.setResult();
        },
        connectionLost(): void {},
      };
      class Switching extends SmallBuffers {
        override bufferUpdated(nbytes: number): void {
          super.bufferUpdated(nbytes);
          if (this.received.length === 14) this.transport.setProtocol(plain);
        }
      }
      done = getRunningLoop().createFuture();
      const [tr, pr, server] = await connect(() => new Switching(7));
      server.write(data);
      await done;
      expect(Buffer.concat([Buffer.from(pr.received), ...collected]).equals(data)).toBe(true);
      tr.close();
    });
  });
});
