import { BrokenPipeError, ConnectionResetError } from '@tsio/core';
import type { AbstractEventLoop, SubprocessTransport } from '@tsio/core';
import { gather } from '@tsio/futures';
import type { SubprocessStreamProtocol } from './internal/subprocess-stream-protocol.js';
import type { StreamReader } from './stream-reader.js';
import type { StreamWriter } from './stream-writer.js';

/** Stands in for a stream that is not a pipe in `communicate()`. */
const noPipe = async (): Promise<null> => null;

function describeInput(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 20))}`;
  if (typeof value === 'object' || typeof value === 'function') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  return `${typeof value} ${String(value)}`;
}

/**
 * A child process started by `createSubprocessExec()` or `createSubprocessShell()`, with
 * StreamReader/StreamWriter ends for the streams opened with `PIPE`.
 *
 * Cancelling a task that awaits `wait()` or `communicate()` does not kill the child: it
 * keeps running, and the output it wrote stays in `stdout`/`stderr`, so a later
 * `communicate()` or `stdout.read()` still returns all of it. Kill it yourself if that is
 * what you want (`proc.kill(); await proc.wait()`).
 *
 * @example
 * ```ts
 * const proc = await createSubprocessExec('sort', [], { stdin: PIPE, stdout: PIPE });
 * const [out] = await proc.communicate(new TextEncoder().encode('b\na\n'));
 * console.log(new TextDecoder().decode(out!), proc.returncode); // "a\nb\n" 0
 * ```
 *
 * Python parity: `asyncio.subprocess.Process`
 */
export class Process {
  /**
   * The child's process id.
   *
   * Python parity: `Process.pid`
   */
  readonly pid: number;

  /**
   * The writer of the child's standard input, or `null` unless it was opened with `PIPE`.
   *
   * Python parity: `Process.stdin`
   */
  readonly stdin: StreamWriter | null;

  /**
   * The reader of the child's standard output, or `null` unless it was opened with `PIPE`.
   *
   * Python parity: `Process.stdout`
   */
  readonly stdout: StreamReader | null;

  /**
   * The reader of the child's error output, or `null` unless it was opened with `PIPE`
   * (with `stderr: STDOUT` it arrives in `stdout`).
   *
   * Python parity: `Process.stderr`
   */
  readonly stderr: StreamReader | null;

  readonly #transport: SubprocessTransport;
  readonly #protocol: SubprocessStreamProtocol;
  readonly #loop: AbstractEventLoop;

  /**
   * Wraps a started child; `createSubprocessExec()` and `createSubprocessShell()` make
   * these, there is no reason to call it yourself.
   *
   * Python parity: `Process(transport, protocol, loop)`
   */
  constructor(
    transport: SubprocessTransport,
    protocol: SubprocessStreamProtocol,
    loop: AbstractEventLoop,
  ) {
    this.#transport = transport;
    this.#protocol = protocol;
    this.#loop = loop;
    this.stdin = protocol.stdin;
    this.stdout = protocol.stdout;
    this.stderr = protocol.stderr;
    this.pid = transport.getPid();
  }

  /**
   * The exit code, or `null` while the child runs. A child killed by signal N has `-N`
   * (`-9` after `kill()`, `-15` after `terminate()`), as in Python.
   *
   * Python parity: `Process.returncode`
   */
  get returncode(): number | null {
    return this.#transport.getReturncode();
  }

  /**
   * Waits until the child exits and its pipes are closed, and returns its exit code.
   * Cancelling the waiting task cancels only this wait: the child goes on running.
   *
   * With `stdout: PIPE` or `stderr: PIPE`, a child that writes more than the reader buffers
   * (twice its limit) and the pipe holds cannot finish while nobody reads: read the output,
   * or use `communicate()`, which reads it.
   *
   * @example
   * ```ts
   * const proc = await createSubprocessExec('sleep', ['1']);
   * console.log(await proc.wait()); // 0
   * ```
   *
   * Python parity: `Process.wait`
   */
  async wait(): Promise<number> {
    await this.#protocol._exitWaiter();
    return this.#transport.getReturncode() as number;
  }

  /**
   * Sends `signal` (a name such as `'SIGINT'` or a number) to the child; nothing happens
   * once the child has exited.
   *
   * @throws ValueError for an unknown signal name or a negative number; TypeError for
   *   anything else.
   *
   * Python parity: `Process.send_signal`
   */
  sendSignal(signal: NodeJS.Signals | number): void {
    this.#transport.sendSignal(signal);
  }

  /**
   * Asks the child to stop (`SIGTERM`); its `returncode` becomes `-15` unless it handles
   * the signal.
   *
   * Python parity: `Process.terminate`
   */
  terminate(): void {
    this.#transport.terminate();
  }

  /**
   * Kills the child (`SIGKILL`); its `returncode` becomes `-9`.
   *
   * Python parity: `Process.kill`
   */
  kill(): void {
    this.#transport.kill();
  }

  /**
   * Sends `input` (if given) to the child's stdin and closes it, reads stdout and stderr to
   * their end at the same time, waits for the child to exit, and returns
   * `[stdout, stderr]`; each is `null` unless that stream was opened with `PIPE`. Reading
   * and writing go on together, so large inputs and outputs cannot deadlock.
   *
   * A child that exits (or closes its stdin) before taking all of `input` is not an error:
   * the BrokenPipeError or ConnectionResetError of feeding stdin is ignored, as in asyncio.
   * `input` is ignored when stdin is not a pipe. Once stdin is closed, a second call sends
   * nothing and returns what is left of the output (empty at end of file).
   *
   * Cancelling the task that awaits `communicate()` stops the reads and the writing, without
   * killing the child and without losing output: what was read so far stays in
   * `stdout`/`stderr`, and the next `communicate()` (or `stdout.read()`) returns it with the
   * rest. asyncio loses the output its cancelled `read()` had gathered.
   *
   * @throws TypeError if `input` is neither bytes (a Uint8Array, Buffer or other
   *   ArrayBufferView) nor `null`/`undefined`; a string must be encoded first.
   * @throws the error a pipe failed with while reading.
   *
   * @example
   * ```ts
   * const proc = await createSubprocessExec('cat', [], { stdin: PIPE, stdout: PIPE });
   * const [out, err] = await proc.communicate(new TextEncoder().encode('hi'));
   * // out: the bytes "hi"; err: null (stderr was inherited)
   * ```
   *
   * Python parity: `Process.communicate`
   */
  async communicate(
    input: Uint8Array | null = null,
  ): Promise<[stdout: Uint8Array | null, stderr: Uint8Array | null]> {
    if (input !== null && !ArrayBuffer.isView(input)) {
      throw new TypeError(
        `communicate() input must be bytes (a Uint8Array or Buffer) or null, got ` +
          `${describeInput(input)}; encode text first, e.g. new TextEncoder().encode(text)`,
      );
    }
    const { stdin, stdout, stderr } = this;
    const [, out, err] = await gather(
      stdin === null ? noPipe : () => this.#feedStdin(stdin, input),
      stdout === null ? noPipe : () => this.#readStream(stdout, 1),
      stderr === null ? noPipe : () => this.#readStream(stderr, 2),
    );
    await this.wait();
    return [out, err];
  }

  async #feedStdin(stdin: StreamWriter, input: Uint8Array | null): Promise<null> {
    try {
      if (input !== null) stdin.write(input);
      await stdin.drain();
    } catch (error) {
      // The child exited or closed its stdin before reading everything: not an error for
      // communicate(), as in asyncio.
      if (!(error instanceof BrokenPipeError || error instanceof ConnectionResetError)) {
        throw error;
      }
      if (this.#loop.getDebug()) {
        console.debug(`${String(this)} communicate: stdin got ${String(error)}`);
      }
    }
    stdin.close();
    return null;
  }

  async #readStream(reader: StreamReader, fd: 1 | 2): Promise<Uint8Array> {
    const output = await reader.read();
    this.#transport.getPipeTransport(fd)?.close();
    return output;
  }

  /** `<Process 1234>`, as asyncio's repr. */
  toString(): string {
    return `<Process ${this.pid}>`;
  }
}
