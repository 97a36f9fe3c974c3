import { ValueError, getRunningLoop } from '@tsio/core';
import type { AbstractEventLoop, SubprocessTransport } from '@tsio/core';
import type { StdioOption, SubprocessOptions } from '@tsio/transports';
import { splitLimit } from './internal/stream-limit.js';
import { SubprocessStreamProtocol } from './internal/subprocess-stream-protocol.js';
import { Process } from './process.js';

/**
 * Options of `createSubprocessExec()` and `createSubprocessShell()`: where the child's
 * standard streams go, the readers' `limit`, and the other options of `loop.subprocessExec`
 * (`cwd`, `env`, `startNewSession`, `user`, `group`...).
 *
 * Unlike `loop.subprocessExec`, and as in asyncio, a stream left out is inherited from this
 * process: ask for `PIPE` to read or write it through the `Process`.
 *
 * Python parity: the keyword arguments of `asyncio.create_subprocess_exec`
 */
export interface CreateSubprocessOptions extends SubprocessOptions {
  /**
   * The child's standard input: `PIPE` (then `proc.stdin` writes it), `DEVNULL`, a file
   * descriptor or a Node stream with one; inherited (`null`) by default.
   */
  readonly stdin?: StdioOption;
  /**
   * The child's standard output: `PIPE` (then `proc.stdout` reads it), `DEVNULL`, a file
   * descriptor or a Node stream with one; inherited (`null`) by default.
   */
  readonly stdout?: StdioOption;
  /**
   * The child's error output: as `stdout` (`proc.stderr` for `PIPE`), or `STDOUT` to send it
   * where stdout goes; inherited (`null`) by default.
   */
  readonly stderr?: StdioOption;
  /**
   * The limit of the `stdout`/`stderr` readers in bytes (default 64 KiB): the longest line
   * `readline()` accepts, and half the buffer size at which reading the pipe pauses.
   */
  readonly limit?: number;
}

// Every option, checked against the interface at compile time (a key added there and not
// here, or the reverse, fails to compile), so that a typo is named here with the caller.
const OPTION_KEYS: Readonly<Record<keyof CreateSubprocessOptions, true>> = {
  stdin: true,
  stdout: true,
  stderr: true,
  limit: true,
  cwd: true,
  env: true,
  bufsize: true,
  universalNewlines: true,
  text: true,
  encoding: true,
  errors: true,
  startNewSession: true,
  user: true,
  group: true,
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object' || typeof value === 'function') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  return `${typeof value} ${String(value)}`;
}

/** Checks the options and gives the loop's: the streams default to inherited, as asyncio's. */
function loopOptions(
  options: CreateSubprocessOptions | undefined,
  caller: string,
): [limit: number, loopOptions: SubprocessOptions] {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(
      `${caller} options must be an object such as { stdout: PIPE }, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options ?? {})) {
    if (!Object.hasOwn(OPTION_KEYS, key)) {
      throw new TypeError(
        `${caller} got an unknown option '${key}'; valid options: ${Object.keys(OPTION_KEYS).join(', ')}`,
      );
    }
  }
  const [limit, rest = {}] = splitLimit(options, caller);
  return [
    limit,
    {
      ...rest,
      stdin: rest.stdin ?? null,
      stdout: rest.stdout ?? null,
      stderr: rest.stderr ?? null,
    },
  ];
}

function checkExecArguments(program: unknown, args: unknown): void {
  const caller = 'createSubprocessExec()';
  if (typeof program !== 'string') {
    if (Array.isArray(program)) {
      throw new TypeError(
        `${caller} takes the program and its arguments apart, e.g. ` +
          `createSubprocessExec('ls', ['-l', '/tmp']); got an array as the program`,
      );
    }
    throw new TypeError(
      `${caller} program must be a string (a path, or a name looked up in PATH), got ${describeValue(program)}`,
    );
  }
  if (program === '') throw new ValueError(`${caller} program must not be empty`);
  if (!Array.isArray(args)) {
    if (typeof args === 'string') {
      throw new TypeError(
        `${caller} takes the arguments as an array of strings, e.g. ` +
          `createSubprocessExec(${JSON.stringify(program)}, [${JSON.stringify(args)}]); got ${describeValue(args)}`,
      );
    }
    if (typeof args === 'object' && args !== null) {
      throw new TypeError(
        `${caller} takes (program, args, options): pass the options third, e.g. ` +
          `createSubprocessExec(${JSON.stringify(program)}, [], { stdout: PIPE }); got ${describeValue(args)} as args`,
      );
    }
    throw new TypeError(
      `${caller} takes the arguments as an array of strings, got ${describeValue(args)}`,
    );
  }
  args.forEach((arg: unknown, i) => {
    if (typeof arg !== 'string') {
      throw new TypeError(
        `${caller} args[${i}] must be a string, got ${describeValue(arg)}; convert it with String(), ` +
          `there is no implicit conversion`,
      );
    }
  });
}

function checkShellCommand(cmd: unknown): void {
  const caller = 'createSubprocessShell()';
  if (typeof cmd === 'string') {
    if (cmd === '') throw new ValueError(`${caller} command must not be empty`);
    return;
  }
  if (Array.isArray(cmd)) {
    throw new TypeError(
      `${caller} takes one command line for /bin/sh, e.g. createSubprocessShell('ls -l | wc -l'); ` +
        `to run a program with an array of arguments, use createSubprocessExec(program, args)`,
    );
  }
  throw new TypeError(`${caller} command must be a string, got ${describeValue(cmd)}`);
}

function makeFactory(limit: number, loop: AbstractEventLoop): () => SubprocessStreamProtocol {
  return () => new SubprocessStreamProtocol(limit, loop);
}

function toProcess(
  [transport, protocol]: [SubprocessTransport, SubprocessStreamProtocol],
  loop: AbstractEventLoop,
): Process {
  return new Process(transport, protocol, loop);
}

/**
 * Starts `program` with `args` (directly, never through a shell) and resolves to its
 * `Process`. The standard streams are inherited unless options say otherwise: `PIPE` makes
 * `proc.stdin` a StreamWriter and `proc.stdout`/`proc.stderr` StreamReaders (with `limit`);
 * `DEVNULL` connects a stream to the null device; `stderr: STDOUT` merges it into stdout.
 * `program` is looked up in `PATH` unless it contains a slash.
 *
 * Cancelling the task while the child is being started kills that child.
 *
 * @throws TypeError if `program` is not a string, `args` not an array of strings, or an
 *   option unknown or mistyped; ValueError for an empty `program`, `limit <= 0`, text mode,
 *   or `STDOUT` anywhere but `stderr` (all before starting anything); FileNotFoundError,
 *   PermissionError... when the program cannot be started.
 *
 * @example
 * ```ts
 * const proc = await createSubprocessExec(process.execPath, ['-e', 'console.log(6 * 7)'], {
 *   stdout: PIPE,
 * });
 * const [out] = await proc.communicate();
 * console.log(new TextDecoder().decode(out!)); // "42\n"
 * ```
 *
 * Python parity: `asyncio.create_subprocess_exec`
 */
export async function createSubprocessExec(
  program: string,
  args: readonly string[] = [],
  options?: CreateSubprocessOptions,
): Promise<Process> {
  const loop = getRunningLoop();
  checkExecArguments(program, args);
  const [limit, rest] = loopOptions(options, 'createSubprocessExec()');
  return toProcess(await loop.subprocessExec(makeFactory(limit, loop), program, args, rest), loop);
}

/**
 * Runs `cmd` through the system shell (`/bin/sh -c cmd`) and resolves to its `Process`;
 * options as `createSubprocessExec()`. The command line is the shell's to interpret: quote
 * any untrusted part, or use `createSubprocessExec()`, which involves no shell.
 *
 * @throws TypeError if `cmd` is not a string or an option is unknown or mistyped;
 *   ValueError for an empty `cmd`, `limit <= 0` or text mode (all before starting anything).
 *
 * @example
 * ```ts
 * const proc = await createSubprocessShell('echo hi | tr a-z A-Z', { stdout: PIPE });
 * const [out] = await proc.communicate();
 * console.log(new TextDecoder().decode(out!)); // "HI\n"
 * ```
 *
 * Python parity: `asyncio.create_subprocess_shell`
 */
export async function createSubprocessShell(
  cmd: string,
  options?: CreateSubprocessOptions,
): Promise<Process> {
  const loop = getRunningLoop();
  checkShellCommand(cmd);
  const [limit, rest] = loopOptions(options, 'createSubprocessShell()');
  return toProcess(await loop.subprocessShell(makeFactory(limit, loop), cmd, rest), loop);
}
