import type { AbstractEventLoop } from './abstract-event-loop.js';
import { RuntimeError } from './errors.js';
import { getRunningLoop } from './running-loop.js';

/**
 * The loop a synchronization primitive or queue belongs to: bound to the running loop the
 * first time the object has to wait, so it can be created before any loop runs (at module
 * level), and refused from any other loop afterwards. For implementers of primitives.
 *
 * @example
 * ```ts
 * class Gate {
 *   readonly #binding = new _LoopBinding();
 *   wait() {
 *     const loop = this.#binding.get(this); // bound on first use
 *     return loop.createFuture<void>();
 *   }
 * }
 * ```
 *
 * Python parity: `asyncio.mixins._LoopBoundMixin`
 */
export class _LoopBinding {
  #loop: AbstractEventLoop | null = null;

  /**
   * Returns the running loop, which `owner` is bound to from now on.
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
