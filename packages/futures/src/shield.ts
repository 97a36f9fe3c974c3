import type { Awaitable, Coro } from '@tsio/core';
import { ensureFuture } from './ensure-future.js';
import { Future } from './future.js';
import { isAwaitableArg, notAwaitable } from './internal/to-futures.js';

/**
 * Protects an awaitable from the cancellation of whoever awaits it. `await shield(task)`
 * behaves like `await task`, except that cancelling the awaiting task cancels only the outer
 * Future that `shield` returns: the awaiting code gets CancelledError at its `await`, while
 * the inner task goes on running. The inner task's result or error still reaches the outer
 * Future if that one is not cancelled; if the inner task is cancelled by other means, the
 * outer Future is cancelled too.
 *
 * A coroutine function or promise is wrapped in a Task (`ensureFuture`); keep a reference
 * to that work yourself (pass a Task) if you need its result after the outer await was
 * cancelled. An argument that is already done is returned as it is.
 *
 * @throws TypeError if `aw` cannot be awaited.
 * @throws RuntimeError "no running event loop" when a Task must be created and no loop is
 *   current.
 *
 * @example
 * ```ts
 * declare function saveToDisk(data: Uint8Array): Promise<void>;
 * const save = createTask(() => saveToDisk(data));
 * try {
 *   await shield(save); // cancelling this task does not interrupt the save
 * } catch (e) {
 *   if (isCancelledError(e)) await save; // let it finish, then re-throw
 *   throw e;
 * }
 * ```
 *
 * Python parity: `asyncio.shield`
 */
export function shield<T>(aw: Awaitable<T> | Coro<T>): Future<T> {
  if (!isAwaitableArg(aw)) throw notAwaitable(aw, 'shield()', 'the argument');
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = new Future<T>({ loop: inner.getLoop() });

  const onInnerDone = (done: Future<T>): void => {
    if (outer.cancelled()) {
      // Nobody awaits this result any more: mark the inner exception as retrieved.
      if (!done.cancelled()) done.exception();
      return;
    }
    if (done.cancelled()) {
      outer.cancel();
      return;
    }
    let value: T;
    try {
      value = done.result();
    } catch (error) {
      outer.setException(error);
      return;
    }
    outer.setResult(value);
  };
  const onOuterDone = (): void => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(onOuterDone);
  return outer;
}
