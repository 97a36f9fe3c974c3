import {
  _captureFrame,
  _getRunningLoop,
  _setFramesRestoredByLoop,
  _setRunningLoop,
  _switchToFrame,
  RuntimeError,
} from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  AbstractTask,
  Coro,
  ExecutionFrame,
  TaskFactory,
  TaskOptions,
} from '@tsio/core';
import { ensureFuture, Future, isFuture, Task } from '@tsio/futures';
import type { Clock, HostTimers } from './clock.js';
import type { Handle } from './handles.js';
import { describeValue } from './internal/checks.js';
import { MODE_SLEEPING, MODE_STOPPED } from './internal/guest-driver.js';
import { CallbackScheduling } from './internal/callback-scheduling.js';

/**
 * Options of `new BaseEventLoop(options)`: what the loop takes from its environment, so that
 * a virtual-time loop or a test can replace it without touching globals.
 */
export interface BaseEventLoopOptions {
  /** The loop's time source (`loop.time()`, timers). Default: `systemClock`. */
  clock?: Clock;
  /** How the loop sleeps, yields and wakes on the host. Default: `nodeHostTimers`. */
  hostTimers?: HostTimers;
  /**
   * How long (seconds) the loop may chain iterations through the microtask queue before it
   * yields to Node with setImmediate so that I/O is polled. Default: 0.001.
   */
  timeSlice?: number;
}

/** The done callback of runUntilComplete: stops the future's loop. */
function stopLoopOfFuture(future: AbstractFuture<unknown>): void {
  future.getLoop().stop();
}

/**
 * An event loop that schedules callbacks and timers and runs futures and tasks, as a guest on
 * Node's own event loop; it has no I/O (its I/O methods reject with NotImplementedError:
 * `EventLoop` from `@tsio/transports` adds them).
 *
 * `runForever()` returns a promise. While callbacks are ready, iterations chain through the
 * microtask queue for about `timeSlice` (1 ms), then the loop yields to Node with setImmediate
 * so I/O is polled; when only timers remain it sleeps in one host setTimeout; when nothing is
 * pending it waits for a `callSoon`. While running it keeps the Node process alive (a ref'd
 * host timer, released when it stops), as a running asyncio loop blocks its thread.
 *
 * Scheduling with an explicit Context uses separate methods: `callSoonWithContext(context,
 * cb, ...args)`, `callLaterWithContext`, `callAtWithContext` (asyncio's `context=` keyword).
 *
 * @example
 * ```ts
 * const loop = new BaseEventLoop();
 * loop.callSoon(() => console.log('soon'));
 * loop.callLater(0.01, () => loop.stop());
 * await loop.runForever();
 * loop.close();
 * ```
 *
 * Python parity: `asyncio.BaseEventLoop`
 */
export class BaseEventLoop extends CallbackScheduling implements AbstractEventLoop {
  private _stopping = false;
  private _taskFactory: TaskFactory | null = null;
  /** The frame `runForever` was called in: the exception handler runs in it. */
  private _runFrame: ExecutionFrame | undefined = undefined;

  /**
   * Creates a loop (not running, not closed).
   *
   * @param options - `clock`, `hostTimers`, `timeSlice`; see `BaseEventLoopOptions`
   * @throws TypeError if `timeSlice` is not a non-negative number.
   */
  constructor(options: BaseEventLoopOptions = {}) {
    super(options);
  }

  // ---------------------------------------------------------------- running and stopping

  /**
   * Runs the loop until `stop()` is called; resolves then. If `stop()` was called before,
   * runs one iteration and resolves.
   *
   * @throws RuntimeError (as a rejection) "Event loop is closed", "This event loop is already
   *   running", or "Cannot run the event loop while another loop is running".
   *
   * Python parity: `loop.run_forever`
   */
  runForever(): Promise<void> {
    try {
      this._checkClosed();
      this._checkRunning();
    } catch (error) {
      return Promise.reject(error);
    }
    _setRunningLoop(this);
    this._runFrame = _captureFrame();
    return this._driver.start();
  }

  /**
   * Runs the loop until `future` is done and returns its result (or throws its exception). A
   * coroutine function or a promise is wrapped in a Task first.
   *
   * @throws RuntimeError (as a rejection) "Event loop stopped before Future completed." when
   *   `stop()` ends the run first, plus the errors of `runForever`.
   * @throws ValueError (as a rejection) if `future` belongs to another loop.
   *
   * Python parity: `loop.run_until_complete`
   */
  runUntilComplete<T>(future: PromiseLike<T> | Coro<T>): Promise<T> {
    let target: AbstractFuture<T>;
    try {
      this._checkClosed();
      this._checkRunning();
      target = ensureFuture(future, { loop: this });
    } catch (error) {
      return Promise.reject(error);
    }
    target.addDoneCallback(stopLoopOfFuture);
    return this._runUntilDone(target, !isFuture(future));
  }

  private async _runUntilDone<T>(future: AbstractFuture<T>, newTask: boolean): Promise<T> {
    try {
      await this.runForever();
    } catch (error) {
      // The task we created is done with an error the caller will not see: mark it retrieved.
      if (newTask && future.done() && !future.cancelled()) future.exception();
      throw error;
    } finally {
      future.removeDoneCallback(stopLoopOfFuture);
    }
    if (!future.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return future.result();
  }

  /**
   * Stops the loop: the handles of the current iteration still run, then `runForever`
   * resolves. Called before `runForever`, makes the next run do one iteration.
   *
   * Python parity: `loop.stop`
   */
  stop(): void {
    this._stopping = true;
    if (this._driver.mode >= MODE_SLEEPING) this._driver.wake();
  }

  /**
   * Tells whether the loop is running.
   *
   * Python parity: `loop.is_running`
   */
  isRunning(): boolean {
    return this._driver.mode !== MODE_STOPPED;
  }

  /**
   * Tells whether the loop was closed.
   *
   * Python parity: `loop.is_closed`
   */
  isClosed(): boolean {
    return this._closed;
  }

  /**
   * Closes the loop: drops pending callbacks and timers, removes signal handlers and shuts
   * the default executor down without waiting. Does nothing if already closed.
   *
   * @throws RuntimeError "Cannot close a running event loop".
   *
   * Python parity: `loop.close`
   */
  close(): void {
    if (this.isRunning()) throw new RuntimeError('Cannot close a running event loop');
    if (this._closed) return;
    this._closed = true;
    this._ready = [];
    this._spare = [];
    this._timers.clear();
    this._signals.clear();
    this._executorShutdownCalled = true;
    const executor = this._defaultExecutor;
    if (executor !== null) {
      this._defaultExecutor = null;
      Promise.resolve(executor.shutdown({ wait: false })).catch((error: unknown) => {
        this.callExceptionHandler({
          message: 'Error shutting down the default executor',
          exception: error,
        });
      });
    }
  }

  /**
   * Resolves at once: JavaScript async generators need no loop-driven finalisation (an
   * abandoned generator is garbage-collected; `for await` runs its `finally` on `break`).
   *
   * Python parity: `loop.shutdown_asyncgens`
   */
  shutdownAsyncgens(): Promise<void> {
    return Promise.resolve();
  }

  // ---------------------------------------------------------------- one iteration

  /**
   * Runs one iteration, as asyncio's `_run_once`: moves the timers that are due to the ready
   * queue, then runs exactly the handles that were ready when the iteration began (handles
   * added meanwhile wait for the next one), skipping cancelled ones. In debug mode, times
   * each callback and warns about slow ones. For subclasses that drive the loop themselves.
   *
   * Python parity: `BaseEventLoop._run_once`
   */
  protected runOnce(): void {
    const outer = _captureFrame();
    try {
      this._runIteration(outer);
    } finally {
      _switchToFrame(outer);
    }
  }

  /**
   * One iteration (see `runOnce`). Each handle switches to its own frame and leaves it
   * current, so consecutive handles in the same Context cost one AsyncLocalStorage switch and
   * the iteration ends in the last handle's frame: the caller switches back if it needs to.
   * Errors are reported from `outer`.
   */
  private _runIteration(outer: ExecutionFrame | undefined): void {
    const timers = this._timers;
    let timer = timers.peek();
    if (timer !== undefined) {
      const now = this._clock.now();
      while (timer !== undefined && timer._when <= now) {
        timers.pop();
        this._ready.push(timer);
        timer = timers.peek();
      }
    }

    const batch = this._ready;
    const count = batch.length;
    if (count === 0) return;
    // Before the swap: if the hook throws, the batch is still the ready queue and none is lost.
    if (count > 1) {
      this.orderReadyHandles(batch);
      if (batch.length !== count) {
        throw new RuntimeError(
          `orderReadyHandles() must only reorder the handles: it changed their number from ${count} to ${batch.length}`,
        );
      }
    }
    this._ready = this._spare;
    let i = 0;
    try {
      if (this._debug) {
        _switchToFrame(outer);
        for (; i < count; i++) this._runTimed(batch[i] as Handle);
      } else {
        _setFramesRestoredByLoop(true);
        for (; i < count; i++) {
          const handle = batch[i] as Handle;
          if (!handle._cancelled) handle._runSwitched(outer);
        }
      }
    } finally {
      _setFramesRestoredByLoop(false);
      // Only if something escaped a handle (it should not): keep the rest of the batch first.
      if (i < count) this._ready = batch.slice(i + 1, count).concat(this._ready);
      batch.length = 0;
      this._spare = batch;
    }
  }

  /**
   * Chooses the order in which the handles of one iteration run; the default keeps it. Called
   * at the start of every iteration that has more than one handle to run, with those handles
   * in the order they would run: the callbacks that were ready (in the order they were
   * scheduled), then the timers that fell due (by deadline, first scheduled first among
   * equals). A subclass may permute the array in place; it must not add or remove handles,
   * and it runs on the loop's hot path, so the default does nothing.
   *
   * `VirtualTimeLoop` of `@tsio/testing` overrides it to shuffle the handles of independent
   * tasks under a seed, which finds code that depends on incidental ordering.
   *
   * @param handles - this iteration's handles (some may be cancelled: they are skipped later)
   * @throws RuntimeError (ending the run) if the override changed the number of handles.
   *
   * Python parity: none (asyncio's `_run_once` always runs its ready queue first in, first out)
   *
   * @example
   * ```ts
   * class LastInFirstOutLoop extends BaseEventLoop {
   *   protected override orderReadyHandles(handles: Handle[]): void {
   *     handles.reverse();
   *   }
   * }
   * ```
   */
  protected orderReadyHandles(handles: Handle[]): void {
    void handles;
  }

  private _runTimed(handle: Handle): void {
    if (handle._cancelled) return;
    this._currentHandle = handle;
    try {
      const start = this._clock.now();
      handle._run();
      const duration = this._clock.now() - start;
      if (duration >= this.slowCallbackDuration) {
        console.warn(`Executing ${handle.toString()} took ${duration.toFixed(3)} seconds`);
      }
    } finally {
      this._currentHandle = null;
    }
  }

  /** @internal Called by the driver: one iteration, then when the next is due. */
  _step(): number | null {
    // Not switched back at the end: what runs between iterations (the driver) reads no
    // Context, and the next iteration's first handle usually runs in the same frame (an
    // AsyncLocalStorage switch allocates on Node >= 24).
    this._runIteration(this._runFrame);
    if (this._stopping) return null;
    if (this._ready.length > 0) return -Infinity;
    const next = this._timers.peek();
    return next === undefined ? Infinity : next._when;
  }

  /** @internal Called by the driver when the run ends. */
  _runEnded(): void {
    this._stopping = false;
    _switchToFrame(this._runFrame);
    this._runFrame = undefined;
    if (_getRunningLoop() === this) _setRunningLoop(null);
  }

  // ---------------------------------------------------------------- futures and tasks

  /**
   * Creates a pending Future attached to this loop.
   *
   * Python parity: `loop.create_future`
   */
  createFuture<T>(): Future<T> {
    return new Future<T>({ loop: this });
  }

  /**
   * Wraps the coroutine function `coro` in a Task on this loop, through the task factory if
   * one is set (it receives `options` as they are).
   *
   * @throws TypeError if `coro` is not a function.
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.create_task`
   */
  createTask<T>(coro: Coro<T>, options: TaskOptions = {}): AbstractTask<T> {
    this._checkClosed();
    const factory = this._taskFactory;
    if (factory !== null) return factory(this, coro, options);
    return new Task<T>(coro, { ...options, loop: this });
  }

  /**
   * Sets the factory `createTask` uses, or restores the default with `null`.
   *
   * @throws TypeError if `factory` is neither a function nor null.
   *
   * Python parity: `loop.set_task_factory`
   */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== 'function') {
      throw new TypeError(`task factory must be a function or null, got ${describeValue(factory)}`);
    }
    this._taskFactory = factory;
  }

  /**
   * Returns the task factory, or `null` for the default.
   *
   * Python parity: `loop.get_task_factory`
   */
  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  }

  // ---------------------------------------------------------------- guards

  private _checkRunning(): void {
    if (this.isRunning()) throw new RuntimeError('This event loop is already running');
    if (_getRunningLoop() !== null) {
      throw new RuntimeError('Cannot run the event loop while another loop is running');
    }
  }
}
