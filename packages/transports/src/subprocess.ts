import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import type net from 'node:net';
import { ValueError, toOSError } from '@tsio/core';
import type {
  AbstractEventLoop,
  ProtocolFactory,
  SubprocessProtocol,
  SubprocessTransport,
} from '@tsio/core';
import { describeValue } from './internal/pipe-stream.js';
import { socketPair } from './internal/socket-pair.js';
import { resolveSubprocessOptions } from './internal/subprocess-options.js';
import type {
  ResolvedSubprocessOptions,
  SubprocessOptions,
} from './internal/subprocess-options.js';
import { ChildProcessTransport } from './internal/subprocess-transport-impl.js';

export { DEVNULL, PIPE, STDOUT } from './internal/stdio-constants.js';
export type { StdioOption, SubprocessOptions } from './internal/subprocess-options.js';

function checkFactory(protocolFactory: unknown, what: string): void {
  if (typeof protocolFactory !== 'function') {
    throw new TypeError(
      `${what} expects a protocol factory (a function returning a SubprocessProtocol), got ${typeof protocolFactory}`,
    );
  }
}

/** Waits for Node to report whether the child started; rejects with the spawn error. */
function spawned(child: ChildProcess): Promise<void> {
  if (child.pid !== undefined) return Promise.resolve();
  // Node reports a program that cannot run (ENOENT, EACCES...) by an 'error' event.
  return new Promise((_resolve, reject) => child.once('error', reject));
}

function destroyStdio(child: ChildProcess | null): void {
  for (const stream of child?.stdio ?? []) stream?.destroy();
}

async function start<P extends SubprocessProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  file: string,
  args: readonly string[],
  shell: boolean,
  options: ResolvedSubprocessOptions,
): Promise<[SubprocessTransport, P]> {
  const protocol = protocolFactory();
  // stderr=STDOUT with stdout=PIPE: one socket pair that the child writes both streams into.
  const pair = options.stdio[2] === 'merge' ? await socketPair() : null;
  const stdio = options.stdio.map((s) => (s === 'merge' ? (pair?.[1] as net.Socket) : s));
  if (pair !== null) stdio[1] = pair[1];
  let child: ChildProcess | null = null;
  try {
    const { stdio: _unused, ...spawnOptions } = options;
    child = spawn(file, args, {
      ...spawnOptions,
      shell,
      stdio: stdio as StdioOptions,
      windowsHide: true,
    });
    await spawned(child);
  } catch (error) {
    destroyStdio(child);
    pair?.[0].destroy();
    throw error instanceof TypeError ? error : toOSError(error);
  } finally {
    // The child has its own copy of its end; ours would keep the pipe from reaching EOF.
    pair?.[1].destroy();
  }
  const waiter = loop.createFuture<void>();
  const transport = new ChildProcessTransport(
    loop,
    protocol,
    child,
    { stdin: child.stdin, stdout: pair?.[0] ?? child.stdout, stderr: child.stderr },
    waiter,
  );
  try {
    await waiter;
  } catch (error) {
    // Cancelled before connectionMade(): stop the child and wait until it is gone.
    transport.close();
    await transport._wait();
    throw error;
  }
  return [transport, protocol];
}

/**
 * Loop machinery of `EventLoop.subprocessExec`: starts `program` with `args` (never through a
 * shell) and connects its standard streams to a protocol made by `protocolFactory`; resolves
 * once the protocol's `connectionMade` has run. By default stdin, stdout and stderr are pipes:
 * output arrives as `pipeDataReceived(fd, data)`, stdin is `getPipeTransport(0)`.
 *
 * @throws TypeError for a bad `program`, `args` or option; ValueError for text mode or a
 * `bufsize` other than 0; FileNotFoundError (or PermissionError...) when the program cannot
 * be started.
 *
 * Python parity: `loop.subprocess_exec`
 */
export async function _subprocessExec<P extends SubprocessProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  program: string,
  args: readonly string[] = [],
  options?: SubprocessOptions,
): Promise<[SubprocessTransport, P]> {
  checkFactory(protocolFactory, 'subprocessExec()');
  if (typeof program !== 'string') {
    throw new TypeError(`subprocessExec() program must be a string, got ${describeValue(program)}`);
  }
  if (program === '') throw new ValueError('subprocessExec() program must not be empty');
  if (!Array.isArray(args)) {
    throw new TypeError(
      `subprocessExec() takes its arguments as an array of strings, e.g. subprocessExec(factory, 'ls', ['-l', '/tmp']); got ${describeValue(args)}`,
    );
  }
  args.forEach((arg: unknown, i) => {
    if (typeof arg !== 'string') {
      throw new TypeError(
        `subprocessExec() args[${i}] must be a string, got ${describeValue(arg)}; convert it with String()`,
      );
    }
  });
  const resolved = resolveSubprocessOptions(options, 'subprocessExec()');
  return start(loop, protocolFactory, program, args, false, resolved);
}

/**
 * Loop machinery of `EventLoop.subprocessShell`: runs `command` through the system shell
 * (`/bin/sh -c command`), otherwise as `_subprocessExec`.
 *
 * @throws TypeError unless `command` is a string; ValueError when it is empty; as
 * `_subprocessExec` for the options.
 *
 * Python parity: `loop.subprocess_shell`
 */
export async function _subprocessShell<P extends SubprocessProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  command: string,
  options?: SubprocessOptions,
): Promise<[SubprocessTransport, P]> {
  checkFactory(protocolFactory, 'subprocessShell()');
  if (typeof command !== 'string') {
    throw new TypeError(
      `subprocessShell() command must be a string, got ${describeValue(command)}`,
    );
  }
  if (command === '') throw new ValueError('subprocessShell() command must not be empty');
  const resolved = resolveSubprocessOptions(options, 'subprocessShell()');
  return start(loop, protocolFactory, command, [], true, resolved);
}
