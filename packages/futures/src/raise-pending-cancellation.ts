import { currentWaitingTask } from './internal/waiting-task.js';

/**
 * Throws the current task's cancellation if one was requested after the task's last wake-up
 * had been delivered; does nothing otherwise. For synchronization primitives and queues: call
 * it right after the `await` of a waiter future, inside the same `try`, so that a task
 * cancelled between being woken and resuming is treated as cancelled at that `await` — as in
 * asyncio — and passes the wakeup (the lock, the permit, the item) on instead of taking it.
 *
 * A coroutine resumes in a microtask after the loop iteration that woke it
 * (python-differences item 7), so another task can cancel it in between; asyncio would throw
 * the CancelledError at the resumed `await` itself, and this hook does exactly that.
 *
 * @throws CancelledError the pending cancellation (it is then no longer pending).
 *
 * @example
 * ```ts
 * declare function wakeUpNext(): void; // hands the wakeup to the next waiter
 * const waiter = getRunningLoop().createFuture<void>();
 * try {
 *   await waiter;
 *   _raisePendingCancellation();
 * } catch (e) {
 *   if (isCancelledError(e)) wakeUpNext(); // never swallow the wakeup
 *   throw e;
 * }
 * ```
 *
 * Python parity: none (asyncio delivers the cancellation at the resumed `await` itself)
 */
export function _raisePendingCancellation(): void {
  const task = currentWaitingTask();
  if (task !== null && task._mustCancel) throw task._takePendingCancellation();
}
