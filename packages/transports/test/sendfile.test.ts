import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync, truncateSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  ConnectionError,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  SendfileNotAvailableError,
  ValueError,
} from '@tsio/core';
import type { AbstractEventLoop, BaseProtocol, Transport as TransportContract } from '@tsio/core';
import type { EventLoop } from '@tsio/event-loop';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { DatagramTransport, Protocol, WriteTransport } from '../src/index.js';
import { SocketTransport } from '../src/internal/socket-transport.js';

const FILE_SIZE = 1024 * 1024;
let dir: string;
let filePath: string;
let data: Buffer;
let fd: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsio-sendfile-'));
  filePath = join(dir, 'data.bin');
  data = randomBytes(FILE_SIZE);
  writeFileSync(filePath, data);
  fd = openSync(filePath, 'r');
});

afterAll(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** A plain Node server that collects what each connection sends. */
async function withSink<T>(
  body: (port: number, received: Promise<Buffer>) => Promise<T>,
  onData?: (socket: net.Socket, total: number) => void,
): Promise<T> {
  let deliver!: (data: Buffer) => void;
  const received = new Promise<Buffer>((resolve) => (deliver = resolve));
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    let total = 0;
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      total += chunk.length;
      onData?.(socket, total);
    });
    socket.on('error', () => {});
    socket.on('close', () => deliver(Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body((server.address() as net.AddressInfo).port, received);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

class Sender extends Protocol {
  lost: Error | null | undefined = undefined;
  override connectionLost(exc: Error | null): void {
    this.lost = exc;
  }
}

async function connect(
  loop: AbstractEventLoop,
  port: number,
): Promise<[TransportContract, Sender]> {
  return loop.createConnection(() => new Sender(), '127.0.0.1', port);
}

/** Watches (without replacing) SocketTransport's sendfile hooks, to see the fast path run. */
function watchHooks(): { makeEmpty: number; reset: number; restore(): void } {
  const makeEmpty = jest.spyOn(SocketTransport.prototype, '_makeEmptyWaiter');
  const reset = jest.spyOn(SocketTransport.prototype, '_resetEmptyWaiter');
  return {
    get makeEmpty() {
      return makeEmpty.mock.calls.length;
    },
    get reset() {
      return reset.mock.calls.length;
    },
    restore() {
      makeEmpty.mockRestore();
      reset.mockRestore();
    },
  };
}

/** A write transport without a fast path that records writes, with scriptable flow control. */
class RecordingTransport extends WriteTransport {
  readonly writes: Buffer[] = [];
  closing = false;
  protocol: BaseProtocol;
  onWrite: ((transport: RecordingTransport) => void) | null = null;
  constructor(protocol: BaseProtocol) {
    super();
    this.protocol = protocol;
  }
  override write(chunk: Uint8Array): void {
    this.writes.push(Buffer.from(chunk));
    this.onWrite?.(this);
  }
  override isClosing(): boolean {
    return this.closing;
  }
  override getProtocol(): BaseProtocol {
    return this.protocol;
  }
  override setProtocol(protocol: BaseProtocol): void {
    this.protocol = protocol;
  }
  override toString(): string {
    return '<RecordingTransport>';
  }
}

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('sendfile over a TCP socket transport (fast path)', () => {
  it('sends a 1 MiB file from a file descriptor (test_sendfile)', async () => {
    await withSink(async (port, received) => {
      await run(async () => {
        const loop = getRunningLoop();
        const [transport, protocol] = await connect(loop, port);
        expect(transport).toBeInstanceOf(SocketTransport);
        const hooks = watchHooks();
        let calls: number[];
        try {
          expect(await loop.sendfile(transport, fd)).toBe(FILE_SIZE);
          calls = [hooks.makeEmpty, hooks.reset];
        } finally {
          hooks.restore();
        }
        // The fast path ran: it flushed the transport first and gave writes back after.
        expect(calls).toEqual([1, 1]);
        expect(protocol.lost).toBeUndefined();
        expect(transport.isReading()).toBe(true);
        transport.close();
      });
      expect((await received).equals(data)).toBe(true);
    });
  });

  it('keeps the order of writes before and after (test_sendfile_pre_and_post_data)', async () => {
    await withSink(async (port, received) => {
      await run(async () => {
        const loop = getRunningLoop();
        const [transport] = await connect(loop, port);
        transport.write(Buffer.from('PRE '));
        expect(await loop.sendfile(transport, fd)).toBe(FILE_SIZE);
        transport.write(Buffer.from(' POST'));
        transport.close();
      });
      const got = await received;
      expect(got.length).toBe(FILE_SIZE + 9);
      expect(got.subarray(0, 4).toString()).toBe('PRE ');
      expect(got.subarray(4, 4 + FILE_SIZE).equals(data)).toBe(true);
      expect(got.subarray(4 + FILE_SIZE).toString()).toBe(' POST');
    });
  });

  it('sends count bytes from offset of a FileHandle (test_sendfile_partial)', async () => {
    const handle: FileHandle = await open(filePath, 'r');
    try {
      await withSink(async (port, received) => {
        await run(async () => {
          const loop = getRunningLoop();
          const [transport] = await connect(loop, port);
          expect(await loop.sendfile(transport, handle, 1000, 100)).toBe(100);
          // Past the end: stops at end of file.
          expect(await loop.sendfile(transport, handle, FILE_SIZE - 10, 1000)).toBe(10);
          expect(await loop.sendfile(transport, handle, FILE_SIZE)).toBe(0);
          transport.close();
        });
        const got = await received;
        expect(got.equals(Buffer.concat([data.subarray(1000, 1100), data.subarray(-10)]))).toBe(
          true,
        );
      });
    } finally {
      await handle.close();
    }
  });

  it('refuses write() while sending (test_sendfile_prevents_bare_write)', async () => {
    await withSink(async (port, received) => {
      await run(async () => {
        const loop = getRunningLoop();
        const [transport] = await connect(loop, port);
        const sending = createTask(() => loop.sendfile(transport, fd));
        await sleep(0);
        const refused = (f: () => void): unknown => {
          try {
            f();
          } catch (error) {
            return error;
          }
          throw new Error('expected a refusal');
        };
        const error = refused(() => transport.write(Buffer.from('x')));
        expect(error).toBeInstanceOf(RuntimeError);
        expect(String(error)).toContain('unable to write; sendfile is in progress');
        expect(String(refused(() => transport.writelines([Buffer.from('x')])))).toContain(
          'unable to writelines; sendfile is in progress',
        );
        expect(await sending).toBe(FILE_SIZE);
        transport.write(Buffer.from('after'));
        transport.close();
      });
      const got = await received;
      expect(got.subarray(0, FILE_SIZE).equals(data)).toBe(true);
      expect(got.subarray(FILE_SIZE).toString()).toBe('after');
    });
  });

  it('fails with a ConnectionError when the peer closes midway (test_sendfile_close_peer_in_the_middle_of_receiving)', async () => {
    const bigPath = join(dir, 'big.bin');
    writeFileSync(bigPath, '');
    truncateSync(bigPath, 64 * 1024 * 1024);
    const bigFd = openSync(bigPath, 'r');
    try {
      await withSink(
        async (port) => {
          await run(async () => {
            const loop = getRunningLoop();
            loop.setExceptionHandler(() => {});
            const [transport, protocol] = await connect(loop, port);
            const error = await failure(loop.sendfile(transport, bigFd));
            expect(error).toBeInstanceOf(ConnectionError);
            await sleep(0);
            expect(transport.isClosing()).toBe(true);
            expect(protocol.lost).toBeInstanceOf(ConnectionError);
          });
        },
        (socket, total) => {
          if (total >= 1024) socket.destroy();
        },
      );
    } finally {
      closeSync(bigFd);
    }
  });
});

describe("SocketTransport's sendfile hooks", () => {
  it('_makeEmptyWaiter waits for the buffer, fails when the connection is lost; _isProtocolPaused', async () => {
    // A peer that never reads: what we write stays buffered.
    const peers: net.Socket[] = [];
    const server = net.createServer((socket) => {
      socket.pause();
      socket.on('error', () => {});
      peers.push(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(async () => {
        const loop = getRunningLoop();
        const [transport] = await connect(loop, (server.address() as net.AddressInfo).port);
        const socketTransport = transport as SocketTransport;
        // Empty buffer: resolved at once.
        const empty = socketTransport._makeEmptyWaiter();
        expect(() => socketTransport._makeEmptyWaiter()).toThrow('Empty waiter is already set');
        await empty;
        socketTransport._resetEmptyWaiter();
        expect(socketTransport._isProtocolPaused()).toBe(false);
        transport.write(Buffer.alloc(32 * 1024 * 1024));
        expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
        expect(socketTransport._isProtocolPaused()).toBe(true);
        const waiter = socketTransport._makeEmptyWaiter();
        await sleep(0.05);
        expect(waiter.done()).toBe(false);
        transport.abort();
        const error = await failure(waiter);
        expect(error).toBeInstanceOf(ConnectionError);
        expect(String(error)).toContain('Connection is closed by peer');
        socketTransport._resetEmptyWaiter();
      });
    } finally {
      for (const socket of peers) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('sendfile fallback (transports without a fast path)', () => {
  it('writes chunks through transport.write and restores the protocol (test_sendfile_force_fallback)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const protocol = new Sender();
      const transport = new RecordingTransport(protocol);
      expect(await loop.sendfile(transport, fd)).toBe(FILE_SIZE);
      expect(Buffer.concat(transport.writes).equals(data)).toBe(true);
      expect(transport.getProtocol()).toBe(protocol);
      expect(await loop.sendfile(transport, fd, 10, 5)).toBe(5);
      expect(transport.writes.at(-1)?.equals(data.subarray(10, 15))).toBe(true);
    });
  });

  it('waits for resumeWriting between chunks', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const protocol = new Sender();
      const transport = new RecordingTransport(protocol);
      const events: string[] = [];
      transport.onWrite = (t) => {
        events.push('write');
        const wrapper = t.getProtocol();
        wrapper.pauseWriting?.();
        loop.callSoon(() => {
          events.push('resume');
          wrapper.resumeWriting?.();
        });
      };
      expect(await loop.sendfile(transport, fd, 0, 600 * 1024)).toBe(600 * 1024);
      // Each write waited for the resume before it. The last resume, scheduled by the last
      // write, may run after sendfile's caller resumes (python-differences item 7): one trip
      // through the loop runs it.
      await sleep(0);
      expect(events).toEqual(['write', 'resume', 'write', 'resume', 'write', 'resume']);
      expect(transport.getProtocol()).toBe(protocol);
    });
  });

  it('cancellation stops sending and restores the protocol', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const protocol = new Sender();
      const transport = new RecordingTransport(protocol);
      // Pause after the first chunk, never resume.
      transport.onWrite = (t) => t.getProtocol().pauseWriting?.();
      const task = createTask(() => loop.sendfile(transport, fd));
      while (transport.writes.length === 0) await sleep(0);
      await sleep(0);
      expect(transport.getProtocol()).not.toBe(protocol);
      task.cancel();
      expect(isCancelledError(await failure(task))).toBe(true);
      expect(transport.getProtocol()).toBe(protocol);
      expect(transport.writes.length).toBe(1);
    });
  });

  it('a connection lost while paused fails the sendfile and reaches the protocol', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const protocol = new Sender();
      const transport = new RecordingTransport(protocol);
      transport.onWrite = (t) => {
        const wrapper = t.getProtocol();
        wrapper.pauseWriting?.();
        loop.callSoon(() => {
          t.closing = true;
          wrapper.connectionLost?.(null);
        });
      };
      const error = await failure(loop.sendfile(transport, fd));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(protocol.lost).toBeNull();
      expect(transport.getProtocol()).toBe(protocol);
    });
  });

  it('fallback: false fails with SendfileNotAvailableError (test_sendfile_no_fallback_for_fallback_transport)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const transport = new RecordingTransport(new Sender());
      const error = await failure(
        (loop as EventLoop).sendfile(transport, fd, 0, null, { fallback: false }),
      );
      expect(error).toBeInstanceOf(SendfileNotAvailableError);
      expect(error).toBeInstanceOf(RuntimeError);
      expect(String(error)).toMatch(/fallback is disabled/);
      expect(transport.writes).toEqual([]);
    });
  });
});

describe('sendfile checks its arguments before any I/O', () => {
  it('rejects bad files, offsets, counts and transports', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const transport = new RecordingTransport(new Sender());
      const send = (...args: unknown[]) =>
        failure(
          (loop.sendfile as (...a: unknown[]) => Promise<number>).call(loop, transport, ...args),
        );
      expect(await send('data.bin')).toBeInstanceOf(TypeError);
      expect(await send(-1)).toBeInstanceOf(TypeError);
      const offset = await send(fd, -1);
      expect(offset).toBeInstanceOf(ValueError);
      expect(String(offset)).toContain('offset must be a non-negative integer (got -1)');
      expect(await send(fd, 1.5)).toBeInstanceOf(ValueError);
      expect(await send(fd, '1')).toBeInstanceOf(TypeError);
      expect(String(await send(fd, 0, 0))).toContain('count must be a positive integer (got 0)');
      expect(await send(fd, 0, '10')).toBeInstanceOf(TypeError);
      expect(transport.writes).toEqual([]);
      const notTransport = await failure(loop.sendfile({} as never, fd));
      expect(notTransport).toBeInstanceOf(TypeError);
      const datagram = await failure(loop.sendfile(new DatagramTransport() as never, fd));
      expect(datagram).toBeInstanceOf(RuntimeError);
      expect(String(datagram)).toMatch(/not supported/);
    });
  });

  it('a closing transport is a RuntimeError (test_sendfile_for_closing_transp)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const transport = new RecordingTransport(new Sender());
      transport.closing = true;
      const error = await failure(loop.sendfile(transport, fd));
      expect(error).toBeInstanceOf(RuntimeError);
      expect(String(error)).toContain('Transport is closing');
      expect(transport.writes).toEqual([]);
    });
  });
});
