import { getRunningLoop, RuntimeError, type AbstractEventLoop } from '@tsio/core';

/**
 * The loop a queue belongs to: bound to the running loop the first time the queue has to
 * wait, as asyncio's `_LoopBoundMixin` does, so a queue can be created before any loop runs.
 * (The same few lines as @tsio/sync's internal binding, which is not public.)
 */
export class LoopBinding {
  #loop: AbstractEventLoop | null = null;

  /**
   * The running loop, which the queue is bound to from now on.
   *
   * @throws RuntimeError "no running event loop", or "<owner> is bound to a different event
   *   loop" when used from another loop than the first.
   */
  get(owner: object): AbstractEventLoop {
    const loop = getRunningLoop();
    if (this.#loop === null) this.#loop = loop;
    else if (this.#loop !== loop) {
      throw new RuntimeError(`${String(owner)} is bound to a different event loop`);
    }
    return loop;
  }
}
