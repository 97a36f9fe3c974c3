import {
  CancelledError,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  TimeoutError,
  type Handle,
} from '@tsio/core';
import { currentTask } from './create-task.js';
import { isFuture } from './ensure-future.js';
import { checkSecondsOrNull } from './internal/check-seconds.js';
import { describe } from './internal/describe.js';
import { _suspendOn } from './suspend-on.js';
import type { Task } from './task.js';

/** asyncio's `_State` values, used in messages and `toString()`. */
type State = 'created' | 'active' | 'expiring' | 'expired' | 'finished';

/**
 * A deadline for a block of code: when it passes, the task running the block is cancelled,
 * and the CancelledError leaving the block becomes a `TimeoutError`.
 *
 * Create one with `timeout(delay)` or `timeoutAt(when)` and enter it with `run(fn)`, which
 * resolves to `fn`'s result. At the deadline the current task is cancelled (`task.cancel()`);
 * when the block ends, the timeout withdraws that request (`task.uncancel()`) and, if no other
 * cancellation is left over from inside the block and the block threw a CancelledError,
 * throws `TimeoutError` with that CancelledError as `cause`. A `cancel()` from elsewhere stays
 * a CancelledError, and of nested timeouts expiring together each handles only its own
 * request: the outermost one throws the TimeoutError.
 *
 * A deadline of `null` never expires; a deadline in the past expires on the next loop
 * iteration. `fn` receives the Timeout, so it can `reschedule` it or read `signal`: an
 * AbortSignal for native APIs that aborts when this timeout fires (see `signal`).
 *
 * There is no `await using` form: a disposer cannot see or replace the error leaving the
 * block, so it could not turn the timeout's CancelledError into a TimeoutError.
 *
 * @example
 * ```ts
 * try {
 *   const body = await timeout(5).run(async (t) => {
 *     const res = await fetch(url, { signal: t.signal });
 *     return await res.text();
 *   });
 * } catch (e) {
 *   if (e instanceof TimeoutError) console.log('too slow');
 *   else throw e;
 * }
 * ```
 *
 * Python parity: `asyncio.Timeout`
 */
export class Timeout {
  #state: State = 'created';
  #when: number | null;
  #handle: Handle | null = null;
  #task: Task<unknown> | null = null;
  /** The task's `cancelling()` when the timeout was entered. */
  #cancelling = 0;
  #controller: AbortController | null = null;
  #followed: AbortSignal | null = null;
  #onTaskAbort: (() => void) | null = null;

  /**
   * Creates a Timeout for loop time `when` (seconds), or one that never expires for `null`.
   * Prefer `timeout()` or `timeoutAt()`.
   *
   * @throws TypeError if `when` is neither a number nor null, or is NaN.
   */
  constructor(when: number | null) {
    checkSecondsOrNull(when, 'Timeout()', 'a deadline');
    this.#when = when;
  }

  /**
   * The current deadline in loop time (seconds), or `null` if it never expires.
   *
   * Python parity: `Timeout.when`
   */
  when(): number | null {
    return this.#when;
  }

  /**
   * Moves the deadline to loop time `when` (or removes it with `null`). A deadline that has
   * already passed expires on the next loop iteration.
   *
   * @throws TypeError if `when` is neither a number nor null, or is NaN.
   * @throws RuntimeError "Timeout has not been entered" before `run`, and "Cannot change
   *   state of expiring Timeout" (or expired, finished) once it fired or ended.
   *
   * @example
   * ```ts
   * declare function firstStep(): Promise<void>;
   * declare function secondStep(): Promise<void>;
   * await timeout(1).run(async (t) => {
   *   await firstStep();
   *   t.reschedule(getRunningLoop().time() + 10); // allow more time for the rest
   *   await secondStep();
   * });
   * ```
   *
   * Python parity: `Timeout.reschedule`
   */
  reschedule(when: number | null): void {
    checkSecondsOrNull(when, 'reschedule()', 'a deadline');
    if (this.#state !== 'active') {
      if (this.#state === 'created') throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${this.#state} Timeout`);
    }
    this.#when = when;
    this.#handle?.cancel();
    this.#handle = null;
    if (when === null) return;
    const loop = (this.#task as Task<unknown>).getLoop();
    this.#handle =
      when <= loop.time() ? loop.callSoon(onTimeout, this) : loop.callAt(when, onTimeout, this);
  }

  /**
   * True once the deadline has passed while the block ran (even if the block then completed
   * normally, having swallowed the cancellation).
   *
   * Python parity: `Timeout.expired`
   */
  expired(): boolean {
    return this.#state === 'expiring' || this.#state === 'expired';
  }

  /**
   * An AbortSignal scoped to this timeout, for native APIs (`fetch(url, { signal })`). It is
   * aborted, with a CancelledError as `reason`, when the deadline passes, or when the task
   * is cancelled from elsewhere while the block runs. Unlike the task's own signal, which stays
   * aborted once a cancellation has been handled, each Timeout has a fresh signal. It is not
   * aborted when the block ends normally.
   *
   * Limit: if the task's own signal was already aborted before a cancellation from elsewhere
   * arrives, that cancellation cannot be observed and this signal then follows only the
   * deadline. The signal is created on first read.
   *
   * @example
   * ```ts
   * await timeout(2).run(async (t) => await fetch(url, { signal: t.signal }));
   * ```
   *
   * Python parity: none (tsio addition: a task's own signal cannot be un-aborted)
   */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.expired()) this.#controller.abort(new CancelledError());
      else if (this.#state === 'active') this.#followTask();
    }
    return this.#controller.signal;
  }

  /**
   * Enters the timeout in the current task, runs `fn(this)`, and resolves to its result.
   * When the deadline passes, the task is cancelled; if the CancelledError that results
   * leaves `fn`, it becomes a `TimeoutError` (its `cause` is the CancelledError). Any other
   * outcome of `fn` (a value, another error, a cancellation requested from elsewhere) passes
   * through unchanged.
   *
   * @throws RuntimeError "Timeout has already been entered" on a second `run`; "Timeout
   *   should be used inside a task" outside a tsio task; "no running event loop" outside a
   *   loop. All arrive as rejections.
   * @throws TypeError if `fn` is not a function.
   * @throws TimeoutError when the deadline cancelled the block.
   *
   * @example
   * ```ts
   * const data = await timeout(1.5).run(async () => await reader.read(100));
   * ```
   *
   * Python parity: `async with asyncio.timeout(...)`
   */
  async run<T>(fn: (t: Timeout) => T | PromiseLike<T>): Promise<T> {
    if (typeof fn !== 'function') {
      throw new TypeError(`Timeout.run() expects a function, got ${describe(fn)}`);
    }
    this.#enter();
    let value: T;
    try {
      const result = fn(this);
      // A tsio future (`run(() => sleep(1))`) is awaited without the thenable protocol.
      value = isFuture(result) ? ((await _suspendOn(result)) as T) : await result;
    } catch (error) {
      throw this.#exit(true, error);
    }
    this.#exit(false, undefined);
    return value;
  }

  /** Python parity: `repr(timeout)` */
  toString(): string {
    if (this.#state !== 'active') return `<Timeout [${this.#state}]>`;
    const when = this.#when === null ? 'null' : String(Math.round(this.#when * 1000) / 1000);
    return `<Timeout [active] when=${when}>`;
  }

  /** @internal Called by the timer handle at the deadline. */
  _onTimeout(): void {
    this.#handle = null;
    if (this.#state !== 'active') return;
    this.#state = 'expiring';
    (this.#task as Task<unknown>).cancel();
    // Abort after the task's own signal (if it was fresh, we followed it and are done).
    if (this.#controller !== null && !this.#controller.signal.aborted) {
      this.#controller.abort(new CancelledError());
    }
  }

  #enter(): void {
    if (this.#state !== 'created') throw new RuntimeError('Timeout has already been entered');
    const task = currentTask();
    if (task === null) throw new RuntimeError('Timeout should be used inside a task');
    this.#state = 'active';
    this.#task = task;
    this.#cancelling = task.cancelling();
    if (this.#controller !== null) this.#followTask();
    this.reschedule(this.#when);
  }

  /** Leaves the timeout; returns the error to throw (`error` itself unless it converts it). */
  #exit(threw: boolean, error: unknown): unknown {
    this.#handle?.cancel();
    this.#handle = null;
    this.#unfollowTask();
    if (this.#state === 'expiring') {
      this.#state = 'expired';
      // Always withdraw our own request; convert only if no other one is left from inside.
      const left = (this.#task as Task<unknown>).uncancel();
      if (left <= this.#cancelling && threw && isCancelledError(error)) {
        return new TimeoutError('Timeout expired', { cause: error });
      }
    } else if (this.#state === 'active') {
      this.#state = 'finished';
    }
    return error;
  }

  /** Makes our signal abort when the task's signal aborts during the block. */
  #followTask(): void {
    const task = this.#task as Task<unknown>;
    const controller = this.#controller as AbortController;
    const taskSignal = task.signal;
    if (taskSignal.aborted) {
      // Aborted before: follow only if a cancellation has been requested since we entered.
      if (task.cancelling() > this.#cancelling) controller.abort(taskSignal.reason);
      return;
    }
    const listener = (): void => {
      if (!controller.signal.aborted) controller.abort(taskSignal.reason);
    };
    taskSignal.addEventListener('abort', listener, { once: true });
    this.#followed = taskSignal;
    this.#onTaskAbort = listener;
  }

  #unfollowTask(): void {
    if (this.#followed !== null && this.#onTaskAbort !== null) {
      this.#followed.removeEventListener('abort', this.#onTaskAbort);
    }
    this.#followed = null;
    this.#onTaskAbort = null;
  }
}

function onTimeout(t: Timeout): void {
  t._onTimeout();
}

/**
 * Returns a Timeout that expires `delay` seconds from now (loop time); `null` never expires,
 * and `0` or a negative delay expires on the next loop iteration. Enter it with `run`.
 *
 * @throws TypeError if `delay` is neither a number nor null, or is NaN.
 * @throws RuntimeError "no running event loop" outside a running loop.
 *
 * @example
 * ```ts
 * declare function longRunningTask(): Promise<string>;
 * const result = await timeout(10).run(async () => await longRunningTask());
 * ```
 *
 * Python parity: `asyncio.timeout`
 */
export function timeout(delay: number | null): Timeout {
  checkSecondsOrNull(delay, 'timeout()', 'a delay');
  const loop = getRunningLoop();
  return new Timeout(delay === null ? null : loop.time() + delay);
}

/**
 * Returns a Timeout that expires at loop time `when` (seconds, the clock of `loop.time()`,
 * not the wall clock); `null` never expires, and a time in the past expires on the next loop
 * iteration. Enter it with `run`.
 *
 * @throws TypeError if `when` is neither a number nor null, or is NaN.
 *
 * @example
 * ```ts
 * declare function longRunningTask(): Promise<string>;
 * const deadline = getRunningLoop().time() + 10;
 * await timeoutAt(deadline).run(async () => await longRunningTask());
 * ```
 *
 * Python parity: `asyncio.timeout_at`
 */
export function timeoutAt(when: number | null): Timeout {
  checkSecondsOrNull(when, 'timeoutAt()', 'a deadline');
  return new Timeout(when);
}
