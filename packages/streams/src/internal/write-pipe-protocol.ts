import type { AbstractEventLoop, AbstractFuture } from '@tsio/core';
import { FlowControlProtocol } from './flow-control-protocol.js';

/**
 * The protocol of a StreamWriter with no reading half (over `loop.connectWritePipe`): flow
 * control for `drain()`, and the future `waitClosed()` awaits, settled when the pipe closes.
 */
export class WritePipeProtocol extends FlowControlProtocol {
  readonly #closed: AbstractFuture<void>;

  constructor(loop: AbstractEventLoop) {
    super(loop);
    this.#closed = loop.createFuture<void>();
  }

  override connectionLost(exc: Error | null): void {
    super.connectionLost(exc);
    if (this.#closed.done()) return;
    if (exc === null) {
      this.#closed.setResult(undefined);
    } else {
      this.#closed.setException(exc);
      // drain() reports the error too; nobody need await waitClosed() to have seen it
      // (asyncio marks the exception retrieved in StreamReaderProtocol.__del__).
      this.#closed.exception();
    }
  }

  override _getCloseWaiter(_stream: unknown): AbstractFuture<void> {
    return this.#closed;
  }
}
