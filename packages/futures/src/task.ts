import {
  _currentLoop,
  _registerTask,
  _enterFrameFromHandle,
  _runInTaskFrame,
  _SELF_FRAMED_CONTEXT,
  _taskFrame,
  _unregisterTask,
  CancelledError,
  copyContext,
  isCancelledError,
  RuntimeError,
  type AbstractEventLoop,
  type AbstractTask,
  type Context,
  type Coro,
} from '@tsio/core';
import { Future } from './future.js';
import { checkCoro } from './internal/check-coro.js';
import { noteFinished, noteRetrieved, watchTask } from './internal/debug-reports.js';
import { describe, isThenable } from './internal/describe.js';
import { followCoroutine } from './internal/follow-coroutine.js';
import type { CancellableWaiter, WaitingTask } from './internal/waiting-task.js';

/** Options of `new Task(coro, options)`; `createTask` and `loop.createTask` take the same minus `loop`. */
export interface TaskConstructorOptions {
  /** The loop to run on (default: the running loop, else the policy's loop). */
  loop?: AbstractEventLoop;
  /** The task's name (default `Task-<n>`). */
  name?: string;
  /** The Context to run in (default: a copy of the current Context). */
  context?: Context;
  /** Start the coroutine synchronously in the constructor when the loop is running. */
  eagerStart?: boolean;
}

let taskCounter = 0;

// The bits of `Task._flags`.
const MUST_CANCEL = 1;
const STARTED = 2;
const FLAG_BITS = MUST_CANCEL | STARTED;
const COUNT_UNIT = 4;

/**
 * A Future that runs a coroutine function: the unit of concurrency. The function starts on
 * the next loop iteration (or at once with `eagerStart`), runs in its own copy of the
 * creator's Context, and receives an AbortSignal.
 *
 * `cancel(msg)` throws CancelledError into the coroutine at the `await` of the tsio Future or
 * Task it is waiting on; a coroutine awaiting a native promise gets it at its next tsio
 * `await`, and its AbortSignal is aborted at once (reason: the CancelledError) so native APIs
 * can stop too. A coroutine that returns while a cancellation is pending ends cancelled.
 *
 * Create tasks with `createTask(coro, options)` or `loop.createTask(coro, options)`.
 *
 * In debug mode (`loop.setDebug(true)`, or the `TSIO_DEBUG` environment variable), a task
 * records where it was created, and the loop's exception handler is told, once the task is
 * garbage-collected, if its exception was never retrieved ("Task exception was never
 * retrieved") or if it never finished ("Task was destroyed but it is pending!"). The context
 * then has `taskName` and `sourceTraceback` instead of `task` (the task is gone).
 *
 * Python parity: `asyncio.Task`
 */
export class Task<T> extends Future<T> implements AbstractTask<T>, WaitingTask {
  /**
   * @internal `_mustCancel` (bit 0), `_started` (bit 1) and `_numCancelsRequested` (above
   * them) in one field: 16 bytes less per task than three.
   */
  _flags = 0;
  /** @internal */ _waiter: CancellableWaiter | null = null;
  readonly #coro: Coro<T>;
  readonly #context: Context;
  /** The name, or the number of an automatic name `Task-<n>`, made into text when first read. */
  #name: string | number;

  /**
   * Wraps `coro` in a Task and schedules it.
   *
   * @throws TypeError if `coro` is not a function (a started promise cannot be cancelled: the
   *   message shows how to pass a function instead).
   */
  constructor(coro: Coro<T>, options: TaskConstructorOptions = {}) {
    checkCoro<T>(coro, 'Task()');
    const loop = options.loop ?? _currentLoop();
    super({ loop });
    this.#coro = coro;
    this.#context = options.context ?? copyContext();
    this.#name = options.name === undefined ? ++taskCounter : String(options.name);
    if (this._sourceTraceback === undefined) {
      _registerTask(loop, this);
    } else {
      // Debug mode: registered weakly, so that a pending task nothing references can be
      // collected and reported ("Task was destroyed but it is pending!").
      _registerTask(loop, this, true);
      this._report = watchTask(this, this.getName());
    }
    if (options.eagerStart === true && loop.isRunning()) this._start();
    // The start handle enters the task's frame itself (`_start(true)`).
    else loop.callSoonWithContext(_SELF_FRAMED_CONTEXT, startTask, this as Task<unknown>);
  }

  /** @internal A cancellation was requested while the task had no waiter to cancel. */
  get _mustCancel(): boolean {
    return (this._flags & MUST_CANCEL) !== 0;
  }

  /** @internal */
  set _mustCancel(value: boolean) {
    this._flags = value ? this._flags | MUST_CANCEL : this._flags & ~MUST_CANCEL;
  }

  /** @internal The first step ran (or was skipped). */
  get _started(): boolean {
    return (this._flags & STARTED) !== 0;
  }

  /** @internal */
  set _started(value: boolean) {
    this._flags = value ? this._flags | STARTED : this._flags & ~STARTED;
  }

  /** @internal The cancellation requests not yet withdrawn. */
  get _numCancelsRequested(): number {
    return (this._flags - (this._flags & FLAG_BITS)) / COUNT_UNIT;
  }

  /** @internal */
  set _numCancelsRequested(count: number) {
    this._flags = (this._flags & FLAG_BITS) + count * COUNT_UNIT;
  }

  /** The coroutine function the task runs. Python parity: `Task.get_coro` */
  getCoro(): Coro<T> {
    return this.#coro;
  }

  /** The task's name. Python parity: `Task.get_name` */
  getName(): string {
    const name = this.#name;
    if (typeof name === 'string') return name;
    return (this.#name = `Task-${name}`);
  }

  /** Renames the task. Python parity: `Task.set_name` */
  setName(name: unknown): void {
    this.#name = String(name);
    if (this._report !== null) this._report.taskName = this.#name;
  }

  /** The Context the task runs in. Python parity: `Task.get_context` */
  getContext(): Context {
    return this.#context;
  }

  /**
   * Where the task was created, as stack lines (debug mode only; empty otherwise). JavaScript
   * cannot walk a suspended async function's frames.
   *
   * Python parity: `Task.get_stack` (returns the creation stack, not the suspended frames)
   */
  getStack(): string[] {
    if (this._sourceTraceback === undefined) return [];
    return this._sourceTraceback
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  /**
   * Aborted, with the CancelledError as reason, when the task is cancelled; pass it to native
   * APIs (`fetch(url, { signal })`). Once aborted it stays aborted, even if the task survives
   * the cancellation with `uncancel()`.
   */
  get signal(): AbortSignal {
    const rare = this._rareState();
    if (rare.abortController === null) {
      rare.abortController = new AbortController();
      if (rare.abortReason !== null) rare.abortController.abort(rare.abortReason);
    }
    return rare.abortController.signal;
  }

  /**
   * Requests cancellation: the coroutine gets a CancelledError at the `await` it is blocked
   * on (or at its next tsio `await`), and the task's signal is aborted. Returns false if the
   * task is already done.
   *
   * Python parity: `Task.cancel`
   */
  override cancel(msg?: string): boolean {
    // asyncio: cancelling a failed task counts as retrieving its exception.
    if (this._report !== null) noteRetrieved(this._report);
    if (this.done()) return false;
    this._numCancelsRequested += 1;
    this._abort(msg);
    let delivered = false;
    const first = this._waiter;
    if (first !== null && first.cancel(msg)) delivered = true;
    const more = this._rare?.moreWaiters ?? null;
    if (more !== null) {
      for (const waiter of [...more]) if (waiter.cancel(msg)) delivered = true;
    }
    if (!delivered) {
      this._mustCancel = true;
      this._cancelMessage = msg;
    }
    return true;
  }

  /**
   * The number of cancellation requests not yet withdrawn with `uncancel()`.
   *
   * Python parity: `Task.cancelling`
   */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /**
   * Withdraws one cancellation request and returns the number left; at zero, a cancellation
   * that has not been delivered yet is dropped. Used by structured concurrency (TaskGroup,
   * timeout) when it has handled its own cancellation.
   *
   * Python parity: `Task.uncancel`
   */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested -= 1;
      if (this._numCancelsRequested === 0) this._mustCancel = false;
    }
    return this._numCancelsRequested;
  }

  /** @throws RuntimeError: a Task's result comes from its coroutine. Python parity: `Task.set_result` */
  override setResult(_value: T): never {
    throw new RuntimeError('Task does not support set_result operation');
  }

  /** @throws RuntimeError: a Task's exception comes from its coroutine. Python parity: `Task.set_exception` */
  override setException(_error: unknown): never {
    throw new RuntimeError('Task does not support set_exception operation');
  }

  /** Python parity: `repr(task)` */
  override toString(): string {
    let state = this._describeState();
    if (!this.done() && this._numCancelsRequested > 0) state = 'cancelling';
    return `<Task ${state} name='${this.getName()}' coro=<${this.#coro.name || 'anonymous'}>>`;
  }

  /**
   * @internal Asks not to report the task if it is collected while pending (asyncio's
   * `_log_destroy_pending = False`, which gather sets on the tasks it creates itself).
   */
  _disableDestroyPendingReport(): void {
    if (this._report !== null) noteFinished(this._report);
  }

  /** @internal */
  _addWaiter(waiter: CancellableWaiter): void {
    if (this._waiter === null) this._waiter = waiter;
    else if (this._waiter !== waiter) (this._rareState().moreWaiters ??= new Set()).add(waiter);
  }

  /** @internal */
  _removeWaiter(waiter: CancellableWaiter): void {
    if (this._waiter === waiter) this._waiter = null;
    else this._rare?.moreWaiters?.delete(waiter);
  }

  /** @internal */
  _takePendingCancellation(): CancelledError {
    this._mustCancel = false;
    return new CancelledError(this._cancelMessage);
  }

  /** @internal Aborts the signal (now if it exists, else when first read). */
  _abort(msg: string | undefined): void {
    if (this._rare !== null && this._rare.abortReason !== null) return;
    const rare = this._rareState();
    rare.abortReason = new CancelledError(msg);
    rare.abortController?.abort(rare.abortReason);
  }

  /**
   * @internal The first step: runs the coroutine function as this task. `fromHandle`: called
   * at the top of the start handle's callback (see `_enterFrameFromHandle`), not eagerly.
   */
  _start(fromHandle = false): void {
    if (this._started || this.done()) return;
    this._started = true;
    if (this._mustCancel) {
      // Cancelled before it started: the coroutine never runs, as in asyncio.
      this._finishCancelled(this._takePendingCancellation());
      return;
    }
    const signal = this.#coro.length > 0 ? this.signal : (undefined as unknown as AbortSignal);
    try {
      // In the task's frame, so that a tsio awaitable returned directly by the function
      // (`createTask(() => sleep(1))`) becomes the task's waiter, as if it were awaited.
      if (fromHandle) {
        const frame = _taskFrame(this.#context, this);
        _enterFrameFromHandle(frame, runCoroutine, this, this.#coro, signal);
      } else {
        _runInTaskFrame(this.#context, this, runCoroutine, this, this.#coro, signal);
      }
    } catch (error) {
      this._finishWithError(error);
    }
  }

  /**
   * @internal The coroutine settled (in a promise reaction, outside the loop). If the loop
   * was closed meanwhile, scheduling the done callbacks fails: report it rather than leave an
   * unhandled rejection that would end the process.
   */
  _settleFromCoroutine(ok: boolean, outcome: unknown): void {
    try {
      if (ok) this._finishWithValue(outcome as T);
      else this._finishWithError(outcome);
    } catch (error) {
      this._loop.callExceptionHandler({
        message: `${String(this)} finished after its event loop was closed`,
        exception: error,
        task: this,
      });
    }
  }

  /** @internal The coroutine returned. */
  _finishWithValue(value: T): void {
    if (this.done()) return;
    if (this._mustCancel) {
      // The coroutine returned while a cancellation was pending: the task ends cancelled.
      this._finishCancelled(this._takePendingCancellation());
      return;
    }
    this._clearWaiters();
    this._resolveWith(value);
  }

  /** @internal The coroutine threw. */
  _finishWithError(error: unknown): void {
    if (this.done()) return;
    if (isCancelledError(error)) {
      this._finishCancelled(error);
      return;
    }
    this._clearWaiters();
    this._rejectWith(
      error === undefined ? new TypeError('the task function threw undefined') : error,
    );
  }

  /** @internal */
  _finishCancelled(error: CancelledError): void {
    this._clearWaiters();
    this._cancelledError = error;
    this._mustCancel = false;
    this._cancelWith(error.message === '' ? undefined : error.message);
  }

  /** @internal */
  _clearWaiters(): void {
    this._waiter = null;
    if (this._rare !== null) this._rare.moreWaiters = null;
    _unregisterTask(this._loop, this);
    if (this._report !== null) noteFinished(this._report);
  }
}

function startTask(task: Task<unknown>): void {
  task._start(true);
}

/** Calls the task function and follows the promise it returns (runs in the task's frame). */
function runCoroutine<T>(task: Task<T>, coro: Coro<T>, signal: AbortSignal): void {
  const promise: unknown = coro(signal);
  if (!isThenable(promise)) {
    task._finishWithError(
      new TypeError(
        `the task function ${coro.name || '(anonymous)'} returned ${describe(promise)}, ` +
          `not a promise: declare it async`,
      ),
    );
    return;
  }
  followCoroutine(task, promise);
}
