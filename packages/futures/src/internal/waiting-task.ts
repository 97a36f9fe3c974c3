import { _currentTaskOrNull, type AbstractEventLoop } from '@tsio/core';

/**
 * What a Future needs from the task that awaits it: the hooks of the cancellation design
 * (ARCHITECTURE.md, "Coroutines, tasks and cancellation"). Task implements it; the Future
 * finds the task through the execution frame, so it never imports Task.
 */
export interface WaitingTask {
  /** A cancellation was requested while the task had no waiter to cancel. */
  _mustCancel: boolean;
  /** The message of that pending cancellation. */
  _cancelMessage: string | undefined;
  /** Records `future` as something the task is blocked on. */
  _addWaiter(future: CancellableWaiter): void;
  /** Forgets `future` once it has been delivered. */
  _removeWaiter(future: CancellableWaiter): void;
  /** Takes the pending cancellation and returns the CancelledError to deliver. */
  _takePendingCancellation(): Error;
  getLoop(): AbstractEventLoop;
}

/** A waiter a task can cancel. */
export interface CancellableWaiter {
  cancel(msg?: string): boolean;
}

/** The task the calling code runs as, if it is a tsio Task that takes waiters. */
export function currentWaitingTask(): WaitingTask | null {
  const task = _currentTaskOrNull() as Partial<WaitingTask> | null;
  return task !== null && typeof task._addWaiter === 'function' ? (task as WaitingTask) : null;
}
