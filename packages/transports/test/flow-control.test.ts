import type net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getRunningLoop, ValueError } from '@tsio/core';
import type { AbstractFuture, Transport } from '@tsio/core';
import { sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { Protocol } from '../src/index.js';
import { NodePeer } from './helpers/socket-peer.js';

let peer: NodePeer;
beforeEach(async () => {
  peer = await new NodePeer().listen({ host: '127.0.0.1' });
});
afterEach(async () => {
  await peer.close();
});

/** A writer that records pauseWriting/resumeWriting calls with the buffer size at the time. */
class FlowProtocol extends Protocol {
  transport!: Transport;
  readonly calls: [string, number][] = [];
  paused = false;
  resumed: AbstractFuture<void> | null = null;
  lost: AbstractFuture<Error | null> = getRunningLoop().createFuture();

  override connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  override pauseWriting(): void {
    this.paused = true;
    this.calls.push(['pause', this.transport.getWriteBufferSize()]);
  }
  override resumeWriting(): void {
    this.paused = false;
    this.calls.push(['resume', this.transport.getWriteBufferSize()]);
    if (this.resumed !== null && !this.resumed.done()) this.resumed.setResult();
  }
  override connectionLost(exc: Error | null): void {
    this.lost.setResult(exc);
  }
  /** Waits for the next resumeWriting(). */
  async waitResumed(): Promise<void> {
    this.resumed = getRunningLoop().createFuture();
    await this.resumed;
  }
}

async function connect(): Promise<[Transport, FlowProtocol, net.Socket]> {
  const [tr, pr] = await getRunningLoop().createConnection(
    () => new FlowProtocol(),
    '127.0.0.1',
    peer.port,
  );
  return [tr, pr, await peer.accepted()];
}

describe('write flow control', () => {
  it('getWriteBufferLimits defaults to [16 KiB, 64 KiB]; setWriteBufferLimits validates (test_set_write_buffer_limits)', async () => {
    await run(async () => {
      const [tr, pr] = await connect();
      expect(tr.getWriteBufferLimits()).toEqual([16384, 65536]);
      tr.setWriteBufferLimits({ high: 1024 });
      expect(tr.getWriteBufferLimits()).toEqual([256, 1024]);
      tr.setWriteBufferLimits({ low: 100 });
      expect(tr.getWriteBufferLimits()).toEqual([100, 400]);
      tr.setWriteBufferLimits({ high: 10, low: 5 });
      expect(tr.getWriteBufferLimits()).toEqual([5, 10]);
      expect(() => tr.setWriteBufferLimits({ high: 1, low: 2 })).toThrow(ValueError);
      expect(() => tr.setWriteBufferLimits({ high: 1, low: 2 })).toThrow(
        'high (1) must be >= low (2) must be >= 0',
      );
      expect(() => tr.setWriteBufferLimits({ high: -2, low: -1 })).toThrow(ValueError);
      expect(tr.getWriteBufferLimits()).toEqual([5, 10]); // unchanged by the failures
      tr.setWriteBufferLimits();
      expect(tr.getWriteBufferLimits()).toEqual([16384, 65536]);
      tr.close();
      await pr.lost;
    });
  });

  it('calls pauseWriting above the high mark and resumeWriting at the low mark when a slow peer catches up', async () => {
    await run(async () => {
      const [tr, pr, server] = await connect();
      server.pause(); // a peer that does not read
      const chunk = Buffer.alloc(64 * 1024, 1);
      let written = 0;
      // The kernel absorbs a few MiB first; then Node's buffer grows past the mark.
      while (!pr.paused && written < 256 * 1024 * 1024) {
        tr.write(chunk);
        written += chunk.length;
      }
      expect(pr.paused).toBe(true);
      const [kind, size] = pr.calls[0]!;
      expect(kind).toBe('pause');
      expect(size).toBeGreaterThan(65536);
      expect(tr.getWriteBufferSize()).toBeLessThanOrEqual(65536 + chunk.length);
      let received = 0;
      server.on('data', (d: Buffer) => (received += d.length));
      server.resume();
      await pr.waitResumed();
      expect(pr.calls[1]![0]).toBe('resume');
      expect(pr.calls[1]![1]).toBeLessThanOrEqual(16384);
      tr.close();
      await pr.lost;
      while (received < written) await sleep(0.01);
      expect(received).toBe(written);
    });
  });

  it('a peer that reads slowly keeps the writer buffer near the high mark, never unbounded', async () => {
    await run(async () => {
      const [tr, pr, server] = await connect();
      tr.setWriteBufferLimits({ high: 32 * 1024, low: 8 * 1024 });
      // The slow reader: reads 64 KiB, then pauses a while.
      server.pause();
      let received = 0;
      const slowRead = setInterval(() => {
        let chunk: Buffer | null;
        let n = 0;
        while (n < 64 * 1024 && (chunk = server.read() as Buffer | null) !== null) {
          n += chunk.length;
          received += chunk.length;
        }
      }, 2);
      try {
        const chunk = Buffer.alloc(4096, 2);
        let written = 0;
        let maxBuffered = 0;
        const target = 12 * 1024 * 1024;
        while (written < target) {
          if (pr.paused) {
            await pr.waitResumed();
            continue;
          }
          tr.write(chunk);
          written += chunk.length;
          maxBuffered = Math.max(maxBuffered, tr.getWriteBufferSize());
          if (written % (256 * 1024) === 0) await sleep(0); // let the loop breathe
        }
        expect(pr.calls.filter(([k]) => k === 'pause').length).toBeGreaterThan(0);
        // The writer never lets its buffer run past the high mark by more than one chunk.
        expect(maxBuffered).toBeLessThanOrEqual(32 * 1024 + chunk.length);
        for (const [kind, size] of pr.calls) {
          if (kind === 'resume') expect(size).toBeLessThanOrEqual(8 * 1024);
        }
        clearInterval(slowRead);
        tr.close();
        server.on('data', (d: Buffer) => (received += d.length));
        server.resume();
        await pr.lost;
        while (received < written) await sleep(0.01);
        expect(received).toBe(written);
      } finally {
        clearInterval(slowRead);
      }
    });
  });

  it('setWriteBufferLimits lower than the buffer pauses the protocol at once', async () => {
    await run(async () => {
      const [tr, pr, server] = await connect();
      server.pause();
      const chunk = Buffer.alloc(8 * 1024, 1);
      // Fill the kernel's buffers so that Node holds some bytes.
      while (tr.getWriteBufferSize() === 0) {
        tr.write(chunk);
        await sleep(0);
      }
      expect(pr.paused).toBe(false);
      tr.setWriteBufferLimits({ high: 0 });
      expect(pr.paused).toBe(true);
      expect(pr.calls).toEqual([['pause', tr.getWriteBufferSize()]]);
      tr.abort();
      await pr.lost;
    });
  });
});
