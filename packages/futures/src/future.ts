import {
  _captureFrame,
  _currentLoop,
  CancelledError,
  Context,
  copyContext,
  InvalidStateError,
  RuntimeError,
  type AbstractEventLoop,
  type AbstractFuture,
  type DoneCallback,
} from '@tsio/core';
import { noteRetrieved, watchException, type DebugReport } from './internal/debug-reports.js';
import { DELIVERY_CONTEXT } from './internal/delivery-context.js';
import { RareState } from './internal/rare-state.js';
import { makeResumption, type Resumption } from './internal/resumption.js';
import { currentWaitingTask, type WaitingTask } from './internal/waiting-task.js';

const PENDING = 0;
const CANCELLED = 1;
const FINISHED = 2;
type State = typeof PENDING | typeof CANCELLED | typeof FINISHED;
const STATE_NAMES = ['PENDING', 'CANCELLED', 'FINISHED'] as const;

/** Marks tsio futures so that `isFuture` recognises them across copies of this package. */
export const FUTURE_BRAND: unique symbol = Symbol.for('tsio.future') as never;

/** Options of `new Future(options)`. */
export interface FutureOptions {
  /** The loop the future belongs to (default: the running loop, else the policy's loop). */
  loop?: AbstractEventLoop;
}

type AnyDoneCallback = (future: Future<unknown>) => void;
/** @internal A done callback, or the `then` of an `await`. */
export type Callback = { fn: AnyDoneCallback; context: Context } | Resumption;

/**
 * A value that will be available later: the result of an operation, its error, or its
 * cancellation. Awaiting a Future inside a Task makes it that task's waiter, so cancelling
 * the task cancels the Future and the `await` throws CancelledError.
 *
 * Done callbacks and `await` resumptions run through `loop.callSoon`, never inline.
 *
 * @example
 * ```ts
 * const fut = new Future<number>();
 * loop.callLater(0.1, () => fut.setResult(42));
 * console.log(await fut); // 42
 * ```
 *
 * Python parity: `asyncio.Future`
 */
export class Future<T> implements AbstractFuture<T> {
  /** @internal */ _state: State = PENDING;
  /** @internal */ _result: T | undefined = undefined;
  /** @internal */ _exception: unknown = undefined;
  /**
   * @internal The callbacks in registration order: one is stored as is, several in an array
   * (most futures get at most one, and an array would cost 56 more bytes).
   */
  _callbacks: Callback | Callback[] | null = null;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal Cancellation and debug state, created on first use (see RareState). */
  _rare: RareState | null = null;

  /**
   * Creates a pending Future. In debug mode (`loop.setDebug(true)`) it records where it was
   * created, and an exception nobody retrieves (with `result()`, `exception()`, `await`, a
   * `then` handler or `cancel()`) is reported through the loop's exception handler as
   * "Future exception was never retrieved" once the future is garbage-collected.
   *
   * @throws RuntimeError "no running event loop" when no loop is given, none is running, and
   *   no policy provides one.
   */
  constructor(options: FutureOptions = {}) {
    const loop = options.loop ?? _currentLoop();
    this._loop = loop;
    if (loop.getDebug()) this._rareState().sourceTraceback = creationStack(new.target);
  }

  /** @internal The message of the cancellation. */
  get _cancelMessage(): string | undefined {
    return this._rare === null ? undefined : this._rare.cancelMessage;
  }

  /** @internal */
  set _cancelMessage(msg: string | undefined) {
    if (msg !== undefined || this._rare !== null) this._rareState().cancelMessage = msg;
  }

  /** @internal The CancelledError that ended a Task, kept so result() rethrows it. */
  get _cancelledError(): CancelledError | null {
    return this._rare === null ? null : this._rare.cancelledError;
  }

  /** @internal */
  set _cancelledError(error: CancelledError | null) {
    if (error !== null || this._rare !== null) this._rareState().cancelledError = error;
  }

  /** @internal Where the future was created, one frame a line (debug mode only). */
  get _sourceTraceback(): string | undefined {
    return this._rare === null ? undefined : this._rare.sourceTraceback;
  }

  /** @internal What the debug reports need once the future is collected (debug mode only). */
  get _report(): DebugReport | null {
    return this._rare === null ? null : this._rare.report;
  }

  /** @internal */
  set _report(report: DebugReport | null) {
    if (report !== null || this._rare !== null) this._rareState().report = report;
  }

  /** @internal */
  _rareState(): RareState {
    return (this._rare ??= new RareState());
  }

  /**
   * Returns the result. Throws the future's exception if it has one, and a CancelledError if
   * it was cancelled.
   *
   * @throws InvalidStateError "Result is not set." while pending.
   *
   * Python parity: `Future.result`
   */
  result(): T {
    if (this._state === FINISHED) {
      if (this._report !== null) noteRetrieved(this._report);
      if (this._exception !== undefined) throw this._exception;
      return this._result as T;
    }
    if (this._state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError('Result is not set.');
  }

  /**
   * Returns the exception the future was completed with, or `null` if it has a result.
   *
   * @throws CancelledError if cancelled; InvalidStateError "Exception is not set." while pending.
   *
   * Python parity: `Future.exception`
   */
  exception(): unknown {
    if (this._state === FINISHED) {
      if (this._report !== null) noteRetrieved(this._report);
      return this._exception === undefined ? null : this._exception;
    }
    if (this._state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError('Exception is not set.');
  }

  /** True when the future has a result, an exception, or was cancelled. Python parity: `Future.done` */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** True when the future was cancelled. Python parity: `Future.cancelled` */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * Cancels the future and schedules its callbacks. Returns false if it was already done.
   *
   * Python parity: `Future.cancel`
   */
  cancel(msg?: string): boolean {
    // asyncio: cancelling a failed future counts as retrieving its exception.
    if (this._report !== null) noteRetrieved(this._report);
    if (this._state !== PENDING) return false;
    this._cancelWith(msg);
    return true;
  }

  /**
   * Marks the future done with `value` and schedules its callbacks.
   *
   * @throws InvalidStateError if the future is already done.
   *
   * Python parity: `Future.set_result`
   */
  setResult(value: T): void {
    this._checkPending();
    this._resolveWith(value);
  }

  /**
   * Marks the future done with `error` and schedules its callbacks. An error class is
   * instantiated, as asyncio does.
   *
   * @throws InvalidStateError if the future is already done.
   * @throws TypeError if `error` is `undefined` (nothing to throw later).
   *
   * Python parity: `Future.set_exception`
   */
  setException(error: unknown): void {
    this._checkPending();
    if (error === undefined) {
      throw new TypeError('setException() needs an error to store, got undefined');
    }
    if (typeof error === 'function' && error.prototype instanceof Error) {
      error = new (error as new () => Error)();
    }
    this._rejectWith(error);
  }

  /**
   * Calls `callback(future)` through the loop once the future is done (at once, through the
   * loop, if it is done already), in `options.context` or a copy of the current Context.
   * A done callback never makes the future a task's waiter.
   *
   * Python parity: `Future.add_done_callback`
   */
  addDoneCallback(callback: DoneCallback<this>, options: { context?: Context } = {}): void {
    if (typeof callback !== 'function') {
      throw new TypeError(`addDoneCallback() expects a function, got ${typeof callback}`);
    }
    const context = options.context ?? copyContext();
    if (this._state !== PENDING) {
      this._loop.callSoonWithContext(context, callback, this);
      return;
    }
    this._addCallback({ fn: callback as unknown as AnyDoneCallback, context });
  }

  /**
   * Removes every registration of `callback`; returns how many were removed.
   *
   * Python parity: `Future.remove_done_callback`
   */
  removeDoneCallback(callback: DoneCallback<this>): number {
    const callbacks = this._callbacks;
    if (callbacks === null) return 0;
    const all = Array.isArray(callbacks) ? callbacks : [callbacks];
    const target = callback as unknown as AnyDoneCallback;
    const kept = all.filter((c) => !('fn' in c) || c.fn !== target);
    const removed = all.length - kept.length;
    if (removed > 0) this._callbacks = kept.length > 1 ? kept : (kept[0] ?? null);
    return removed;
  }

  /** The loop the future belongs to. Python parity: `Future.get_loop` */
  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  /**
   * Makes the future awaitable. Called inside a Task (as `await` does), it records the future
   * as one of the task's waiters, so cancelling the task cancels the future. The handlers run
   * through the loop once the future is done, in the caller's context.
   *
   * Python parity: `Future.__await__`
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const task = currentWaitingTask();
    const misuse = task === null ? null : this._checkAwaitedBy(task);
    if (misuse !== null) {
      // `await` ignores what `then` returns: the error must go through the handlers.
      const [promise, resumption] = makeResumption(null, _captureFrame(), onFulfilled, onRejected);
      queueMicrotask(() => resumption.deliver(null, false, misuse, false, false));
      return promise;
    }
    const pending = this._state === PENDING;
    // A cancellation requested before this `then` ran (the engine calls `then` one microtask
    // after `await`, and a loop iteration can run in that gap) is delivered here, as if the
    // task had been suspended on this future when it was cancelled. asyncio, where no
    // callback can run between a coroutine's step and its suspension, leaves a done future's
    // result alone; see docs/python-differences.md, item 7.
    const cancelPending = !pending && task !== null && task._mustCancel;
    const [promise, resumption] = makeResumption(
      pending || cancelPending ? task : null,
      _captureFrame(),
      onFulfilled,
      onRejected,
    );
    if (!pending) {
      // Awaiting a done future does not suspend the task in asyncio: resume in a microtask.
      queueMicrotask(() => this._deliver(resumption, false, cancelPending, false));
      return promise;
    }
    this._addCallback(resumption);
    if (task !== null) {
      task._addWaiter(this);
      // asyncio cancels a new waiter at once when the task has a pending cancellation.
      if (task._mustCancel && this.cancel(task._cancelMessage)) task._mustCancel = false;
    }
    return promise;
  }

  /** Attaches a rejection handler. Python parity: none (JavaScript promise protocol) */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  /** Attaches a handler run on completion either way. Python parity: none (JavaScript promise protocol) */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then(
      (value) => {
        onFinally?.();
        return value;
      },
      (reason: unknown) => {
        onFinally?.();
        throw reason;
      },
    );
  }

  /** Python parity: `repr(future)` */
  toString(): string {
    return `<${this.constructor.name} ${this._describeState()}>`;
  }

  /** @internal The state part of `toString()`. */
  _describeState(): string {
    if (this._state === PENDING) return 'pending';
    if (this._state === CANCELLED) return 'cancelled';
    if (this._exception !== undefined)
      return `finished exception=${describeValue(this._exception)}`;
    return `finished result=${describeValue(this._result)}`;
  }

  /** @internal The error awaiting this future from `task` is (asyncio's checks in `__step`), or null. */
  _checkAwaitedBy(task: WaitingTask): RuntimeError | null {
    if ((task as unknown) === this) {
      return new RuntimeError(`Task cannot await on itself: ${String(this)}`);
    }
    if (task.getLoop() !== this._loop) {
      return new RuntimeError(
        `Task ${String(task)} got Future ${String(this)} attached to a different loop`,
      );
    }
    return null;
  }

  /** @internal The CancelledError to throw for a cancelled future. */
  _makeCancelledError(): CancelledError {
    return this._cancelledError ?? new CancelledError(this._cancelMessage);
  }

  /** @internal */
  _checkPending(): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${String(this)}`);
    }
  }

  /** @internal Completes a pending future with a result (no state check). */
  _resolveWith(value: T): void {
    this._result = value;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /** @internal Completes a pending future with an error (no state check). */
  _rejectWith(error: unknown): void {
    this._exception = error;
    this._state = FINISHED;
    if (this._report !== null || this._loop.getDebug()) {
      this._report = watchException(this, this._report, error);
    }
    this._scheduleCallbacks();
  }

  /** @internal Cancels a pending future (no state check). */
  _cancelWith(msg: string | undefined): void {
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._scheduleCallbacks();
  }

  /** @internal Adds a callback after the others. */
  _addCallback(callback: Callback): void {
    const callbacks = this._callbacks;
    if (callbacks === null) this._callbacks = callback;
    else if (Array.isArray(callbacks)) callbacks.push(callback);
    else this._callbacks = [callbacks, callback];
  }

  /** @internal Schedules every callback through the loop, in registration order. */
  _scheduleCallbacks(): void {
    const callbacks = this._callbacks;
    if (callbacks === null) return;
    this._callbacks = null;
    if (!Array.isArray(callbacks)) {
      this._scheduleCallback(callbacks);
      return;
    }
    for (const callback of callbacks) this._scheduleCallback(callback);
  }

  /** @internal */
  _scheduleCallback(callback: Callback): void {
    const self = this as Future<unknown>;
    if ('fn' in callback) this._loop.callSoonWithContext(callback.context, callback.fn, self);
    else this._loop.callSoonWithContext(DELIVERY_CONTEXT, deliverResumption, self, callback);
  }

  /**
   * @internal Settles `resumption` with this future's outcome. `waited`: the task waited on
   * this future (it stops being its waiter); `check`: apply a pending cancellation.
   */
  _deliver(resumption: Resumption, waited: boolean, check: boolean, fromHandle: boolean): void {
    const waiter = waited ? this : null;
    if (this._state === FINISHED) {
      if (this._exception === undefined) {
        resumption.deliver(waiter, true, this._result, check, fromHandle);
        return;
      }
      if (this._report !== null) noteRetrieved(this._report); // asyncio's `__await__`
      resumption.deliver(waiter, false, this._exception, check, fromHandle);
    } else {
      resumption.deliver(waiter, false, this._makeCancelledError(), check, fromHandle);
    }
  }
}

(Future.prototype as unknown as Record<symbol, boolean>)[FUTURE_BRAND] = true;

function deliverResumption(future: Future<unknown>, resumption: Resumption): void {
  future._deliver(resumption, true, true, true);
}

/** The stack of the code that called `new below(...)`, without the "Error" line. */
function creationStack(below: NewableFunction): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, below);
  const stack = holder.stack ?? '';
  const firstNewline = stack.indexOf('\n');
  return firstNewline === -1 ? '' : stack.slice(firstNewline + 1);
}

function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}(${JSON.stringify(value.message)})`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name}`;
  if (value !== null && typeof value === 'object') return `[object ${value.constructor?.name}]`;
  return String(value);
}
