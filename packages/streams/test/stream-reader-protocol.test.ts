import { describe, expect, it } from '@jest/globals';
import { ConnectionResetError, RuntimeError, ValueError, getRunningLoop } from '@tsio/core';
import type { AbstractEventLoop, AbstractTask } from '@tsio/core';
import { currentTask, gather, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { Transport } from '@tsio/transports';
import { StreamReader, StreamReaderProtocol, StreamWriter } from '../src/index.js';
import { dec, enc, recordExceptions } from './helpers/connection-helpers.js';

/** A transport double that records what the protocol and the reader do to it. */
class FakeTransport extends Transport {
  readonly events: string[] = [];
  readonly written: string[] = [];
  closing = false;
  reading = true;

  constructor(extra: Record<string, unknown> = {}) {
    super(extra);
  }
  override isClosing(): boolean {
    return this.closing;
  }
  override close(): void {
    this.events.push('close');
    this.closing = true;
  }
  override isReading(): boolean {
    return this.reading;
  }
  override pauseReading(): void {
    this.events.push('pauseReading');
    this.reading = false;
  }
  override resumeReading(): void {
    this.events.push('resumeReading');
    this.reading = true;
  }
  override write(data: Uint8Array): void {
    this.written.push(dec(data));
  }
}

/** Lets the loop run a few iterations. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await sleep(0);
}

describe('StreamReaderProtocol', () => {
  it('feeds data and end of file to the reader', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const protocol = new StreamReaderProtocol(reader);
      const transport = new FakeTransport();
      protocol.connectionMade(transport);
      protocol.dataReceived(enc('line one\nline '));
      protocol.dataReceived(enc('two\n'));
      expect(protocol.eofReceived()).toBe(true); // keep the transport half-open
      expect(dec(await reader.readline())).toBe('line one\n');
      expect(dec(await reader.readline())).toBe('line two\n');
      expect(reader.atEof()).toBe(true);
      protocol.connectionLost(null);
      await protocol._getCloseWaiter(null);
    });
  });

  it('gives the reader the transport, which it pauses above twice the limit', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 4 });
      const protocol = new StreamReaderProtocol(reader);
      const transport = new FakeTransport();
      protocol.connectionMade(transport);
      protocol.dataReceived(enc('0123456789'));
      expect(transport.events).toContain('pauseReading');
      expect(dec(await reader.read(10))).toBe('0123456789');
      expect(transport.events).toContain('resumeReading');
      protocol.connectionLost(null);
    });
  });

  it('eofReceived() returns false over TLS (no half-close there)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const protocol = new StreamReaderProtocol(reader);
      protocol.connectionMade(new FakeTransport({ sslcontext: {} }));
      expect(protocol.eofReceived()).toBe(false);
      expect(reader.atEof()).toBe(true);
      protocol.connectionLost(null);
    });
  });

  it('connectionLost(exc): the reader fails, waitClosed() rejects, nothing is logged', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const seen = recordExceptions(loop);
      const reader = new StreamReader();
      const protocol = new StreamReaderProtocol(reader);
      const transport = new FakeTransport();
      protocol.connectionMade(transport);
      const reading = reader.read();
      const failure = new ConnectionResetError('reset by peer');
      protocol.connectionLost(failure);
      await expect(reading).rejects.toBe(failure);
      expect(reader.exception()).toBe(failure);
      const writer = new StreamWriter(transport, protocol, reader, loop);
      await expect(writer.waitClosed()).rejects.toBe(failure);
      await expect(writer.drain()).rejects.toBe(failure);
      // Data after the loss goes nowhere.
      protocol.dataReceived(enc('late'));
      await settle();
      expect(seen).toEqual([]);
    });
  });

  it('without a reader, it only tracks the connection', async () => {
    await run(async () => {
      const protocol = new StreamReaderProtocol(null);
      protocol.connectionMade(new FakeTransport());
      protocol.dataReceived(enc('ignored'));
      expect(protocol.eofReceived()).toBe(true);
      protocol.connectionLost(null);
      await protocol._getCloseWaiter(null);
    });
  });

  it('calls a plain client callback at once, in a task, with the reader and a writer', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const calls: [StreamReader, StreamWriter, AbstractTask<unknown> | null][] = [];
      const protocol = new StreamReaderProtocol(reader, (r, w) => {
        calls.push([r, w, currentTask()]);
      });
      const transport = new FakeTransport();
      protocol.connectionMade(transport);
      expect(calls).toHaveLength(1);
      const [r, w, task] = calls[0]!;
      expect(r).toBe(reader);
      expect(w.transport).toBe(transport);
      expect(task).not.toBeNull();
      w.write(enc('from the writer'));
      expect(transport.written).toEqual(['from the writer']);
      await settle();
      expect(transport.events).not.toContain('close');
      protocol.connectionLost(null);
    });
  });

  it('runs an async client callback as a task on the next iteration', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const order: string[] = [];
      const protocol = new StreamReaderProtocol(reader, async (r, w) => {
        order.push(`callback in task: ${currentTask() !== null}`);
        w.write(await r.readline());
      });
      const transport = new FakeTransport();
      protocol.connectionMade(transport);
      order.push('connectionMade returned');
      protocol.dataReceived(enc('echo me\n'));
      await settle();
      expect(order).toEqual(['connectionMade returned', 'callback in task: true']);
      expect(transport.written).toEqual(['echo me\n']);
      expect(transport.events).not.toContain('close');
      protocol.connectionLost(null);
    });
  });

  it('a failing async callback goes to the exception handler and closes its transport', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const seen = recordExceptions(loop);
      const failure = new RuntimeError('handler failed');
      const protocol = new StreamReaderProtocol(new StreamReader(), async () => {
        await sleep(0);
        throw failure;
      });
      const transport = new FakeTransport();
      protocol.connectionMade(transport);
      await settle();
      expect(seen).toEqual([
        { message: 'Unhandled exception in client_connected_cb', exception: failure, transport },
      ]);
      expect(transport.events).toEqual(['close']);
    });
  });

  it('a cancelled callback task closes its transport without a report', async () => {
    await run(async () => {
      const seen = recordExceptions(getRunningLoop());
      let task: AbstractTask<unknown> | null = null;
      const protocol = new StreamReaderProtocol(new StreamReader(), async () => {
        task = currentTask();
        await sleep(3600);
      });
      const transport = new FakeTransport();
      protocol.connectionMade(transport);
      await sleep(0);
      (task as AbstractTask<unknown> | null)?.cancel();
      await settle();
      expect(transport.events).toEqual(['close']);
      expect(seen).toEqual([]);
    });
  });

  it('takes the running loop, or the one given', async () => {
    let inside: AbstractEventLoop | null = null;
    await run(async () => {
      inside = getRunningLoop();
      const protocol = new StreamReaderProtocol(null, null, inside);
      expect(protocol._getCloseWaiter(null).getLoop()).toBe(inside);
      expect(new StreamReaderProtocol(null)._getCloseWaiter(null).getLoop()).toBe(inside);
    });
    expect(inside).not.toBeNull();
    expect(() => new StreamReaderProtocol(null)).toThrow(/no running event loop/);
  });

  it('rejects a callback that is not a function, or a callback without a reader', async () => {
    await run(async () => {
      expect(
        () => new StreamReaderProtocol(new StreamReader(), 'cb' as unknown as () => void),
      ).toThrow(TypeError);
      expect(() => new StreamReaderProtocol(null, () => {})).toThrow(TypeError);
      expect(() => new StreamReader({ limit: 0 })).toThrow(ValueError);
    });
  });

  it('several drain() calls all wake on resumeWriting (test_multiple_drain)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const protocol = new StreamReaderProtocol(null);
      const writer = new StreamWriter(new FakeTransport(), protocol, null, loop);
      protocol.pauseWriting();
      let drained = 0;
      loop.callLater(0.01, () => protocol.resumeWriting());
      await gather(
        ...Array.from({ length: 10 }, () => async () => {
          await writer.drain();
          drained += 1;
        }).map((f) => f()),
      );
      expect(drained).toBe(10);
    });
  });

  it('drain() waiting while paused fails with the error the connection is lost with', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const protocol = new StreamReaderProtocol(null);
      const writer = new StreamWriter(new FakeTransport(), protocol, null, loop);
      protocol.pauseWriting();
      const waiting = writer.drain();
      await sleep(0);
      const failure = new ConnectionResetError('gone');
      protocol.connectionLost(failure);
      await expect(waiting).rejects.toBe(failure);
      await expect(writer.drain()).rejects.toThrow(new ConnectionResetError('Connection lost'));
    });
  });
});
