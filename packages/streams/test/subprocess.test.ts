import { afterEach, describe, expect, it } from '@jest/globals';
import { FileNotFoundError, LimitOverrunError, ValueError, getRunningLoop } from '@tsio/core';
import { run } from '@tsio/policies';
import {
  DEVNULL,
  PIPE,
  Process,
  STDOUT,
  StreamReader,
  StreamWriter,
  createSubprocessExec,
  createSubprocessShell,
} from '../src/index.js';
import type { CreateSubprocessOptions } from '../src/index.js';
import { dec, enc, killStarted, node, track } from './helpers/subprocess-helpers.js';

afterEach(killStarted);

const CAT = 'process.stdin.pipe(process.stdout)';

describe('createSubprocessExec', () => {
  it('echoes through cat with communicate (test_communicate)', async () => {
    await run(async () => {
      const proc = await node(CAT, { stdin: PIPE, stdout: PIPE });
      expect(proc).toBeInstanceOf(Process);
      expect(proc.stdin).toBeInstanceOf(StreamWriter);
      expect(proc.stdout).toBeInstanceOf(StreamReader);
      expect(proc.stderr).toBeNull();
      const [out, err] = await proc.communicate(enc('some data'));
      expect(dec(out)).toBe('some data');
      expect(err).toBeNull();
      expect(proc.returncode).toBe(0);
    });
  });

  it('inherits every stream by default, as asyncio (stdin=None...)', async () => {
    await run(async () => {
      const proc = await node('process.exit(0)');
      expect([proc.stdin, proc.stdout, proc.stderr]).toEqual([null, null, null]);
      expect(await proc.wait()).toBe(0);
      // Explicit null and 'inherit' mean the same.
      const again = await node('', { stdin: null, stdout: 'inherit', stderr: null });
      expect(again.stdout).toBeNull();
      expect(await again.communicate()).toEqual([null, null]);
    });
  });

  it('never uses a shell: arguments reach the program as they are', async () => {
    await run(async () => {
      const proc = await node(
        'process.stdout.write(JSON.stringify(process.argv.slice(1)))',
        { stdout: PIPE },
        ['$HOME', '|', 'x; echo y', '*', "'q'"],
      );
      const [out] = await proc.communicate();
      expect(JSON.parse(dec(out))).toEqual(['$HOME', '|', 'x; echo y', '*', "'q'"]);
    });
  });

  it('looks the program up in PATH and passes cwd and env (test_create_subprocess_env_exec)', async () => {
    await run(async () => {
      const proc = await createSubprocessExec('sh', ['-c', 'echo "$FOO:$(pwd)"'], {
        stdout: PIPE,
        cwd: '/',
        env: { FOO: 'bar', PATH: process.env['PATH'] },
      });
      track(proc);
      const [out] = await proc.communicate();
      expect(dec(out)).toBe('bar:/\n');
    });
  });

  it('reads stdout and stderr apart, or merged with stderr: STDOUT', async () => {
    await run(async () => {
      const script =
        "process.stdout.write('out1 '); process.stderr.write('err1 '); " +
        "setTimeout(() => { process.stdout.write('out2'); process.stderr.write('err2'); }, 20)";
      const apart = await node(script, { stdout: PIPE, stderr: PIPE });
      const [out, err] = await apart.communicate();
      expect([dec(out), dec(err)]).toEqual(['out1 out2', 'err1 err2']);

      const merged = await node(script, { stdout: PIPE, stderr: STDOUT });
      expect(merged.stderr).toBeNull();
      const [both, none] = await merged.communicate();
      expect(none).toBeNull();
      // One pipe for both: the order the child wrote in (its pipe writes are synchronous).
      expect(dec(both)).toBe('out1 err1 out2err2');
    });
  });

  it('connects DEVNULL (test_devnull_input, test_devnull_output, test_devnull_error)', async () => {
    await run(async () => {
      const input = await node(
        "let n = 0; process.stdin.on('data', (d) => (n += d.length)); " +
          "process.stdin.on('end', () => process.stdout.write(String(n)))",
        { stdin: DEVNULL, stdout: PIPE },
      );
      expect(input.stdin).toBeNull();
      expect(dec((await input.communicate(enc('ignored')))[0])).toBe('0');

      const output = await node("process.stdout.write('x'); process.stderr.write('y')", {
        stdout: DEVNULL,
        stderr: DEVNULL,
      });
      expect(await output.communicate()).toEqual([null, null]);
      expect(output.returncode).toBe(0);
    });
  });

  it('gives the readers the limit: readline() and readuntil() past it fail', async () => {
    await run(async () => {
      const proc = await node(
        "process.stdout.write('short\\n' + 'x'.repeat(40) + '\\nend\\n' + 'y'.repeat(40) + '\\nlast\\n')",
        { stdout: PIPE, limit: 16 },
      );
      const stdout = proc.stdout as StreamReader;
      expect(dec(await stdout.readline())).toBe('short\n');
      // readline() turns the LimitOverrunError into a ValueError and drops the long line.
      await expect(stdout.readline()).rejects.toBeInstanceOf(ValueError);
      expect(dec(await stdout.readline())).toBe('end\n');
      // readuntil() keeps it in the buffer.
      await expect(stdout.readuntil(enc('\n'))).rejects.toBeInstanceOf(LimitOverrunError);
      expect(dec(await stdout.readexactly(41))).toBe(`${'y'.repeat(40)}\n`);
      expect(dec(await stdout.readline())).toBe('last\n');
      expect(await proc.wait()).toBe(0);
    });
  });

  it('reads output slowly after the child exited (test_read_stdout_after_process_exit)', async () => {
    await run(async () => {
      // 256 KiB: more than the reader buffers (2 x 64 KiB), so reading pauses the pipe.
      const proc = await node(
        "process.stdout.write('x'.repeat(256 * 1024)); process.exitCode = 1",
        {
          stdout: PIPE,
        },
      );
      const stdout = proc.stdout as StreamReader;
      let total = 0;
      for (;;) {
        const chunk = await stdout.read(65536);
        if (chunk.length === 0) break;
        total += chunk.length;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(total).toBe(256 * 1024);
      expect(await proc.wait()).toBe(1);
    });
  });

  it('writes stdin through a StreamWriter (test_stdin_stdout)', async () => {
    await run(async () => {
      const proc = await node(CAT, { stdin: PIPE, stdout: PIPE });
      const stdin = proc.stdin as StreamWriter;
      const stdout = proc.stdout as StreamReader;
      stdin.write(enc('line one\n'));
      await stdin.drain();
      expect(dec(await stdout.readline())).toBe('line one\n');
      stdin.writelines([enc('two\n'), enc('three\n')]);
      await stdin.drain();
      expect(stdin.canWriteEof()).toBe(true);
      stdin.close();
      expect(stdin.isClosing()).toBe(true);
      await stdin.waitClosed();
      expect(dec(await stdout.read())).toBe('two\nthree\n');
      expect(await proc.wait()).toBe(0);
    });
  });

  it('rejects a bad program or arguments with TypeError naming createSubprocessExec', async () => {
    await run(async () => {
      const exec = createSubprocessExec as (...args: unknown[]) => Promise<Process>;
      await expect(exec(42)).rejects.toThrow(
        new TypeError(
          'createSubprocessExec() program must be a string (a path, or a name looked up in PATH), got number 42',
        ),
      );
      await expect(exec(['ls', '-l'])).rejects.toThrow(
        "createSubprocessExec() takes the program and its arguments apart, e.g. createSubprocessExec('ls', ['-l', '/tmp'])",
      );
      await expect(exec('ls', '-l')).rejects.toThrow(
        'createSubprocessExec() takes the arguments as an array of strings, e.g. createSubprocessExec("ls", ["-l"])',
      );
      await expect(exec('ls', { stdout: PIPE })).rejects.toThrow(
        'pass the options third, e.g. createSubprocessExec("ls", [], { stdout: PIPE })',
      );
      await expect(exec('ls', 5)).rejects.toThrow(TypeError);
      await expect(exec('echo', ['a', 5])).rejects.toThrow(
        'createSubprocessExec() args[1] must be a string, got number 5; convert it with String()',
      );
      await expect(exec('')).rejects.toThrow(
        new ValueError('createSubprocessExec() program must not be empty'),
      );
    });
  });

  it('rejects bad options before starting anything', async () => {
    await run(async () => {
      const exec = (options: unknown): Promise<Process> =>
        createSubprocessExec('true', [], options as CreateSubprocessOptions);
      await expect(exec('fast')).rejects.toThrow(
        'createSubprocessExec() options must be an object such as { stdout: PIPE }, got the string "fast"',
      );
      await expect(exec({ stdout: PIPE, shell: true })).rejects.toThrow(
        "createSubprocessExec() got an unknown option 'shell'; valid options: stdin, stdout, stderr, limit,",
      );
      await expect(exec({ limit: 0 })).rejects.toThrow(new ValueError('Limit cannot be <= 0'));
      await expect(exec({ limit: 'big' })).rejects.toThrow(TypeError);
      // Checked by the loop (test_create_subprocess_exec_text_mode_fails).
      await expect(exec({ text: true })).rejects.toBeInstanceOf(ValueError);
      await expect(exec({ stdout: STDOUT })).rejects.toThrow(
        'STDOUT can only be used for stderr, not for stdout',
      );
      await expect(exec({ stdin: 'pipe' })).rejects.toBeInstanceOf(TypeError);
    });
  });

  it('fails with FileNotFoundError for a program that does not exist', async () => {
    await run(async () => {
      const seen: unknown[] = [];
      getRunningLoop().setExceptionHandler((_loop, context) => seen.push(context));
      await expect(
        createSubprocessExec('/nonexistent/tsio-program', [], { stdout: PIPE }),
      ).rejects.toBeInstanceOf(FileNotFoundError);
      expect(seen).toEqual([]);
    });
  });
});

describe('createSubprocessShell', () => {
  it('runs a pipeline through /bin/sh (test_shell)', async () => {
    await run(async () => {
      const proc = track(await createSubprocessShell('echo hi | tr a-z A-Z', { stdout: PIPE }));
      const [out, err] = await proc.communicate();
      expect(dec(out)).toBe('HI\n');
      expect(err).toBeNull();
      expect(proc.returncode).toBe(0);
    });
  });

  it('feeds stdin, reports exit codes and env (test_create_subprocess_env_shell)', async () => {
    await run(async () => {
      const proc = track(
        await createSubprocessShell('tr a-z A-Z; echo "$GREETING" >&2; exit 7', {
          stdin: PIPE,
          stdout: PIPE,
          stderr: PIPE,
          env: { GREETING: 'hello', PATH: process.env['PATH'] },
        }),
      );
      const [out, err] = await proc.communicate(enc('shout'));
      expect([dec(out), dec(err)]).toEqual(['SHOUT', 'hello\n']);
      expect(proc.returncode).toBe(7);
    });
  });

  it('rejects a command that is not a string, or empty', async () => {
    await run(async () => {
      const shell = createSubprocessShell as (...args: unknown[]) => Promise<Process>;
      await expect(shell(['ls', '-l'])).rejects.toThrow(
        "createSubprocessShell() takes one command line for /bin/sh, e.g. createSubprocessShell('ls -l | wc -l'); to run a program with an array of arguments, use createSubprocessExec(program, args)",
      );
      await expect(shell(7)).rejects.toThrow(
        new TypeError('createSubprocessShell() command must be a string, got number 7'),
      );
      await expect(shell('')).rejects.toThrow(
        new ValueError('createSubprocessShell() command must not be empty'),
      );
      await expect(shell('true', { limit: -1 })).rejects.toBeInstanceOf(ValueError);
      await expect(shell('true', { nope: 1 })).rejects.toThrow(
        "createSubprocessShell() got an unknown option 'nope'",
      );
    });
  });
});
