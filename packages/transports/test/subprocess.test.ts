import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BrokenPipeError,
  FileNotFoundError,
  PermissionError,
  ValueError,
  getRunningLoop,
} from '@tsio/core';
import type { AbstractFuture, SubprocessTransport, WriteTransport } from '@tsio/core';
import type { EventLoop } from '@tsio/event-loop';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { DEVNULL, PIPE, STDOUT, SubprocessProtocol, _subprocessExec } from '../src/index.js';
import type { SubprocessOptions } from '../src/index.js';
import { rejection } from './helpers/rejection.js';

const node = process.execPath;

/** A SubprocessProtocol that records its callbacks and resolves `done` at connectionLost. */
class Recorder extends SubprocessProtocol {
  readonly events: string[] = [];
  readonly output = new Map<number, Buffer[]>();
  readonly done: AbstractFuture<void> = getRunningLoop().createFuture();
  readonly paused: AbstractFuture<void> = getRunningLoop().createFuture();
  transport: SubprocessTransport | null = null;
  pipeLost = new Map<number, Error | null>();

  override connectionMade(transport: SubprocessTransport): void {
    this.transport = transport;
    this.events.push('connectionMade');
  }
  override pipeDataReceived(fd: number, data: Uint8Array): void {
    if (this.events.at(-1) !== `data ${fd}`) this.events.push(`data ${fd}`);
    const chunks = this.output.get(fd) ?? [];
    chunks.push(Buffer.from(data));
    this.output.set(fd, chunks);
  }
  override pipeConnectionLost(fd: number, exc: Error | null): void {
    this.pipeLost.set(fd, exc);
    this.events.push(`pipeConnectionLost ${fd} ${exc === null ? 'null' : exc.name}`);
  }
  override processExited(): void {
    this.events.push(`processExited ${this.transport?.getReturncode()}`);
  }
  override connectionLost(exc: Error | null): void {
    this.events.push(`connectionLost ${exc === null ? 'null' : exc.name}`);
    this.done.setResult();
  }
  override pauseWriting(): void {
    this.events.push('pauseWriting');
    if (!this.paused.done()) this.paused.setResult();
  }
  text(fd: number): string {
    return Buffer.concat(this.output.get(fd) ?? []).toString();
  }
}

async function exec(
  args: string[],
  options?: SubprocessOptions,
): Promise<[SubprocessTransport, Recorder]> {
  return getRunningLoop().subprocessExec(() => new Recorder(), node, args, options);
}

function stdinOf(transport: SubprocessTransport): WriteTransport {
  return transport.getPipeTransport(0) as WriteTransport;
}

const CAT = 'process.stdin.pipe(process.stdout)';

describe('subprocessExec', () => {
  it('echoes stdin to stdout through a child, callbacks in order (test_subprocess_exec)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(['-e', CAT]);
      // connectionMade has run before subprocessExec resolves.
      expect(protocol.events).toEqual(['connectionMade']);
      expect(protocol.transport).toBe(transport);
      const stdin = stdinOf(transport);
      stdin.write(Buffer.from('hello '));
      stdin.writelines([Buffer.from('world')]);
      stdin.writeEof();
      await protocol.done;
      expect(protocol.text(1)).toBe('hello world');
      expect(transport.getReturncode()).toBe(0);
      const { events } = protocol;
      expect(events[0]).toBe('connectionMade');
      expect(events.at(-1)).toBe('connectionLost null');
      expect(events.filter((e) => e.startsWith('connectionLost'))).toHaveLength(1);
      for (const e of [
        'pipeConnectionLost 0 null',
        'pipeConnectionLost 1 null',
        'pipeConnectionLost 2 null',
        'processExited 0',
      ]) {
        expect(events.filter((x) => x === e)).toHaveLength(1);
      }
      expect(events.indexOf('data 1')).toBeLessThan(events.indexOf('pipeConnectionLost 1 null'));
      expect(transport.isClosing()).toBe(false);
      transport.close();
      expect(transport.isClosing()).toBe(true);
    });
  });

  it('delivers stderr as fd 2, and exit codes (test_subprocess_exitcode)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec([
        '-e',
        'process.stdout.write("out"); process.stderr.write("err"); process.exitCode = 3',
      ]);
      await protocol.done;
      expect(protocol.text(1)).toBe('out');
      expect(protocol.text(2)).toBe('err');
      expect(transport.getReturncode()).toBe(3);
      expect(protocol.events).toContain('processExited 3');
      transport.close();
    });
  });

  it('keeps output that arrives before connectionMade (early data)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(['-e', 'process.stdout.write("early")'], {
        stdin: DEVNULL,
      });
      await protocol.done;
      expect(protocol.text(1)).toBe('early');
      expect(protocol.events[0]).toBe('connectionMade');
      transport.close();
    });
  });

  it('merges stderr into the stdout pipe with STDOUT (test_subprocess_stderr_redirect_to_stdout)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(
        ['-e', 'process.stdout.write("out\\n"); process.stderr.write("err\\n")'],
        { stderr: STDOUT },
      );
      expect(transport.getPipeTransport(2)).toBeNull();
      expect(transport.getPipeTransport(1)).not.toBeNull();
      await protocol.done;
      expect(protocol.text(1)).toBe('out\nerr\n');
      expect(protocol.output.has(2)).toBe(false);
      expect(transport.getReturncode()).toBe(0);
      transport.close();
    });
  });

  it('connects DEVNULL and has no pipe transport for it', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(
        [
          '-e',
          'let n = 0; process.stdin.on("data", (d) => { n += d.length }).on("end", () => console.log("eof " + n)); console.error("lost")',
        ],
        { stdin: DEVNULL, stderr: DEVNULL },
      );
      expect(transport.getPipeTransport(0)).toBeNull();
      expect(transport.getPipeTransport(2)).toBeNull();
      await protocol.done;
      expect(protocol.text(1)).toBe('eof 0\n');
      expect(protocol.output.has(2)).toBe(false);
      transport.close();
    });
  });

  it('reports a kill as the negated signal number (test_kill, test_terminate)', async () => {
    await run(async () => {
      const forever = ['-e', 'setInterval(() => {}, 1000); console.log("ready")'];
      for (const [method, expected] of [
        ['kill', -os.constants.signals.SIGKILL],
        ['terminate', -os.constants.signals.SIGTERM],
      ] as const) {
        const [transport, protocol] = await exec(forever, { stdin: DEVNULL });
        expect(transport.getReturncode()).toBeNull();
        transport[method]();
        await protocol.done;
        expect(transport.getReturncode()).toBe(expected);
        // After exit, signals are a no-op (asyncio: ProcessLookupError, see python-differences).
        expect(() => transport.kill()).not.toThrow();
        transport.close();
      }
    });
  });

  it('sends signals by name or number (test_send_signal)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(
        [
          '-e',
          'process.on("SIGHUP", () => { console.log("hup"); process.exit(0) }); console.log("ready"); setInterval(() => {}, 1000)',
        ],
        { stdin: DEVNULL },
      );
      const loop = getRunningLoop();
      const ready = loop.createFuture<void>();
      const original = protocol.pipeDataReceived.bind(protocol);
      protocol.pipeDataReceived = (fd, data) => {
        original(fd, data);
        if (protocol.text(1).includes('ready') && !ready.done()) ready.setResult();
      };
      await ready;
      expect(() => transport.sendSignal('SIGNOPE' as NodeJS.Signals)).toThrow(ValueError);
      expect(() => transport.sendSignal({} as unknown as number)).toThrow(TypeError);
      transport.sendSignal(os.constants.signals.SIGHUP);
      await protocol.done;
      expect(protocol.text(1)).toBe('ready\nhup\n');
      expect(transport.getReturncode()).toBe(0);
      transport.close();
    });
  });

  it('kills a running child when closed (test_close_kill_running)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(['-e', 'setInterval(() => {}, 1000)']);
      transport.close();
      await protocol.done;
      expect(transport.getReturncode()).toBe(-os.constants.signals.SIGKILL);
      expect(protocol.events.filter((e) => e.startsWith('connectionLost'))).toEqual([
        'connectionLost null',
      ]);
    });
  });

  it('reports a child that exits while we write as BrokenPipeError (test_broken_pipe)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(
        ['-e', 'process.stdin.once("data", () => process.exit(0))'],
        { stdout: DEVNULL, stderr: DEVNULL },
      );
      const stdin = stdinOf(transport);
      stdin.write(Buffer.alloc(10 * 1024 * 1024, 0x61));
      await protocol.done;
      expect(protocol.pipeLost.get(0)).toBeInstanceOf(BrokenPipeError);
      expect(protocol.events).toContain('pipeConnectionLost 0 BrokenPipeError');
      expect(transport.getReturncode()).toBe(0);
      // Writes after the loss are dropped silently.
      stdin.write(Buffer.from('more'));
      transport.close();
    });
  });

  it('delivers 10 MiB of output without loss', async () => {
    await run(async () => {
      const size = 10 * 1024 * 1024;
      const [transport, protocol] = await exec(
        [
          '-e',
          `const b = Buffer.alloc(${size}); for (let i = 0; i < b.length; i++) b[i] = i % 251; process.stdout.write(b)`,
        ],
        { stdin: DEVNULL },
      );
      await protocol.done;
      const out = Buffer.concat(protocol.output.get(1) ?? []);
      expect(out.length).toBe(size);
      let bad = -1;
      for (let i = 0; i < out.length; i++) {
        if (out[i] !== i % 251) {
          bad = i;
          break;
        }
      }
      expect(bad).toBe(-1);
      transport.close();
    });
  });

  it('pauses writing to a child that does not read (flow control)', async () => {
    await run(async () => {
      const [transport, protocol] = await exec(['-e', 'setInterval(() => {}, 1000)'], {
        stdout: DEVNULL,
        stderr: DEVNULL,
      });
      const stdin = stdinOf(transport);
      const [, high] = stdin.getWriteBufferLimits();
      const chunk = Buffer.alloc(16 * 1024);
      let written = 0;
      // The OS pipe takes a few hundred KiB; then the transport's buffer grows past `high`.
      while (!protocol.paused.done() && written < 64 * 1024 * 1024) {
        stdin.write(chunk);
        written += chunk.length;
      }
      expect(protocol.events).toContain('pauseWriting');
      expect(stdin.getWriteBufferSize()).toBeGreaterThan(high);
      expect(stdin.getWriteBufferSize()).toBeLessThanOrEqual(high + chunk.length);
      transport.kill();
      await protocol.done;
      expect(protocol.pipeLost.get(0)).toBeInstanceOf(BrokenPipeError);
      transport.close();
    });
  });

  it('passes cwd and env to the child', async () => {
    await run(async () => {
      const cwd = fs.realpathSync(os.tmpdir());
      const [transport, protocol] = await exec(
        ['-e', 'process.stdout.write(process.cwd() + "|" + process.env.TSIO_TEST)'],
        { cwd, env: { TSIO_TEST: 'yes' }, stdin: DEVNULL },
      );
      await protocol.done;
      expect(protocol.text(1)).toBe(`${cwd}|yes`);
      transport.close();
    });
  });

  it("exposes the ChildProcess as extra info 'subprocess'", async () => {
    await run(async () => {
      const [transport, protocol] = await exec(['-e', ''], { stdin: DEVNULL });
      const child = transport.getExtraInfo('subprocess');
      expect(child).toBeInstanceOf(ChildProcess);
      expect(transport.getPid()).toBe((child as ChildProcess).pid);
      expect(transport.getExtraInfo('nope', 7)).toBe(7);
      await protocol.done;
      transport.close();
    });
  });

  it('rejects a missing program with FileNotFoundError', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      let made = 0;
      const error = await rejection(
        loop.subprocessExec(() => (made++, new Recorder()), '/nonexistent/tsio-program'),
      );
      expect(error).toBeInstanceOf(FileNotFoundError);
      expect((error as FileNotFoundError).code).toBe('ENOENT');
      // As asyncio, the protocol is made first; it never hears of the failed child.
      expect(made).toBe(1);
    });
  });

  it('rejects a program without the execute permission with PermissionError', async () => {
    const file = path.join(os.tmpdir(), `tsio-noexec-${process.pid}-${Date.now()}.sh`);
    fs.writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    try {
      await run(async () => {
        const error = await rejection(getRunningLoop().subprocessExec(() => new Recorder(), file));
        expect(error).toBeInstanceOf(PermissionError);
      });
    } finally {
      fs.unlinkSync(file);
    }
  });

  it('rejects bad arguments and options with a typed error before starting anything', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const factory = (): Recorder => new Recorder();
      const cases: Array<[() => Promise<unknown>, ErrorConstructor | typeof ValueError, RegExp]> = [
        [
          () => _subprocessExec(loop, factory, node, '-e 1' as unknown as string[]),
          TypeError,
          /array of strings/,
        ],
        [
          () => (loop as EventLoop).subprocessExec(factory, node, '-e', 1 as unknown as string),
          TypeError,
          /options object/,
        ],
        [
          () => loop.subprocessExec(factory, node, ['-e', 1 as unknown as string]),
          TypeError,
          /args\[1\] must be a string/,
        ],
        [
          () => loop.subprocessExec(factory, 42 as unknown as string),
          TypeError,
          /program must be a string/,
        ],
        [() => loop.subprocessExec(factory, ''), ValueError, /must not be empty/],
        [
          () => loop.subprocessExec(factory, node, [], { shell: true }),
          TypeError,
          /unknown option 'shell'; valid options: stdin, stdout/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { text: true }),
          ValueError,
          /text mode is not supported: tsio pipes carry bytes/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { universalNewlines: true }),
          ValueError,
          /text mode is not supported/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { encoding: 'utf-8' }),
          ValueError,
          /text mode is not supported/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { bufsize: 1 }),
          ValueError,
          /bufsize must be 0/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { stdin: STDOUT }),
          ValueError,
          /STDOUT can only be used for stderr/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { stdout: 'file' as 'inherit' }),
          TypeError,
          /stdout must be PIPE, DEVNULL/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { stdout: -7 }),
          ValueError,
          /file descriptor >= 0/,
        ],
        [
          () => loop.subprocessExec(factory, node, [], { env: { A: 1 as unknown as string } }),
          TypeError,
          /env.A must be a string/,
        ],
        [() => loop.subprocessShell(factory, ''), ValueError, /must not be empty/],
        [
          () => loop.subprocessShell(factory, ['ls'] as unknown as string),
          TypeError,
          /command must be a string/,
        ],
        [
          () => loop.subprocessExec(null as unknown as () => Recorder, node),
          TypeError,
          /protocol factory/,
        ],
      ];
      for (const [call, ErrorClass, message] of cases) {
        const error = await rejection(call());
        expect(error).toBeInstanceOf(ErrorClass);
        expect(error.message).toMatch(message);
      }
    });
  });

  it("accepts the arguments one by one, as asyncio's variadic form", async () => {
    await run(async () => {
      const loop = getRunningLoop() as EventLoop;
      const [transport, protocol] = await loop.subprocessExec(
        () => new Recorder(),
        node,
        '-e',
        'process.stdout.write(process.argv[1])',
        'arg',
        { stdin: DEVNULL },
      );
      await protocol.done;
      expect(protocol.text(1)).toBe('arg');
      transport.close();
    });
  });

  it('accepts PIPE, inherit and file descriptors for the standard streams', async () => {
    const file = path.join(os.tmpdir(), `tsio-out-${process.pid}-${Date.now()}.txt`);
    const fd = fs.openSync(file, 'w');
    try {
      await run(async () => {
        const [transport, protocol] = await exec(['-e', 'console.log("to file")'], {
          stdin: PIPE,
          stdout: fd,
          stderr: 'inherit',
        });
        expect(transport.getPipeTransport(1)).toBeNull();
        stdinOf(transport).close();
        await protocol.done;
        transport.close();
      });
      expect(fs.readFileSync(file, 'utf8')).toBe('to file\n');
    } finally {
      fs.closeSync(fd);
      fs.unlinkSync(file);
    }
  });
});

describe('subprocessShell', () => {
  it('runs a command through /bin/sh (test_subprocess_shell)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const [transport, protocol] = await loop.subprocessShell(
        () => new Recorder(),
        'read line; echo "got $line"; echo oops 1>&2; exit 7',
      );
      stdinOf(transport).write(Buffer.from('ping\n'));
      await protocol.done;
      expect(protocol.text(1)).toBe('got ping\n');
      expect(protocol.text(2)).toBe('oops\n');
      expect(transport.getReturncode()).toBe(7);
      transport.close();
    });
  });

  it('merges stderr with STDOUT in a shell too', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const [transport, protocol] = await loop.subprocessShell(
        () => new Recorder(),
        'echo a; echo b 1>&2',
        { stdin: DEVNULL, stderr: STDOUT },
      );
      await protocol.done;
      expect(protocol.text(1)).toBe('a\nb\n');
      transport.close();
    });
  });
});

describe('a child that exits before reading starts', () => {
  // Node resumes a child's stdout when the child exits: output emitted before the transport
  // started reading (connectionMade not run yet, the loop busy elsewhere) must still arrive.
  it('loses none of its output while the loop is busy', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      let stop = false;
      const busy = createTask(async () => {
        while (!stop) {
          const end = Date.now() + 20;
          while (Date.now() < end);
          await sleep(0);
        }
      });
      const sizes: number[] = [];
      for (let i = 0; i < 25; i++) {
        let got = 0;
        const lost = loop.createFuture<void>();
        await loop.subprocessShell(
          () => ({
            pipeDataReceived: (_fd: number, data: Uint8Array) => void (got += data.length),
            connectionLost: () => lost.setResult(undefined),
          }),
          'echo hi',
          { stdout: PIPE, stdin: null, stderr: null },
        );
        await lost;
        sizes.push(got);
      }
      stop = true;
      await busy;
      expect(sizes).toEqual(Array.from({ length: 25 }, () => 3));
    });
  }, 60_000);
});
