import { ConnectionResetError, getRunningLoop, NotImplementedError } from '@tsio/core';
import type { AbstractEventLoop, AbstractFuture, Transport } from '@tsio/core';
import { _suspendOn } from '@tsio/futures';
import { Protocol } from '@tsio/transports';

/**
 * The write side of a stream protocol: remembers whether the transport asked to pause
 * writing, and lets `StreamWriter.drain()` wait until it resumes (or the connection is lost).
 * `StreamReaderProtocol` and the subprocess protocol extend it.
 *
 * Python parity: `asyncio.streams.FlowControlMixin`
 */
export abstract class FlowControlProtocol extends Protocol {
  /** The loop the drain waiters belong to. */
  protected readonly _loop: AbstractEventLoop;
  #paused = false;
  #drainWaiters: AbstractFuture<void>[] = [];
  #connectionLost = false;

  constructor(loop?: AbstractEventLoop) {
    super();
    this._loop = loop ?? getRunningLoop();
  }

  override pauseWriting(): void {
    this.#paused = true;
  }

  override resumeWriting(): void {
    this.#paused = false;
    for (const waiter of this.#drainWaiters) if (!waiter.done()) waiter.setResult(undefined);
  }

  override connectionLost(exc: Error | null): void {
    this.#connectionLost = true;
    if (!this.#paused) return;
    for (const waiter of this.#drainWaiters) {
      if (waiter.done()) continue;
      if (exc === null) waiter.setResult(undefined);
      else waiter.setException(exc);
    }
  }

  /**
   * Resolves when writing may go on: at once (`null`, no promise made) unless the transport
   * paused writing; rejects with ConnectionResetError once the connection is lost.
   */
  _drainHelper(): Promise<void> | null {
    if (this.#connectionLost) throw new ConnectionResetError('Connection lost');
    if (!this.#paused) return null;
    return this.#waitForResume();
  }

  async #waitForResume(): Promise<void> {
    const waiter = this._loop.createFuture<void>();
    this.#drainWaiters.push(waiter);
    try {
      await _suspendOn(waiter);
    } finally {
      const index = this.#drainWaiters.indexOf(waiter);
      if (index !== -1) this.#drainWaiters.splice(index, 1);
    }
  }

  /**
   * Whether this end accepted the connection (`StreamWriter.startTls` then acts as the TLS
   * server). asyncio reads `_client_connected_cb is not None`; only a server's protocol has one.
   */
  _isServerSide(): boolean {
    return false;
  }

  /** Takes the transport `StreamWriter.startTls` made in place of the plain one. */
  _replaceTransport(_transport: Transport): void {}

  /** The future `StreamWriter.waitClosed()` awaits for `stream`. */
  _getCloseWaiter(_stream: unknown): AbstractFuture<void> {
    throw new NotImplementedError(`${this.constructor.name} must implement _getCloseWaiter()`);
  }
}
