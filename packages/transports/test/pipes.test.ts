import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { BrokenPipeError, ValueError, getRunningLoop } from '@tsio/core';
import type { AbstractFuture, ExceptionContext, ReadTransport, WriteTransport } from '@tsio/core';
import { sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { BaseProtocol, BufferedProtocol, Protocol } from '../src/index.js';
import { rejection } from './helpers/rejection.js';

/** A read-side protocol that records its callbacks; `done` resolves at connectionLost. */
class Reader extends Protocol {
  readonly events: string[] = [];
  readonly chunks: Buffer[] = [];
  readonly done: AbstractFuture<Error | null> = getRunningLoop().createFuture();
  readonly firstData: AbstractFuture<void> = getRunningLoop().createFuture();
  lost: Error | null | undefined = undefined;

  override connectionMade(): void {
    this.events.push('connectionMade');
  }
  override dataReceived(data: Uint8Array): void {
    if (this.events.at(-1) !== 'data') this.events.push('data');
    this.chunks.push(Buffer.from(data));
    if (!this.firstData.done()) this.firstData.setResult();
  }
  override eofReceived(): boolean {
    this.events.push('eofReceived');
    return true; // ignored: a read pipe closes at EOF anyway
  }
  override connectionLost(exc: Error | null): void {
    this.events.push(`connectionLost ${exc === null ? 'null' : exc.name}`);
    this.lost = exc;
    this.done.setResult(exc);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}

/** A write-side protocol that records flow control and connectionLost. */
class Writer extends BaseProtocol {
  readonly events: string[] = [];
  readonly done: AbstractFuture<Error | null> = getRunningLoop().createFuture();

  override connectionMade(): void {
    this.events.push('connectionMade');
  }
  override pauseWriting(): void {
    this.events.push('pauseWriting');
  }
  override resumeWriting(): void {
    this.events.push('resumeWriting');
  }
  override connectionLost(exc: Error | null): void {
    this.events.push(`connectionLost ${exc === null ? 'null' : exc.name}`);
    this.done.setResult(exc);
  }
}

let fifoCount = 0;

/** A FIFO in tmpdir, opened non-blocking at both ends: `[readFd, writeFd, cleanup]`. */
function makeFifo(): [number, number, () => void] {
  const file = path.join(os.tmpdir(), `tsio-fifo-${process.pid}-${Date.now()}-${fifoCount++}`);
  execFileSync('mkfifo', [file]);
  const readFd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writeFd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  return [readFd, writeFd, () => fs.rmSync(file, { force: true })];
}

/** Runs `main` in a new loop with a FIFO (see makeFifo); removes the FIFO afterwards. */
async function withFifo(main: (readFd: number, writeFd: number) => Promise<void>): Promise<void> {
  const [readFd, writeFd, cleanup] = makeFifo();
  try {
    await run(() => main(readFd, writeFd));
  } finally {
    cleanup();
  }
}

/** Connects a Reader to the read end of a FIFO and a Writer to its write end. */
async function connectFifo(readFd: number, writeFd: number) {
  const loop = getRunningLoop();
  const [rt, reader] = await loop.connectReadPipe(() => new Reader(), readFd);
  const [wt, writer] = await loop.connectWritePipe(() => new Writer(), writeFd);
  return { rt, reader, wt, writer };
}

describe('connectReadPipe', () => {
  it("reads a child's stdout to EOF, then closes (test_read_pipe)", async () => {
    // The child writes only once its stdin ends, after the state right after connecting was
    // checked: a child that wrote and exited before that (a slow parent) would already have
    // delivered its data and EOF, or, exiting before the transport listened, lost its output
    // (Node resumes and drains an exited child's unread stdout).
    const child = spawn(
      process.execPath,
      ['-e', 'process.stdin.resume().on("end", () => process.stdout.write("hello pipe"))'],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    try {
      await run(async () => {
        const loop = getRunningLoop();
        const [transport, protocol] = await loop.connectReadPipe(() => new Reader(), child.stdout);
        expect(protocol.events).toEqual(['connectionMade']);
        expect(transport.getExtraInfo('pipe')).toBe(child.stdout);
        expect(transport.isReading()).toBe(true);
        child.stdin?.end();
        expect(await protocol.done).toBeNull();
        expect(protocol.text()).toBe('hello pipe');
        expect(protocol.events).toEqual([
          'connectionMade',
          'data',
          'eofReceived',
          'connectionLost null',
        ]);
        expect(transport.isClosing()).toBe(true);
        expect(transport.isReading()).toBe(false);
        transport.close(); // closing twice does nothing
      });
    } finally {
      child.stdin?.destroy(); // the child ends even when a check above failed
    }
    expect(child.stdout?.destroyed).toBe(true);
  });

  it('reads and writes through a FIFO given as file descriptors', async () => {
    await withFifo(async (readFd, writeFd) => {
      const { rt, reader, wt, writer } = await connectFifo(readFd, writeFd);
      expect(wt.canWriteEof()).toBe(true);
      wt.write(Buffer.from('via '));
      wt.writelines([Buffer.from('a '), Buffer.from('fifo')]);
      wt.close();
      expect(wt.isClosing()).toBe(true);
      expect(await writer.done).toBeNull();
      expect(await reader.done).toBeNull();
      expect(reader.text()).toBe('via a fifo');
      expect(writer.events).toEqual(['connectionMade', 'connectionLost null']);
      expect(rt.isClosing()).toBe(true);
    });
  });

  it('pauses and resumes reading (test_pause_reading, test_resume_reading)', async () => {
    await withFifo(async (readFd, writeFd) => {
      const { rt, reader, wt, writer } = await connectFifo(readFd, writeFd);
      wt.write(Buffer.from('one'));
      await reader.firstData;
      rt.pauseReading();
      rt.pauseReading(); // twice: no-op
      expect(rt.isReading()).toBe(false);
      wt.write(Buffer.from('two'));
      wt.close();
      await writer.done;
      // Nothing arrives while paused (a negative check: waiting longer cannot make it fail).
      await sleep(0.3);
      expect(reader.text()).toBe('one');
      expect(reader.events).not.toContain('eofReceived');
      rt.resumeReading();
      expect(rt.isReading()).toBe(true);
      expect(await reader.done).toBeNull();
      expect(reader.text()).toBe('onetwo');
    });
  });

  it('calls connectionLost(null) soon after close() (test_close)', async () => {
    const stream = new PassThrough();
    await run(async () => {
      const loop = getRunningLoop();
      const [transport, protocol] = await loop.connectReadPipe(() => new Reader(), stream);
      transport.close();
      expect(transport.isClosing()).toBe(true);
      expect(protocol.lost).toBeUndefined();
      stream.write('late'); // dropped: the transport no longer reads
      expect(await protocol.done).toBeNull();
      expect(protocol.events).toEqual(['connectionMade', 'connectionLost null']);
    });
    expect(stream.destroyed).toBe(true);
  });

  it('reports a stream error as connectionLost(OSError) once (test__read_ready_error)', async () => {
    const stream = new PassThrough();
    const reported: ExceptionContext[] = [];
    await run(async () => {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => reported.push(context));
      const [transport, protocol] = await loop.connectReadPipe(() => new Reader(), stream);
      stream.destroy(Object.assign(new Error('read EBADF'), { code: 'EBADF', syscall: 'read' }));
      const exc = await protocol.done;
      expect(exc?.name).toBe('OSError');
      expect((exc as { code?: string }).code).toBe('EBADF');
      await sleep(0);
      expect(protocol.events.filter((e) => e.startsWith('connectionLost'))).toHaveLength(1);
      expect(reported.map((c) => c.message)).toEqual(['Fatal read error on pipe transport']);
      expect(reported[0]?.transport).toBe(transport);
    });
  });

  it('closes with the error when dataReceived throws', async () => {
    const stream = new PassThrough();
    const reported: unknown[] = [];
    await run(async () => {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => reported.push(context.exception));
      const boom = new Error('boom');
      const [, protocol] = await loop.connectReadPipe(() => {
        const p = new Reader();
        p.dataReceived = () => {
          throw boom;
        };
        return p;
      }, stream);
      stream.write('x');
      expect(await protocol.done).toBe(boom);
      expect(reported).toEqual([boom]);
    });
  });

  it('feeds a BufferedProtocol through getBuffer/bufferUpdated', async () => {
    const stream = Readable.from([Buffer.from('abcdefghij')], { objectMode: false });
    await run(async () => {
      const loop = getRunningLoop();
      const received: string[] = [];
      const done = loop.createFuture<void>();
      class Small extends BufferedProtocol {
        buffer = new Uint8Array(4);
        override getBuffer(): Uint8Array {
          return this.buffer;
        }
        override bufferUpdated(n: number): void {
          received.push(Buffer.from(this.buffer.subarray(0, n)).toString());
        }
        override connectionLost(): void {
          done.setResult();
        }
      }
      await loop.connectReadPipe(() => new Small() as unknown as Protocol, stream);
      await done;
      expect(received).toEqual(['abcd', 'efgh', 'ij']);
    });
  });

  it('rejects what is not a pipe (test_ctor: "Pipe transport is only for pipes...")', async () => {
    const file = path.join(os.tmpdir(), `tsio-regular-${process.pid}-${Date.now()}`);
    fs.writeFileSync(file, 'x');
    const fd = fs.openSync(file, 'r');
    try {
      await run(async () => {
        const loop = getRunningLoop();
        const factory = (): Reader => new Reader();
        const regular = await rejection(loop.connectReadPipe(factory, fd));
        expect(regular).toBeInstanceOf(ValueError);
        expect(regular.message).toMatch(/only for pipes, sockets and character devices/);
        expect(await rejection(loop.connectReadPipe(factory, 'path'))).toBeInstanceOf(TypeError);
        expect(await rejection(loop.connectReadPipe(factory, {}))).toBeInstanceOf(TypeError);
        expect(await rejection(loop.connectReadPipe(factory, -1))).toBeInstanceOf(ValueError);
        const destroyed = new PassThrough();
        destroyed.destroy();
        expect(await rejection(loop.connectReadPipe(factory, destroyed))).toBeInstanceOf(
          ValueError,
        );
        const text = new PassThrough();
        text.setEncoding('utf8');
        expect(await rejection(loop.connectReadPipe(factory, text))).toBeInstanceOf(ValueError);
        const writeOnly = new PassThrough();
        const wf = (): Writer => new Writer();
        expect(await rejection(loop.connectWritePipe(wf, fd))).toBeInstanceOf(ValueError);
        expect(await rejection(loop.connectWritePipe(wf, Readable.from([])))).toBeInstanceOf(
          TypeError,
        );
        writeOnly.end();
        expect(await rejection(loop.connectWritePipe(wf, writeOnly))).toBeInstanceOf(ValueError);
      });
      fs.fstatSync(fd); // the caller's descriptor is left open
    } finally {
      fs.closeSync(fd);
      fs.unlinkSync(file);
    }
  });
});

describe('connectWritePipe', () => {
  it("writes to a child's stdin; close() flushes then calls connectionLost(null)", async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        'let n = 0; process.stdin.on("data", (d) => { n += d.length }).on("end", () => process.stdout.write(String(n)))',
      ],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    const closed = new Promise((resolve) => child.on('close', resolve));
    await run(async () => {
      const loop = getRunningLoop();
      const [transport, protocol] = await loop.connectWritePipe(() => new Writer(), child.stdin);
      expect(transport.getExtraInfo('pipe')).toBe(child.stdin);
      const chunk = Buffer.alloc(1024 * 1024, 0x62);
      for (let i = 0; i < 4; i++) transport.write(chunk);
      expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
      transport.close();
      expect(await protocol.done).toBeNull();
      expect(protocol.events).toEqual([
        'connectionMade',
        'pauseWriting',
        'resumeWriting',
        'connectionLost null',
      ]);
    });
    await closed;
    expect(Buffer.concat(out).toString()).toBe(String(4 * 1024 * 1024));
  });

  it('reports a reader that went away as BrokenPipeError (test__write_err / EPIPE)', async () => {
    await withFifo(async (readFd, writeFd) => {
      const [wt, writer] = await getRunningLoop().connectWritePipe(() => new Writer(), writeFd);
      fs.closeSync(readFd);
      wt.write(Buffer.alloc(1024 * 1024));
      const exc = await writer.done;
      expect(exc).toBeInstanceOf(BrokenPipeError);
      expect(wt.isClosing()).toBe(true);
    });
  });

  it('drops writes after close and warns after 5 (test_write_after_close / LOG_THRESHOLD)', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await run(async () => {
        const loop = getRunningLoop();
        const sink = new PassThrough();
        sink.resume();
        const [transport, protocol] = await loop.connectWritePipe(() => new Writer(), sink);
        transport.close();
        for (let i = 0; i < 5; i++) transport.write(Buffer.from('x'));
        expect(warn).not.toHaveBeenCalled();
        transport.write(Buffer.from('x'));
        expect(warn).toHaveBeenCalledTimes(1);
        expect(await protocol.done).toBeNull();
      });
    } finally {
      warn.mockRestore();
    }
  });

  it('abort() drops the buffer and calls connectionLost(null) (test_abort)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const sink = new PassThrough({ highWaterMark: 16 }); // never read: writes stay buffered
      const [transport, protocol] = await loop.connectWritePipe(() => new Writer(), sink);
      transport.write(Buffer.alloc(100 * 1024));
      expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
      transport.abort();
      expect(transport.isClosing()).toBe(true);
      expect(await protocol.done).toBeNull();
      expect(sink.destroyed).toBe(true);
      expect(transport.getWriteBufferSize()).toBe(0);
    });
  });

  it('honours setWriteBufferLimits and pauses above high (test_write_buffer_limits)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const sink = new PassThrough({ highWaterMark: 16 });
      const [transport, protocol] = await loop.connectWritePipe(() => new Writer(), sink);
      expect(transport.getWriteBufferLimits()).toEqual([16 * 1024, 64 * 1024]);
      transport.setWriteBufferLimits({ high: 100, low: 10 });
      expect(transport.getWriteBufferLimits()).toEqual([10, 100]);
      expect(() => transport.setWriteBufferLimits({ high: 1, low: 2 })).toThrow(ValueError);
      transport.write(Buffer.alloc(50));
      expect(protocol.events).toEqual(['connectionMade']);
      transport.write(Buffer.alloc(100));
      expect(protocol.events).toEqual(['connectionMade', 'pauseWriting']);
      sink.resume(); // drains: resumeWriting once the buffer is at or below low
      const resumed = loop.createFuture<void>();
      const original = protocol.resumeWriting.bind(protocol);
      protocol.resumeWriting = () => {
        original();
        resumed.setResult();
      };
      await resumed;
      expect(protocol.events).toEqual(['connectionMade', 'pauseWriting', 'resumeWriting']);
      transport.abort();
      await protocol.done;
    });
  });

  it('writeEof() ends the pipe; write() rejects what is not bytes', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const sink = new PassThrough();
      const got: Buffer[] = [];
      sink.on('data', (d: Buffer) => got.push(d));
      const [transport, protocol] = await loop.connectWritePipe(() => new Writer(), sink);
      expect(() => transport.write('text' as unknown as Uint8Array)).toThrow(TypeError);
      expect(() => transport.write('text' as unknown as Uint8Array)).toThrow(/TextEncoder/);
      transport.write(new Uint16Array([0x6968]) as unknown as Uint8Array); // any ArrayBufferView
      transport.write(new Uint8Array(0)); // nothing
      transport.writeEof();
      transport.writeEof(); // twice: no-op
      expect(await protocol.done).toBeNull();
      expect(Buffer.concat(got).toString()).toBe('hi');
    });
  });

  it('treats a stream closed under it as the reader gone: BrokenPipeError if data was left', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      for (const pending of [true, false]) {
        const sink = new PassThrough({ highWaterMark: 16 });
        if (!pending) sink.resume();
        const [transport, protocol] = await loop.connectWritePipe(() => new Writer(), sink);
        transport.write(Buffer.alloc(1024));
        if (!pending) await sleep(0.05);
        sink.destroy(); // as Node does to a child's stdin when the child exits
        const exc = await protocol.done;
        if (pending) expect(exc).toBeInstanceOf(BrokenPipeError);
        else expect(exc).toBeNull();
      }
    });
  });

  it('copies the data it is given', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const sink = new PassThrough({ highWaterMark: 1 });
      const [transport, protocol] = await loop.connectWritePipe(() => new Writer(), sink);
      const data = Buffer.from('abc');
      transport.write(data);
      transport.write(data);
      data.fill(0x7a);
      transport.close();
      const got: Buffer[] = [];
      sink.on('data', (d: Buffer) => got.push(d));
      await protocol.done;
      expect(Buffer.concat(got).toString()).toBe('abcabc');
    });
  });
});

// Type-level check: the pipe transports are typed as asyncio's read and write transports.
export type _Check = [ReadTransport, WriteTransport];
