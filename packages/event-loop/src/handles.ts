import {
  _contextFrame,
  _runInTaskFrame,
  _SELF_FRAMED_CONTEXT,
  _switchToFrame,
  copyContext,
  type ExecutionFrame,
} from '@tsio/core';
import type {
  AbstractEventLoop,
  Context,
  ExceptionContext,
  Handle as HandleContract,
  TimerHandle as TimerHandleContract,
} from '@tsio/core';
import { captureStack, firstFrameLocation, formatCallback } from './internal/format.js';

/** A callback as the handles store it: arguments are checked where the handle is created. */
type AnyCallback = (...args: never[]) => unknown;

/** What a TimerHandle tells its loop when it is cancelled while still in the loop's timer heap. */
interface TimerCancelListener {
  _timerHandleCancelled(handle: TimerHandle): void;
}

/**
 * A callback scheduled on a loop, with its arguments and the Context it runs in; returned by
 * `callSoon` and friends. Cancel it to keep the callback from running.
 *
 * When the callback throws, the error goes to the loop's exception handler with the message
 * `Exception in callback name()` and the keys `exception` and `handle` (plus
 * `sourceTraceback`, where the handle was created, in debug mode); the loop keeps running.
 *
 * Loops create handles; user code rarely constructs one.
 *
 * Python parity: `asyncio.Handle`
 */
export class Handle implements HandleContract {
  /** @internal The callback, or `null` once cancelled (to free what it holds). */
  _callback: AnyCallback | null;
  /** @internal The arguments, or `null` once cancelled. */
  _args: unknown[] | null;
  /** @internal */
  readonly _loop: AbstractEventLoop;
  /** @internal */
  readonly _context: Context;
  /** @internal */
  _cancelled = false;
  /** @internal Where the handle was created (debug mode), as stack lines, most recent first. */
  _sourceTraceback: string | null = null;
  /** @internal The representation saved at cancellation in debug mode. */
  _repr: string | null = null;

  /**
   * Creates a handle that will call `callback(...args)` in `context`.
   *
   * @param callback - the function to call
   * @param args - its arguments (the array is kept, not copied)
   * @param loop - the loop that will run it (its debug mode and exception handler are used)
   * @param context - the Context to run in; default: a copy of the current Context
   */
  constructor(
    callback: AnyCallback,
    args: unknown[],
    loop: AbstractEventLoop,
    context?: Context | null,
  ) {
    this._callback = callback;
    this._args = args;
    this._loop = loop;
    this._context = context ?? copyContext();
    if (loop.getDebug()) this._sourceTraceback = captureStack(new.target);
  }

  /**
   * Cancels the callback: it will not run. Does nothing if it already ran or was cancelled.
   * The callback and its arguments are released.
   *
   * Python parity: `Handle.cancel`
   */
  cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    // asyncio keeps the representation in debug mode, so that a later "Executing <Handle ...>"
    // warning can still name the callback.
    if (this._loop.getDebug()) this._repr = this.toString();
    this._callback = null;
    this._args = null;
  }

  /**
   * Tells whether the handle was cancelled.
   *
   * Python parity: `Handle.cancelled`
   */
  cancelled(): boolean {
    return this._cancelled;
  }

  /**
   * Returns the Context the callback runs in.
   *
   * Python parity: `Handle.get_context`
   */
  getContext(): Context {
    return this._context;
  }

  /**
   * The handle as asyncio shows it: `<Handle name()>`, with `cancelled` when cancelled, and
   * in debug mode the arguments and `created at file:line:column`.
   *
   * Python parity: `Handle.__repr__`
   */
  toString(): string {
    if (this._repr !== null) return this._repr;
    return `<${this._reprInfo().join(' ')}>`;
  }

  /** @internal The parts of the representation (subclasses insert their own). */
  _reprInfo(): string[] {
    const info = [this.constructor.name];
    if (this._cancelled) info.push('cancelled');
    if (this._callback !== null) {
      info.push(formatCallback(this._callback, this._args, this._loop.getDebug()));
    }
    if (this._sourceTraceback !== null) {
      const where = firstFrameLocation(this._sourceTraceback);
      if (where !== null) info.push(`created at ${where}`);
    }
    return info;
  }

  /**
   * @internal Runs the callback in the handle's Context, with no current task. An error
   * goes to the loop's exception handler; nothing escapes.
   */
  _run(): void {
    const callback = this._callback as (...args: unknown[]) => unknown;
    const args = this._args as unknown[];
    try {
      if (args.length === 0) _runInTaskFrame(this._context, null, callback);
      else _runInTaskFrame(this._context, null, callback, ...args);
    } catch (exception) {
      this._report(callback, args, exception);
    }
  }

  /**
   * @internal As `_run`, for the loop's batch: switches to the handle's frame (if it is not
   * the current one already) and leaves it current afterwards; the loop switches back to
   * `outer` once at the end of the batch. An error is reported from `outer`, as `_run` does.
   */
  _runSwitched(outer: ExecutionFrame | undefined): void {
    const callback = this._callback as (...args: unknown[]) => unknown;
    const args = this._args as unknown[];
    // A self-framed callback enters its own frame at once: switching first would be wasted.
    const context = this._context;
    if (context !== _SELF_FRAMED_CONTEXT) _switchToFrame(_contextFrame(context));
    try {
      // `this` is null, as AsyncLocalStorage.run calls it in `_run`.
      callback.apply(null, args);
    } catch (exception) {
      _switchToFrame(outer);
      this._report(callback, args, exception);
    }
  }

  /** @internal Sends an error thrown by the callback to the loop's exception handler. */
  _report(callback: (...args: unknown[]) => unknown, args: unknown[], exception: unknown): void {
    const context: ExceptionContext = {
      message: `Exception in callback ${formatCallback(callback, args, this._loop.getDebug())}`,
      exception,
      handle: this,
    };
    if (this._sourceTraceback !== null) context.sourceTraceback = this._sourceTraceback;
    this._loop.callExceptionHandler(context);
  }
}

/**
 * A callback scheduled at a loop time; returned by `callLater` and `callAt`.
 *
 * Cancelling it tells the loop, which drops cancelled timers lazily and rebuilds its timer heap
 * when they become the majority, so cancelled timers cost no memory in the long run.
 *
 * Python parity: `asyncio.TimerHandle`
 */
export class TimerHandle extends Handle implements TimerHandleContract {
  /** @internal The loop time (seconds) at which the callback is due. */
  readonly _when: number;
  /** @internal True while the handle is in the loop's timer heap. */
  _scheduled = false;
  /** @internal Insertion order, so that timers due at the same time run first in, first out. */
  _sequence = 0;

  /**
   * Creates a timer handle due at loop time `when` (seconds).
   *
   * @param when - the loop time at which to call `callback`
   * @param callback - the function to call
   * @param args - its arguments
   * @param loop - the loop that will run it
   * @param context - the Context to run in; default: a copy of the current Context
   */
  constructor(
    when: number,
    callback: AnyCallback,
    args: unknown[],
    loop: AbstractEventLoop,
    context?: Context | null,
  ) {
    super(callback, args, loop, context);
    this._when = when;
  }

  /**
   * Returns the loop time (seconds) at which the callback is scheduled.
   *
   * Python parity: `TimerHandle.when`
   */
  when(): number {
    return this._when;
  }

  /**
   * Cancels the callback, and tells the loop (which counts cancelled timers to know when to
   * rebuild its heap).
   *
   * Python parity: `TimerHandle.cancel`
   */
  override cancel(): void {
    if (this._cancelled) return;
    super.cancel();
    // After super.cancel(): the loop may rebuild its heap now, and must see this one cancelled.
    if (this._scheduled) (this._loop as Partial<TimerCancelListener>)._timerHandleCancelled?.(this);
  }

  /** @internal */
  override _reprInfo(): string[] {
    const info = super._reprInfo();
    info.splice(this._cancelled ? 2 : 1, 0, `when=${this._when}`);
    return info;
  }
}
