import { isCancelledError, TimeoutError, type Coro } from '@tsio/core';
import { ensureFuture, isFuture, wrapFuture } from './ensure-future.js';
import { Future } from './future.js';
import { _suspendOn } from './suspend-on.js';
import { checkSecondsOrNull } from './internal/check-seconds.js';
import { describe, isThenable } from './internal/describe.js';
import { timeout } from './timeout.js';

/**
 * Waits for `aw` to finish, for at most `timeoutSeconds` (`null`: no limit), and resolves to
 * its result. On timeout, `aw` is cancelled, waited for until it has finished, and a
 * `TimeoutError` is thrown (its `cause` is the CancelledError). If the wait itself is
 * cancelled, `aw` is cancelled too. Built on `timeout()`, as in Python 3.12+.
 *
 * `aw` may be:
 * - a tsio Future or Task: awaited; cancelled on timeout;
 * - a coroutine function: called at once in the current task (as Python 3.12+ awaits a
 *   coroutine in the calling task), with the Timeout's AbortSignal, so the cancellation
 *   reaches it at its `await`s and through the signal;
 * - any other promise: awaited through a Future (`wrapFuture`); a promise cannot be
 *   cancelled, so on timeout it is abandoned, not waited for, and its work goes on.
 *
 * If `aw` swallows the cancellation and returns a value, that value is returned (3.12+). If
 * `aw` finished with a result (or error) in the same loop iteration as the deadline, before
 * this wait could resume, that outcome is returned rather than a TimeoutError (asyncio 3.13
 * loses the result there). A timeout of 0 or less cancels `aw` at once unless it is already
 * done; a coroutine function is then never started.
 *
 * @throws TypeError if `aw` cannot be awaited, or `timeoutSeconds` is neither a number nor
 *   null (or is NaN).
 * @throws TimeoutError when the deadline passed first.
 * @throws RuntimeError "Timeout should be used inside a task" outside a tsio task (unless
 *   the timeout is 0 or less).
 *
 * @example
 * ```ts
 * try {
 *   const page = await waitFor(async (signal) => await download(url, signal), 2.5);
 * } catch (e) {
 *   if (!(e instanceof TimeoutError)) throw e;
 *   console.log('gave up after 2.5 s');
 * }
 * ```
 *
 * Python parity: `asyncio.wait_for`
 */
export async function waitFor<T>(
  aw: PromiseLike<T> | Coro<T>,
  timeoutSeconds: number | null,
): Promise<T> {
  if (!isFuture(aw) && typeof aw !== 'function' && !isThenable(aw)) {
    throw new TypeError(
      `waitFor() expects a Future, a Task, a promise or a coroutine function as aw, ` +
        `got ${describe(aw)}`,
    );
  }
  checkSecondsOrNull(timeoutSeconds, 'waitFor()', 'timeout');

  if (timeoutSeconds !== null && timeoutSeconds <= 0) {
    // asyncio's special case: no timeout block; a coroutine is never started.
    const fut = typeof aw === 'function' ? ensureFuture(aw) : toFuture(aw);
    if (fut.done()) return fut.result();
    await cancelAndWait(fut);
    try {
      return fut.result();
    } catch (error) {
      if (isCancelledError(error)) throw new TimeoutError('Timeout expired', { cause: error });
      throw error;
    }
  }

  const inner = typeof aw === 'function' ? null : toFuture(aw);
  try {
    return await timeout(timeoutSeconds).run(async (t) => {
      if (inner !== null) return await inner;
      const coro = aw as Coro<T>;
      // Like a Task, create the signal only for a function that declares a parameter.
      return await coro(coro.length > 0 ? t.signal : (undefined as unknown as AbortSignal));
    });
  } catch (error) {
    // The deadline and `inner`'s completion fell in the same iteration: keep the outcome.
    if (error instanceof TimeoutError && inner !== null && inner.done() && !inner.cancelled()) {
      return inner.result();
    }
    throw error;
  }
}

function toFuture<T>(aw: PromiseLike<T>): Future<T> {
  return isFuture(aw) ? (aw as Future<T>) : wrapFuture(aw);
}

/** Cancels `fut` and waits until it is done, without taking its outcome. */
async function cancelAndWait(fut: Future<unknown>): Promise<void> {
  const waiter = new Future<void>({ loop: fut.getLoop() });
  const release = (): void => {
    if (!waiter.done()) waiter.setResult(undefined);
  };
  fut.addDoneCallback(release);
  try {
    fut.cancel();
    await _suspendOn(waiter);
  } finally {
    fut.removeDoneCallback(release);
  }
}
