import {
  _captureFrame,
  getRunningLoop,
  type AbstractEventLoop,
  type TimerHandle,
} from '@tsio/core';
import { Future } from './future.js';
import { DELIVERY_CONTEXT } from './internal/delivery-context.js';
import { makeResumption, type Resumption } from './internal/resumption.js';
import { currentWaitingTask } from './internal/waiting-task.js';

/**
 * Suspends the calling task for `delay` seconds, then resolves to `result`. `sleep(0)` (or
 * a negative delay) yields to the loop once, letting other tasks run: it costs no Future and
 * no timer. Cancelling the task during a sleep throws CancelledError at the `await`.
 *
 * @throws TypeError if `delay` is not a number or is NaN.
 * @throws RuntimeError "no running event loop" outside a running loop.
 *
 * @example
 * ```ts
 * const greeting = await sleep(0.1, 'hello');
 * ```
 *
 * Python parity: `asyncio.sleep`
 */
export function sleep(delay: number): PromiseLike<void>;
export function sleep<T>(delay: number, result: T): PromiseLike<T>;
export function sleep<T>(delay: number, result?: T): PromiseLike<T | undefined> {
  if (typeof delay !== 'number' || Number.isNaN(delay)) {
    throw new TypeError(`sleep() expects a delay in seconds (a number), got ${String(delay)}`);
  }
  const loop = getRunningLoop();
  if (delay <= 0) return new Yield(loop, result);
  const future = new SleepFuture<T | undefined>(loop);
  future._timer = loop.callLater(delay, wakeSleeper, future, result);
  return future;
}

/** The awaitable of `sleep(0)`: one trip through the loop's ready queue. */
class Yield<T> implements PromiseLike<T> {
  constructor(
    readonly loop: AbstractEventLoop,
    readonly value: T,
  ) {}

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const task = currentWaitingTask();
    const [promise, resumption] = makeResumption(task, _captureFrame(), onFulfilled, onRejected);
    this.loop.callSoonWithContext(DELIVERY_CONTEXT, resumeAfterYield, resumption, this.value);
    return promise;
  }
}

function resumeAfterYield(resumption: Resumption, value: unknown): void {
  resumption.deliver(null, true, value, true, true);
}

/** A sleep's future: cancelling it removes its timer from the loop. */
class SleepFuture<T> extends Future<T> {
  _timer: TimerHandle | null = null;

  constructor(loop: AbstractEventLoop) {
    super({ loop });
  }

  override cancel(msg?: string): boolean {
    const cancelled = super.cancel(msg);
    if (cancelled) this._timer?.cancel();
    return cancelled;
  }
}

function wakeSleeper<T>(future: SleepFuture<T>, result: T): void {
  if (!future.done()) future.setResult(result);
}
