import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { ValueError, toOSError } from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  ExecutionFrame,
  Protocol,
  ReadTransport,
  SubprocessProtocol,
  WriteTransport,
} from '@tsio/core';
import { SubprocessTransport } from '../subprocess-transport.js';
import { captureIoFrame, inIoFrame } from './io-frame.js';
import { resolveWaiter, soon } from './loop-calls.js';
import { describeValue } from './pipe-stream.js';
import { ReadPipeTransport } from './read-pipe-transport.js';
import { WritePipeTransport } from './write-pipe-transport.js';

/** The child's streams that are pipes to us (null where the child's stream goes elsewhere). */
export interface ChildPipes {
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
}

/** The protocol of one of the child's pipes: forwards to the subprocess transport. */
class PipeProtocol implements Protocol {
  disconnected = false;
  constructor(
    private readonly owner: ChildProcessTransport,
    readonly fd: number,
  ) {}
  dataReceived(data: Uint8Array): void {
    this.owner._pipeDataReceived(this.fd, data);
  }
  connectionLost(exc: Error | null): void {
    this.disconnected = true;
    this.owner._pipeConnectionLost(this.fd, exc);
  }
  pauseWriting(): void {
    this.owner.getProtocol().pauseWriting?.();
  }
  resumeWriting(): void {
    this.owner.getProtocol().resumeWriting?.();
  }
}

interface Pipe {
  readonly protocol: PipeProtocol;
  readonly transport: ReadPipeTransport | WritePipeTransport;
}

/** `sig` checked, as a name Node knows or a signal number. */
export function checkSignal(sig: unknown): NodeJS.Signals | number {
  if (typeof sig === 'number') {
    if (Number.isInteger(sig) && sig >= 0) return sig;
    throw new ValueError(`a signal number must be an integer >= 0, got ${sig}`);
  }
  if (typeof sig === 'string') {
    if (Object.hasOwn(os.constants.signals, sig)) return sig as NodeJS.Signals;
    throw new ValueError(
      `unknown signal ${JSON.stringify(sig)}; use a name such as 'SIGTERM' or a number`,
    );
  }
  throw new TypeError(
    `signal must be a name such as 'SIGTERM' or a number, got ${describeValue(sig)}`,
  );
}

/**
 * The transport of a child started by `subprocessExec`/`subprocessShell`: its pipes are
 * `ReadPipeTransport`s and a `WritePipeTransport` whose events reach the protocol as
 * `pipeDataReceived(fd, data)` and `pipeConnectionLost(fd, exc)`; `processExited()` follows
 * the child's exit, and `connectionLost(null)` comes once the child exited and every pipe
 * closed.
 *
 * Python parity: `asyncio.base_subprocess.BaseSubprocessTransport`
 */
export class ChildProcessTransport extends SubprocessTransport {
  private _protocol: SubprocessProtocol;
  private _child: ChildProcess | null;
  private readonly _pid: number;
  private _returncode: number | null = null;
  private _closed = false;
  private _finished = false;
  /** Calls held until connectionMade() is scheduled, as asyncio's `_pending_calls`. */
  private _pendingCalls: Array<() => void> | null = [];
  private readonly _pipes = new Map<number, Pipe>();
  private _exitWaiters: Array<AbstractFuture<number>> | null = [];
  private readonly _frame: ExecutionFrame;

  constructor(
    private readonly _loop: AbstractEventLoop,
    protocol: SubprocessProtocol,
    child: ChildProcess,
    pipes: ChildPipes,
    waiter: AbstractFuture<void> | null,
  ) {
    super({ subprocess: child });
    this._protocol = protocol;
    this._child = child;
    this._pid = child.pid as number;
    this._frame = captureIoFrame();
    child.on('exit', this._onExit);
    child.on('error', this._onChildError);
    // The pipe transports schedule their connectionMade first; ours follows, then the calls
    // (data, exit) that arrived meanwhile, so nothing is lost or reordered.
    if (pipes.stdin !== null) this._addPipe(0, pipes.stdin);
    if (pipes.stdout !== null) this._addPipe(1, pipes.stdout);
    if (pipes.stderr !== null) this._addPipe(2, pipes.stderr);
    _loop.callSoon(() => this._pipesConnected(waiter));
  }

  private _addPipe(fd: number, stream: Readable | Writable): void {
    const protocol = new PipeProtocol(this, fd);
    const transport =
      fd === 0
        ? new WritePipeTransport(this._loop, stream as Writable, protocol)
        : new ReadPipeTransport(this._loop, stream as Readable, protocol);
    this._pipes.set(fd, { protocol, transport });
  }

  private _pipesConnected(waiter: AbstractFuture<void> | null): void {
    const protocol = this._protocol;
    this._loop.callSoon(() => protocol.connectionMade?.(this));
    for (const call of this._pendingCalls ?? []) this._loop.callSoon(call);
    this._pendingCalls = null;
    if (waiter !== null) resolveWaiter(waiter);
  }

  override toString(): string {
    const state = this._returncode !== null ? `returncode=${this._returncode}` : 'running';
    return `<ChildProcessTransport${this._closed ? ' closed' : ''} pid=${this._pid} ${state}>`;
  }

  override getPid(): number {
    return this._pid;
  }

  override getReturncode(): number | null {
    return this._returncode;
  }

  override getPipeTransport(fd: number): ReadTransport | WriteTransport | null {
    return this._pipes.get(fd)?.transport ?? null;
  }

  override sendSignal(signal: NodeJS.Signals | number): void {
    const sig = checkSignal(signal);
    const child = this._child;
    // Only a child not yet reaped: once Node saw it exit, its pid may belong to another
    // process. asyncio raises ProcessLookupError after the transport finished; tsio has no
    // such class and does nothing (docs/python-differences.md).
    if (
      child === null ||
      this._returncode !== null ||
      child.exitCode !== null ||
      child.signalCode !== null
    ) {
      return;
    }
    try {
      process.kill(this._pid, sig);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ESRCH') return;
      throw toOSError(error);
    }
  }

  override terminate(): void {
    this.sendSignal('SIGTERM');
  }

  override kill(): void {
    this.sendSignal('SIGKILL');
  }

  override isClosing(): boolean {
    return this._closed;
  }

  override close(): void {
    if (this._closed) return;
    this._closed = true;
    for (const { transport } of this._pipes.values()) transport.close();
    const child = this._child;
    if (
      child !== null &&
      this._returncode === null &&
      child.exitCode === null &&
      child.signalCode === null
    ) {
      if (this._loop.getDebug()) console.warn(`Close running child process: kill ${String(this)}`);
      try {
        process.kill(this._pid, 'SIGKILL');
      } catch {
        // Already gone, or not ours to kill (setuid): as asyncio, ignore.
      }
    }
  }

  override setProtocol(protocol: SubprocessProtocol): void {
    this._protocol = protocol;
  }

  override getProtocol(): SubprocessProtocol {
    return this._protocol;
  }

  /**
   * Resolves to the exit code once the transport finished (the child exited and its pipes
   * closed), as asyncio's `_wait()`, for `Process.wait()`.
   */
  _wait(): PromiseLike<number> {
    const waiter = this._loop.createFuture<number>();
    if (this._returncode !== null || this._exitWaiters === null) {
      waiter.setResult(this._returncode ?? 0);
    } else {
      this._exitWaiters.push(waiter);
    }
    return waiter;
  }

  /** @internal Called by a pipe's protocol. */
  _pipeDataReceived(fd: number, data: Uint8Array): void {
    const protocol = this._protocol;
    this._call(() => protocol.pipeDataReceived?.(fd, data));
  }

  /** @internal Called by a pipe's protocol. */
  _pipeConnectionLost(fd: number, exc: Error | null): void {
    const protocol = this._protocol;
    this._call(() => protocol.pipeConnectionLost?.(fd, exc));
    this._tryFinish();
  }

  private _call(call: () => void): void {
    if (this._pendingCalls !== null) this._pendingCalls.push(call);
    else soon(this._loop, call);
  }

  private readonly _onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    inIoFrame(this._frame, () => {
      // Python's convention: killed by signal N gives -N.
      const returncode = code ?? -(signal === null ? 0 : (os.constants.signals[signal] ?? 0));
      if (this._loop.getDebug())
        console.info(`${String(this)} exited with return code ${returncode}`);
      this._returncode = returncode;
      const protocol = this._protocol;
      this._call(() => protocol.processExited?.());
      this._tryFinish();
    });
  };

  private readonly _onChildError = (error: unknown): void => {
    // After spawn, Node reports only failures to signal the child here.
    if (this._loop.isClosed()) return;
    inIoFrame(this._frame, () =>
      this._loop.callExceptionHandler({
        message: 'Error on a child process',
        exception: toOSError(error),
        transport: this,
        protocol: this._protocol,
      }),
    );
  };

  private _tryFinish(): void {
    if (this._finished || this._returncode === null) return;
    for (const { protocol } of this._pipes.values()) if (!protocol.disconnected) return;
    this._finished = true;
    this._call(() => this._callConnectionLost());
  }

  private _callConnectionLost(): void {
    try {
      this._protocol.connectionLost?.(null);
    } finally {
      const returncode = this._returncode as number;
      for (const waiter of this._exitWaiters ?? []) resolveWaiter(waiter, returncode);
      this._exitWaiters = null;
      this._child?.off('exit', this._onExit);
      this._child = null;
    }
  }
}
