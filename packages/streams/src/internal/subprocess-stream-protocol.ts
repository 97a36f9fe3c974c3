import type {
  AbstractEventLoop,
  AbstractFuture,
  ReadTransport,
  SubprocessTransport,
  WriteTransport,
} from '@tsio/core';
import { StreamReader } from '../stream-reader.js';
import { StreamWriter } from '../stream-writer.js';
import { FlowControlProtocol } from './flow-control-protocol.js';
import { settleCloseWaiter } from './settle-close-waiter.js';

/**
 * The protocol of a child started by `createSubprocessExec`/`createSubprocessShell`: its
 * stdout and stderr pipes feed StreamReaders, its stdin pipe is written through a
 * StreamWriter whose `drain()` follows the pipe's flow control, and it tells `Process.wait()`
 * when the child is gone (exited, and every pipe closed).
 *
 * Python parity: `asyncio.subprocess.SubprocessStreamProtocol`
 */
export class SubprocessStreamProtocol extends FlowControlProtocol {
  readonly #limit: number;
  stdin: StreamWriter | null = null;
  stdout: StreamReader | null = null;
  stderr: StreamReader | null = null;
  #transport: SubprocessTransport | null = null;
  #processExited = false;
  /** The output pipes (1, 2) still open: the transport is closed once none is left. */
  #pipeFds: number[] = [];
  readonly #stdinClosed: AbstractFuture<void>;
  /** True once `connectionLost` ran: the child exited and all its pipes closed. */
  #finished = false;
  /** One future per `Process.wait()` call, so that cancelling one wait cancels only it. */
  #exitWaiters: AbstractFuture<void>[] = [];

  constructor(limit: number, loop: AbstractEventLoop) {
    super(loop);
    this.#limit = limit;
    this.#stdinClosed = loop.createFuture<void>();
  }

  override toString(): string {
    let info = 'SubprocessStreamProtocol';
    if (this.stdin !== null) info += ` stdin=${String(this.stdin)}`;
    if (this.stdout !== null) info += ` stdout=${String(this.stdout)}`;
    if (this.stderr !== null) info += ` stderr=${String(this.stderr)}`;
    return `<${info}>`;
  }

  // The transport base class types this for stream transports; a subprocess transport is
  // what subprocessExec() passes.
  override connectionMade(transport: object): void {
    const subprocess = transport as SubprocessTransport;
    this.#transport = subprocess;
    const loop = this._loop;
    const stdout = subprocess.getPipeTransport(1);
    if (stdout !== null) {
      this.stdout = new StreamReader({ limit: this.#limit, loop });
      this.stdout._setTransport(stdout as ReadTransport);
      this.#pipeFds.push(1);
    }
    const stderr = subprocess.getPipeTransport(2);
    if (stderr !== null) {
      this.stderr = new StreamReader({ limit: this.#limit, loop });
      this.stderr._setTransport(stderr as ReadTransport);
      this.#pipeFds.push(2);
    }
    const stdin = subprocess.getPipeTransport(0);
    if (stdin !== null) this.stdin = new StreamWriter(stdin as WriteTransport, this, null, loop);
  }

  pipeDataReceived(fd: number, data: Uint8Array): void {
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    reader?.feedData(data);
  }

  pipeConnectionLost(fd: number, exc: Error | null): void {
    if (fd === 0) {
      this.stdin?.close();
      // The write side is lost: drain() waiters wake with `exc` (BrokenPipeError when the
      // child went away with data unwritten), later drain() calls fail.
      super.connectionLost(exc);
      settleCloseWaiter(this.#stdinClosed, exc);
      return;
    }
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    const index = this.#pipeFds.indexOf(fd);
    if (index !== -1) this.#pipeFds.splice(index, 1);
    this.#maybeCloseTransport();
  }

  processExited(): void {
    this.#processExited = true;
    this.#maybeCloseTransport();
  }

  #maybeCloseTransport(): void {
    // Output read to the end and the child gone: closing the transport also closes stdin,
    // so that the transport can finish (asyncio's _maybe_close_transport).
    if (this.#pipeFds.length === 0 && this.#processExited && this.#transport !== null) {
      this.#transport.close();
      this.#transport = null;
    }
  }

  /** The transport finished: the child exited and every pipe is closed. */
  override connectionLost(exc: Error | null): void {
    this.#finished = true;
    const waiters = this.#exitWaiters;
    this.#exitWaiters = [];
    for (const waiter of waiters) if (!waiter.done()) waiter.setResult(undefined);
    super.connectionLost(exc);
  }

  /**
   * A future that resolves once the child exited and its pipes closed (at once if that
   * happened already): one per caller, so that cancelling it affects nobody else.
   */
  _exitWaiter(): AbstractFuture<void> {
    const waiter = this._loop.createFuture<void>();
    if (this.#finished) waiter.setResult(undefined);
    else {
      this.#exitWaiters.push(waiter);
      waiter.addDoneCallback(this.#dropExitWaiter);
    }
    return waiter;
  }

  // A cancelled wait() leaves the list at once: a loop that keeps cancelling waits on a
  // long-running child does not grow it.
  readonly #dropExitWaiter = (waiter: AbstractFuture<void>): void => {
    const index = this.#exitWaiters.indexOf(waiter);
    if (index !== -1) this.#exitWaiters.splice(index, 1);
  };

  override _getCloseWaiter(stream: unknown): AbstractFuture<void> {
    if (stream !== this.stdin) {
      throw new TypeError('only the stdin writer of a subprocess has a close waiter');
    }
    return this.#stdinClosed;
  }
}
