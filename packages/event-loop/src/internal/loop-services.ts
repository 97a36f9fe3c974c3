import { _currentTaskOrNull, _runInTaskFrame, RuntimeError } from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  Context,
  ExceptionContext,
  ExceptionHandler,
  Executor,
  ExecutorJob,
} from '@tsio/core';
import { Handle } from '../handles.js';
import type { TimerHandle } from '../handles.js';
import { checkCallback, describeValue } from './checks.js';
import { formatExceptionContext } from './exception-report.js';
import { executorFuture } from './executor-future.js';
import { checkSignal, SignalHandlers } from './signal-handlers.js';
import { UnimplementedIo } from './unimplemented-io.js';
import { WorkerPoolExecutor } from '../worker-pool-executor.js';

/** Logs an error from the error-reporting path itself; never throws. */
function logLastResort(message: string, error: unknown): void {
  try {
    console.error(message, error);
  } catch {
    // Nothing is left to report to.
  }
}

/** Something that has a Context: a Task or a Handle (a plain Future has none). */
function contextOf(thing: unknown): Context | null {
  if (thing === null || typeof thing !== 'object') return null;
  const getContext = (thing as { getContext?: unknown }).getContext;
  if (typeof getContext !== 'function') return null;
  const context: unknown = getContext.call(thing);
  return context !== null && typeof context === 'object' ? (context as Context) : null;
}

/**
 * The services of `BaseEventLoop` around scheduling: the exception handler, debug mode,
 * executors and signal handlers. `BaseEventLoop` extends this class; it is split off only to
 * keep each file about one idea. The methods are documented here and public on every loop.
 */
export abstract class LoopServices extends UnimplementedIo {
  /**
   * In debug mode, a callback that runs this long (seconds) or longer is logged with
   * console.warn: `Executing <Handle name()> took 0.123 seconds`.
   *
   * Python parity: `loop.slow_callback_duration`
   */
  slowCallbackDuration = 0.1;

  /** @internal Debug mode; read on hot paths. */
  protected _debug = (process.env['TSIO_DEBUG'] ?? '') !== '';
  /** @internal The handle being run in debug mode (its creation stack goes into reports). */
  protected _currentHandle: Handle | null = null;
  /** @internal Set by close() and shutdownDefaultExecutor(). */
  protected _executorShutdownCalled = false;
  /** @internal */
  protected _defaultExecutor: Executor | null = null;
  /** @internal */
  protected readonly _signals = new SignalHandlers((handle) => this._addReady(handle));
  #exceptionHandler: ExceptionHandler | null = null;

  /** @internal Throws RuntimeError "Event loop is closed" on a closed loop. */
  protected abstract _checkClosed(): void;
  /** @internal Appends a handle to the ready queue and wakes the loop. */
  protected abstract _addReady(handle: Handle): void;
  /** @internal See BaseEventLoop.callLater. */
  abstract callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;

  // ---------------------------------------------------------------- errors

  /**
   * Sets the function that receives errors nobody else handles (`(loop, context) => void`),
   * or restores the default with `null`. It runs in the Context of the task or handle
   * involved, if any.
   *
   * @throws TypeError if `handler` is neither a function nor null.
   *
   * Python parity: `loop.set_exception_handler`
   */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') {
      throw new TypeError(`A callable object or null is expected, got ${describeValue(handler)}`);
    }
    this.#exceptionHandler = handler;
  }

  /**
   * Returns the exception handler set with `setExceptionHandler`, or `null`.
   *
   * Python parity: `loop.get_exception_handler`
   */
  getExceptionHandler(): ExceptionHandler | null {
    return this.#exceptionHandler;
  }

  /**
   * Logs `context` with console.error: the message, each other key as `key: value` (sorted),
   * and the exception with its stack. In debug mode, adds where the running handle was
   * created. Subclasses may override it; a custom handler may call it.
   *
   * Python parity: `loop.default_exception_handler`
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    const handleTraceback = this._currentHandle?._sourceTraceback ?? null;
    console.error(formatExceptionContext(context, handleTraceback));
  }

  /**
   * Reports an error: calls the custom exception handler (in the Context of the task, future
   * or handle of `context`, if any), else the default one. Never throws: an error thrown by a
   * custom handler is reported by the default one as 'Unhandled error in exception handler',
   * and one thrown by the default handler is logged.
   *
   * Python parity: `loop.call_exception_handler`
   */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this.#exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (error) {
        logLastResort('Exception in default exception handler', error);
      }
      return;
    }
    const loop = this as unknown as AbstractEventLoop;
    try {
      const ctx = contextOf(context.task) ?? contextOf(context.future) ?? contextOf(context.handle);
      if (ctx === null) handler(loop, context);
      else _runInTaskFrame(ctx, _currentTaskOrNull(), handler, loop, context);
    } catch (exception) {
      try {
        this.defaultExceptionHandler({
          message: 'Unhandled error in exception handler',
          exception,
          context,
        });
      } catch (error) {
        logLastResort(
          'Exception in default exception handler while handling an unexpected error in custom exception handler',
          error,
        );
      }
    }
  }

  // ---------------------------------------------------------------- debug mode

  /**
   * Tells whether debug mode is on (initially when the `TSIO_DEBUG` environment variable is
   * not empty).
   *
   * Python parity: `loop.get_debug`
   */
  getDebug(): boolean {
    return this._debug;
  }

  /**
   * Turns debug mode on or off. In debug mode handles record where they were created, error
   * reports show it, slow callbacks are logged, and async functions given to `callSoon` and
   * friends are rejected.
   *
   * Python parity: `loop.set_debug`
   */
  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  // ---------------------------------------------------------------- executors

  /**
   * Runs `job(...args)` in `executor` and returns a Future of its result. With `null`, uses
   * the default executor: the one set with `setDefaultExecutor`, else a `WorkerPoolExecutor`
   * created on first use (asyncio creates a ThreadPoolExecutor the same way), whose jobs are
   * `{ module, exportName }` since a worker thread cannot receive a function.
   *
   * Cancelling the Future cancels the job when the executor's promise has a `cancel()` method
   * (`WorkerPoolExecutor`'s do: a queued job is dropped, a running one sees `this.signal`
   * abort); a promise that rejects with CancelledError cancels the Future.
   *
   * @throws RuntimeError "Event loop is closed", or "Executor shutdown has been called" for
   *   the default executor after `shutdownDefaultExecutor()`.
   * @throws TypeError if `job` is neither a function nor a `{ module, exportName }` job, or is
   *   a function for the worker-thread default executor (the message shows the fix).
   *
   * Python parity: `loop.run_in_executor`
   *
   * @example
   * ```ts
   * // jobs.ts: export function fib(this: WorkerJobThis, n: number): number { ... }
   * const job = { module: new URL('./jobs.js', import.meta.url), exportName: 'fib' };
   * const result = await loop.runInExecutor(null, job, 30);
   * ```
   */
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    job: ExecutorJob<A, R>,
    ...args: A
  ): AbstractFuture<R> {
    this._checkClosed();
    if (typeof job !== 'function' && (job === null || typeof job !== 'object')) {
      throw new TypeError(
        `runInExecutor() expects a function or a { module, exportName } job, got ${describeValue(job)}`,
      );
    }
    let target = executor;
    if (target === null) {
      if (this._executorShutdownCalled) throw new RuntimeError('Executor shutdown has been called');
      target = this._defaultExecutor ??= new WorkerPoolExecutor();
    }
    return executorFuture(target.submit(job, ...args), this as unknown as AbstractEventLoop);
  }

  /**
   * Sets the executor `runInExecutor(null, …)` uses.
   *
   * @throws TypeError if `executor` lacks `submit` or `shutdown`.
   *
   * Python parity: `loop.set_default_executor`
   */
  setDefaultExecutor(executor: Executor): void {
    const candidate = executor as Partial<Executor> | null;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      typeof candidate.submit !== 'function' ||
      typeof candidate.shutdown !== 'function'
    ) {
      throw new TypeError(
        `executor must implement submit() and shutdown(), got ${describeValue(executor)}`,
      );
    }
    this._defaultExecutor = executor;
  }

  /**
   * Shuts down the default executor (set with `setDefaultExecutor`, or the worker pool
   * `runInExecutor(null, …)` created) and waits for its jobs, at most `timeout` seconds of
   * loop time (then emits a RuntimeWarning and shuts it down without waiting). Resolves at
   * once when there is none. Afterwards `runInExecutor(null, …)` throws.
   *
   * Python parity: `loop.shutdown_default_executor`
   */
  async shutdownDefaultExecutor(timeout: number | null = null): Promise<void> {
    this._executorShutdownCalled = true;
    const executor = this._defaultExecutor;
    if (executor === null) return;
    const finished = Promise.resolve(executor.shutdown({ wait: true })).then(() => true);
    if (timeout === null) {
      await finished;
      return;
    }
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = this.callLater(timeout, resolve, false);
    });
    const inTime = await Promise.race([finished, timedOut]);
    timer?.cancel();
    if (!inTime) {
      process.emitWarning(
        `The executor did not finish joining its jobs within ${timeout} seconds.`,
        'RuntimeWarning',
      );
      Promise.resolve(executor.shutdown({ wait: false })).then(undefined, () => undefined);
    }
  }

  // ---------------------------------------------------------------- signals

  /**
   * Calls `callback(...args)` through the loop (as with `callSoon`) each time the process
   * receives `signal`. Replaces a previous handler of the same signal on this loop. While
   * installed, Node's default action for the signal (e.g. exiting on SIGINT) does not happen.
   *
   * @throws TypeError for a non-function callback or a non-string signal.
   * @throws ValueError for an unknown signal name.
   * @throws RuntimeError for SIGKILL/SIGSTOP ("cannot be caught"), or "Event loop is closed".
   *
   * Python parity: `loop.add_signal_handler`
   */
  addSignalHandler<A extends unknown[]>(
    signal: NodeJS.Signals,
    callback: (...args: A) => unknown,
    ...args: A
  ): void {
    checkCallback(callback, 'addSignalHandler');
    checkSignal(signal);
    this._checkClosed();
    const handle = new Handle(
      callback as (...args: never[]) => unknown,
      args,
      this as unknown as AbstractEventLoop,
    );
    this._signals.add(signal, handle);
  }

  /**
   * Removes the handler of `signal`; returns true if there was one.
   *
   * @throws TypeError for a non-string signal; ValueError for an unknown signal name.
   *
   * Python parity: `loop.remove_signal_handler`
   */
  removeSignalHandler(signal: NodeJS.Signals): boolean {
    checkSignal(signal);
    return this._signals.remove(signal);
  }
}
