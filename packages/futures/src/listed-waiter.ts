import type { AbstractEventLoop } from '@tsio/core';
import { Future } from './future.js';
import { Resumption } from './internal/resumption.js';

/**
 * @internal A Future listed in a synchronization primitive's set of waiters, which leaves the
 * set by itself: when its outcome is handed to an `await` (or other `then`) on it, which is
 * when asyncio's waiting coroutine runs its `finally: self._waiters.remove(fut)`; or, if
 * nothing awaits it, as soon as it is done (otherwise it would stay listed for ever).
 *
 * A primitive can then return the waiter itself from its wait method instead of wrapping the
 * `await` in an async function, which costs a suspended frame and two promise layers per
 * waiting task.
 *
 * Python parity: none (asyncio's primitives remove the waiter in the `finally` of their wait
 * coroutine)
 */
export class _ListedWaiter<T> extends Future<T> {
  readonly #list: Set<Future<T>>;

  /** Creates a pending waiter on `loop` and adds it to the end of `list`. */
  constructor(loop: AbstractEventLoop, list: Set<Future<T>>) {
    super({ loop });
    this.#list = list;
    list.add(this);
  }

  /** @internal */
  override _scheduleCallbacks(): void {
    if (!hasResumption(this._callbacks)) this.#list.delete(this);
    super._scheduleCallbacks();
  }

  /** @internal */
  override _deliver(
    resumption: Resumption,
    waited: boolean,
    check: boolean,
    fromHandle: boolean,
  ): void {
    this.#list.delete(this);
    super._deliver(resumption, waited, check, fromHandle);
  }
}

function hasResumption(callbacks: Future<unknown>['_callbacks']): boolean {
  if (callbacks === null) return false;
  if (!Array.isArray(callbacks)) return callbacks instanceof Resumption;
  for (const callback of callbacks) if (callback instanceof Resumption) return true;
  return false;
}
