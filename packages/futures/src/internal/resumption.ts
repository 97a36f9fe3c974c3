import {
  _enterFrameFromHandle,
  _runInFrame,
  isCancelledError,
  type ExecutionFrame,
} from '@tsio/core';
import type { CancellableWaiter, WaitingTask } from './waiting-task.js';

type Settler = (value: unknown) => void;
type Handler = ((value: never) => unknown) | null | undefined;

/**
 * One `then(onFulfilled, onRejected)` on a tsio awaitable: what to call when it settles,
 * the promise `then` returned, and the task that was waiting (for cancellation).
 * The `await` of a coroutine is a `then` whose handlers are the engine's resolve functions.
 */
export class Resumption {
  constructor(
    readonly task: WaitingTask | null,
    readonly waiter: CancellableWaiter | null,
    readonly frame: ExecutionFrame | undefined,
    readonly onFulfilled: Handler,
    readonly onRejected: Handler,
    readonly resolve: Settler,
    readonly reject: Settler,
  ) {}

  /**
   * Delivers the outcome. When the task got a cancellation request after its waiter was
   * already done, the CancelledError is delivered instead (asyncio's `_must_cancel` check
   * at the start of `Task.__step`). `fromHandle`: called at the top of a loop handle's
   * callback (see `_enterFrameFromHandle`), not from a microtask.
   */
  deliver(ok: boolean, value: unknown, checkPendingCancel: boolean, fromHandle: boolean): void {
    const task = this.task;
    if (task !== null) {
      if (this.waiter !== null) task._removeWaiter(this.waiter);
      if (checkPendingCancel && task._mustCancel) {
        // asyncio's `__step`: a pending cancellation replaces what is delivered, unless that
        // is a CancelledError already (whose message wins).
        if (ok || !isCancelledError(value)) value = task._takePendingCancellation();
        else task._mustCancel = false;
        ok = false;
      }
    }
    const handler = ok ? this.onFulfilled : this.onRejected;
    if (typeof handler !== 'function') {
      (ok ? this.resolve : this.reject)(value);
      return;
    }
    const run = fromHandle ? _enterFrameFromHandle : _runInFrame;
    run(this.frame, runHandler, this, handler as (value: unknown) => unknown, value);
  }
}

function runHandler(r: Resumption, handler: (value: unknown) => unknown, value: unknown): void {
  try {
    r.resolve(handler(value));
  } catch (error) {
    r.reject(error);
  }
}

/** Creates the promise returned by `then`, and the Resumption that settles it. */
export function makeResumption(
  task: WaitingTask | null,
  waiter: CancellableWaiter | null,
  frame: ExecutionFrame | undefined,
  onFulfilled: Handler,
  onRejected: Handler,
): [Promise<never>, Resumption] {
  let resolve!: Settler;
  let reject!: Settler;
  const promise = new Promise<never>((res, rej) => {
    resolve = res as Settler;
    reject = rej;
  });
  return [promise, new Resumption(task, waiter, frame, onFulfilled, onRejected, resolve, reject)];
}
