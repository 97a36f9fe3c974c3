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
 *
 * Every pending `await` keeps one, so it holds no more than it needs: the function that
 * rejects the returned promise only when `onRejected` is missing (a handler that throws
 * rejects it through `resolve`, one microtask later), and not the awaited future, which
 * `deliver` receives.
 */
export class Resumption {
  constructor(
    readonly task: WaitingTask | null,
    readonly frame: ExecutionFrame | undefined,
    readonly onFulfilled: Handler,
    readonly onRejected: Handler,
    readonly resolve: Settler,
    readonly reject: Settler | null,
  ) {}

  /**
   * Delivers the outcome. `waiter`: the future the task waited on (it stops being one), or
   * null. When the task got a cancellation request after its waiter was already done, the
   * CancelledError is delivered instead (asyncio's `_must_cancel` check at the start of
   * `Task.__step`). `fromHandle`: called at the top of a loop handle's callback (see
   * `_enterFrameFromHandle`), not from a microtask.
   */
  deliver(
    waiter: CancellableWaiter | null,
    ok: boolean,
    value: unknown,
    checkPendingCancel: boolean,
    fromHandle: boolean,
  ): void {
    const task = this.task;
    if (task !== null) {
      if (waiter !== null) task._removeWaiter(waiter);
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
      // Without onRejected, `reject` was kept.
      (ok ? this.resolve : (this.reject as Settler))(value);
      return;
    }
    const run = fromHandle ? _enterFrameFromHandle : _runInFrame;
    run(this.frame, runHandler, this, handler as (value: unknown) => unknown, value);
  }
}

function runHandler(r: Resumption, handler: (value: unknown) => unknown, value: unknown): void {
  let result: unknown;
  try {
    result = handler(value);
  } catch (error) {
    if (r.reject !== null) r.reject(error);
    else r.resolve(new Rejection(error));
    return;
  }
  r.resolve(result);
}

/** A thenable that rejects whatever adopts it: a promise resolved with it rejects with `error`. */
class Rejection {
  constructor(readonly error: unknown) {}

  then(_onFulfilled: unknown, onRejected: (reason: unknown) => void): void {
    onRejected(this.error);
  }
}

/** Creates the promise returned by `then`, and the Resumption that settles it. */
export function makeResumption(
  task: WaitingTask | null,
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
  const keptReject = typeof onRejected === 'function' ? null : reject;
  return [promise, new Resumption(task, frame, onFulfilled, onRejected, resolve, keptReject)];
}
