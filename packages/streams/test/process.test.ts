import { afterEach, describe, expect, it } from '@jest/globals';
import {
  BrokenPipeError,
  ConnectionResetError,
  ValueError,
  getRunningLoop,
  isCancelledError,
} from '@tsio/core';
import { createTask, gather, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { PIPE, createSubprocessExec } from '../src/index.js';
import type { Process, StreamReader, StreamWriter } from '../src/index.js';
import {
  dec,
  enc,
  killStarted,
  node,
  onSigusr1,
  recordExceptions,
  track,
} from './helpers/subprocess-helpers.js';

afterEach(killStarted);

const CAT = 'process.stdin.pipe(process.stdout)';
/** Writes "end" once everything before is flushed, then exits (process.exit drops pending writes). */
const END = "process.stdout.write('end', () => process.exit(0))";
/** Exits once its stdin reaches end of file. */
const UNTIL_EOF = "process.stdin.resume(); process.stdin.on('end', () => process.exit(0))";

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function expectCancelled(promise: PromiseLike<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (isCancelledError(error)) return;
    throw error;
  }
  throw new Error('expected a CancelledError');
}

describe('Process', () => {
  it('has the pid, a repr and returncode null while running (test_subprocess_repr)', async () => {
    await run(async () => {
      const proc = await node(UNTIL_EOF, { stdin: PIPE });
      expect(Number.isInteger(proc.pid) && proc.pid > 0).toBe(true);
      expect(String(proc)).toBe(`<Process ${proc.pid}>`);
      expect(proc.returncode).toBeNull();
      expect(alive(proc.pid)).toBe(true);
      (proc.stdin as StreamWriter).close();
      expect(await proc.wait()).toBe(0);
      expect(proc.returncode).toBe(0);
    });
  });

  it('reports exit codes (test_proc_exited)', async () => {
    await run(async () => {
      const procs = await Promise.all([0, 1, 3, 255].map((code) => node(`process.exit(${code})`)));
      expect(await Promise.all(procs.map((p) => p.wait()))).toEqual([0, 1, 3, 255]);
      expect(procs.map((p) => p.returncode)).toEqual([0, 1, 3, 255]);
    });
  });

  it('wait() before and after the exit, many at once (test_subprocess_concurrent_wait)', async () => {
    await run(async () => {
      const proc = await node(UNTIL_EOF, { stdin: PIPE });
      const waits = gather(...Array.from({ length: 10 }, () => () => proc.wait()));
      await sleep(0);
      expect(waits.done()).toBe(false);
      (proc.stdin as StreamWriter).close();
      expect(await waits).toEqual(Array.from({ length: 10 }, () => 0));
      // After the exit: at once, again and again.
      expect(await proc.wait()).toBe(0);
      expect(await proc.wait()).toBe(0);
    });
  });

  it('kill() gives -9 (test_kill), terminate() -15 (test_terminate)', async () => {
    await run(async () => {
      const killed = await node('setInterval(() => {}, 1000)');
      killed.kill();
      expect(await killed.wait()).toBe(-9);
      expect(killed.returncode).toBe(-9);

      const terminated = await node('setInterval(() => {}, 1000)');
      terminated.terminate();
      expect(await terminated.wait()).toBe(-15);

      // Once the child is gone, signals do nothing (asyncio: ProcessLookupError).
      killed.kill();
      terminated.terminate();
      killed.sendSignal('SIGINT');
      expect(killed.returncode).toBe(-9);
    });
  });

  it('sendSignal() by name or number (test_send_signal)', async () => {
    await run(async () => {
      const proc = await node(onSigusr1("process.stdout.write('got it\\n'); process.exit(5)"), {
        stdout: PIPE,
      });
      const stdout = proc.stdout as StreamReader;
      expect(dec(await stdout.readline())).toBe('ready\n');
      proc.sendSignal('SIGUSR1');
      expect(dec(await stdout.readline())).toBe('got it\n');
      expect(await proc.wait()).toBe(5);

      const other = await node('setInterval(() => {}, 1000)');
      other.sendSignal(2); // SIGINT, unhandled
      expect(await other.wait()).toBe(-2);
    });
  });

  it('sendSignal() rejects a bad signal', async () => {
    await run(async () => {
      const proc = await node('setInterval(() => {}, 1000)');
      expect(() => proc.sendSignal('SIGNOPE' as NodeJS.Signals)).toThrow(ValueError);
      expect(() => proc.sendSignal(-1)).toThrow(ValueError);
      expect(() => proc.sendSignal({} as unknown as number)).toThrow(TypeError);
      proc.kill();
      await proc.wait();
    });
  });

  it('cancelling wait() cancels only that wait, not the child (test_cancel_process_wait)', async () => {
    await run(async () => {
      const proc = await node('setInterval(() => {}, 1000)');
      const task = createTask(() => proc.wait());
      getRunningLoop().callSoon(() => task.cancel());
      await expectCancelled(task);
      expect(proc.returncode).toBeNull();
      expect(alive(proc.pid)).toBe(true);
      // Another wait is not affected by the cancelled one.
      const other = createTask(() => proc.wait());
      proc.kill();
      expect(await proc.wait()).toBe(-9);
      expect(await other).toBe(-9);
    });
  });

  it('wait() also waits for the pipes: a grandchild holding stdout delays it', async () => {
    await run(async () => {
      // The child starts a grandchild that shares its stdout and exits; the grandchild prints
      // "ready" and its pid, then writes "late" and exits on SIGUSR1.
      const grandchild = onSigusr1(
        "process.stdout.write('late\\n', () => process.exit(0))",
        "process.stdout.write(process.pid + '\\n')",
      );
      const proc = await node(
        `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], ` +
          `{ stdio: ['ignore', 'inherit', 'inherit'] }).unref();`,
        { stdout: PIPE },
      );
      const stdout = proc.stdout as StreamReader;
      const gotReady = createTask(() => stdout.readline());
      const waiting = createTask(() => proc.wait());
      expect(dec(await gotReady)).toBe('ready\n');
      const grandchildPid = Number(dec(await stdout.readline()));
      try {
        for (let i = 0; i < 500 && proc.returncode === null; i++) await sleep(0.01);
        expect(proc.returncode).toBe(0);
        // Exited, but the grandchild still holds the pipe: wait() goes on waiting, even one
        // started now (asyncio's returns at once when called after the exit).
        const after = createTask(() => proc.wait());
        await sleep(0.05);
        expect(waiting.done()).toBe(false);
        expect(after.done()).toBe(false);
        process.kill(grandchildPid, 'SIGUSR1');
        expect(dec(await stdout.read())).toBe('late\n');
        expect(await waiting).toBe(0);
        expect(await after).toBe(0);
      } finally {
        if (alive(grandchildPid)) process.kill(grandchildPid, 'SIGKILL');
      }
    });
  });
});

describe('Process.communicate', () => {
  it('without input (test_communicate_none_input) and with empty input (test_empty_input)', async () => {
    await run(async () => {
      const none = await node(CAT, { stdin: PIPE, stdout: PIPE });
      expect(await none.communicate()).toEqual([new Uint8Array(0), null]);
      expect(none.returncode).toBe(0);

      const empty = await node(CAT, { stdin: PIPE, stdout: PIPE });
      const [out] = await empty.communicate(new Uint8Array(0));
      expect(out?.length).toBe(0);

      // Buffer is bytes too; stderr only.
      const errOnly = await node("process.stderr.write('e')", { stderr: PIPE });
      expect(await errOnly.communicate(Buffer.from('ignored: stdin is not a pipe'))).toEqual([
        null,
        expect.anything(),
      ]);
    });
  });

  it('moves 10 MiB in, out and err at once without deadlock', async () => {
    await run(async () => {
      const size = 10 * 1024 * 1024;
      const input = Buffer.alloc(size);
      for (let i = 0; i < size; i++) input[i] = (i * 31 + (i >> 11)) & 0xff;
      const proc = await node(
        "process.stdin.on('data', (d) => { process.stdout.write(d); process.stderr.write(d); })",
        { stdin: PIPE, stdout: PIPE, stderr: PIPE },
      );
      const [out, err] = await proc.communicate(input);
      expect(out?.length).toBe(size);
      expect(err?.length).toBe(size);
      expect(Buffer.compare(Buffer.from(out as Uint8Array), input)).toBe(0);
      expect(Buffer.compare(Buffer.from(err as Uint8Array), input)).toBe(0);
      expect(proc.returncode).toBe(0);
    });
  });

  it('a second call sends nothing and returns what is left (empty at end of file)', async () => {
    await run(async () => {
      const proc = await node(CAT, { stdin: PIPE, stdout: PIPE });
      expect(dec((await proc.communicate(enc('hello')))[0])).toBe('hello');
      const [out, err] = await proc.communicate(enc('again'));
      expect([out?.length, err]).toEqual([0, null]);
      expect(proc.returncode).toBe(0);
    });
  });

  it('rejects input that is not bytes with TypeError, before writing anything', async () => {
    await run(async () => {
      const proc = await node(CAT, { stdin: PIPE, stdout: PIPE });
      const communicate = proc.communicate.bind(proc) as (input: unknown) => Promise<unknown>;
      await expect(communicate('text')).rejects.toThrow(
        new TypeError(
          'communicate() input must be bytes (a Uint8Array or Buffer) or null, got the string "text"; ' +
            'encode text first, e.g. new TextEncoder().encode(text)',
        ),
      );
      await expect(communicate(12)).rejects.toThrow(TypeError);
      await expect(communicate([1, 2])).rejects.toThrow('got a Array');
      expect(proc.returncode).toBeNull();
      expect((proc.stdin as StreamWriter).isClosing()).toBe(false);
      expect(dec((await proc.communicate(enc('fine')))[0])).toBe('fine');
    });
  });

  it('a child that exits while we write: BrokenPipeError from drain() (test_stdin_broken_pipe)', async () => {
    await run(async () => {
      const seen = recordExceptions();
      const unhandled: unknown[] = [];
      const onUncaught = (error: unknown): void => void unhandled.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const proc = await node(onSigusr1('process.exit(0)'), { stdin: PIPE, stdout: PIPE });
        expect(dec(await (proc.stdout as StreamReader).readline())).toBe('ready\n');
        const stdin = proc.stdin as StreamWriter;
        // More than the pipe holds: the transport pauses and drain() waits.
        stdin.write(new Uint8Array(4 * 1024 * 1024));
        const draining = stdin.drain();
        proc.sendSignal('SIGUSR1');
        await expect(draining).rejects.toBeInstanceOf(BrokenPipeError);
        await expect(stdin.waitClosed()).rejects.toBeInstanceOf(BrokenPipeError);
        // Later drains: the connection is lost.
        await expect(stdin.drain()).rejects.toBeInstanceOf(ConnectionResetError);
        stdin.write(enc('dropped')); // as asyncio: silently dropped
        expect(await proc.wait()).toBe(0);
        expect(seen).toEqual([]);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('uncaughtException', onUncaught);
      }
    });
  });

  it('ignores the broken pipe of a child that does not read (test_communicate_ignore_broken_pipe)', async () => {
    await run(async () => {
      const seen = recordExceptions();
      const proc = await node('', { stdin: PIPE });
      expect(await proc.communicate(new Uint8Array(4 * 1024 * 1024))).toEqual([null, null]);
      expect(proc.returncode).toBe(0);
      // The same with output, and a child that exits after reading a little.
      const partial = await node(
        "process.stdin.once('data', (d) => { process.stdout.write(String(d.length > 0)); process.exit(0); })",
        { stdin: PIPE, stdout: PIPE },
      );
      const [out] = await partial.communicate(new Uint8Array(4 * 1024 * 1024));
      expect(dec(out)).toBe('true');
      expect(partial.returncode).toBe(0);
      expect(seen).toEqual([]);
    });
  });

  for (const delay of [0, 0.2]) {
    it(`cancelling it (after ${delay}s) keeps the child running and loses no output`, async () => {
      await run(async () => {
        const size = 300_000;
        const proc = await node(onSigusr1(END, `process.stdout.write('x'.repeat(${size}))`), {
          stdout: PIPE,
          stderr: PIPE,
        });
        expect(dec(await (proc.stdout as StreamReader).readline())).toBe('ready\n');
        const task = createTask(() => proc.communicate());
        await sleep(delay);
        task.cancel();
        await expectCancelled(task);
        expect(proc.returncode).toBeNull();
        expect(alive(proc.pid)).toBe(true);
        proc.sendSignal('SIGUSR1');
        const [out, err] = await proc.communicate();
        expect(out?.length).toBe(size + 3);
        expect(dec(out).endsWith('xxend')).toBe(true);
        expect(err?.length).toBe(0);
        expect(proc.returncode).toBe(0);
      });
    });
  }

  it('after a cancelled communicate(), stdout.read() still gets everything', async () => {
    await run(async () => {
      const size = 300_000;
      const proc = await node(onSigusr1(END, `process.stdout.write('x'.repeat(${size}))`), {
        stdout: PIPE,
      });
      const stdout = proc.stdout as StreamReader;
      expect(dec(await stdout.readline())).toBe('ready\n');
      const task = createTask(() => proc.communicate());
      await sleep(0.05);
      task.cancel();
      await expectCancelled(task);
      proc.sendSignal('SIGUSR1');
      const rest = await stdout.read();
      expect(rest.length).toBe(size + 3);
      expect(dec(rest.subarray(size - 2))).toBe('xxend');
      expect(await proc.wait()).toBe(0);
    });
  });
});

describe('Process and the loop', () => {
  it('createSubprocessExec needs a running loop', async () => {
    await expect(createSubprocessExec('true')).rejects.toThrow('no running event loop');
  });

  it('communicate() after kill() ends: the output left in the pipe, returncode -9', async () => {
    await run(async () => {
      const proc: Process = track(
        await createSubprocessExec(
          process.execPath,
          ['-e', "process.stdout.write('x'.repeat(1 << 20)); setInterval(() => {}, 1000)"],
          { stdout: PIPE },
        ),
      );
      const stdout = proc.stdout as StreamReader;
      expect((await stdout.readexactly(10)).length).toBe(10);
      proc.kill();
      const [out] = await proc.communicate();
      // The child blocks writing to the full pipe: whatever it wrote until the kill.
      expect(out?.length).toBeLessThanOrEqual((1 << 20) - 10);
      expect(proc.returncode).toBe(-9);
    });
  });
});
