import { RuntimeError, type AbstractEventLoop, type Context } from '@tsio/core';
import type { BaseEventLoopOptions } from '../base-event-loop.js';
import { nodeHostTimers, systemClock, type Clock } from '../clock.js';
import { Handle, TimerHandle } from '../handles.js';
import { checkCallback, checkNotAsync, checkTime, describeValue } from './checks.js';
import { dropFrames } from './format.js';
import { GuestDriver, MODE_SLEEPING } from './guest-driver.js';
import { LoopServices } from './loop-services.js';
import { TimerHeap } from './timer-heap.js';

type AnyCallback = (...args: never[]) => unknown;

/**
 * The scheduling half of `BaseEventLoop`: the ready queue, the timer heap, the clock, the
 * driver that runs the loop on Node's, and the methods that schedule callbacks (`callSoon`,
 * `callLater`, `callAt` and their Context variants). `BaseEventLoop` extends this class, which
 * is split off only to keep each file about one idea; its methods are documented here and
 * public on every loop.
 */
export abstract class CallbackScheduling extends LoopServices {
  /** @internal Handles to run in the next iteration. */
  protected _ready: Handle[] = [];
  /** @internal The emptied array of the last batch, reused for the next. */
  protected _spare: Handle[] = [];
  /** @internal */
  protected readonly _timers = new TimerHeap<TimerHandle>();
  /** @internal */
  protected readonly _clock: Clock;
  /** @internal */
  protected readonly _driver: GuestDriver;
  /** @internal */
  protected _closed = false;

  /** @internal Called by the driver: one iteration, then when the next is due. */
  abstract _step(): number | null;
  /** @internal Called by the driver when the run ends. */
  abstract _runEnded(): void;

  /** @throws TypeError if `timeSlice` is not a non-negative number. */
  constructor(options: BaseEventLoopOptions) {
    super();
    const timeSlice = options.timeSlice ?? 0.001;
    if (typeof timeSlice !== 'number' || !(timeSlice >= 0)) {
      throw new TypeError(
        `timeSlice must be a number of seconds >= 0, got ${describeValue(timeSlice)}`,
      );
    }
    this._clock = options.clock ?? systemClock;
    // The driver calls back `_step` and `_runEnded`, which BaseEventLoop implements.
    this._driver = new GuestDriver(
      this,
      this._clock,
      options.hostTimers ?? nodeHostTimers,
      timeSlice * 1000,
    );
  }

  /**
   * Schedules `callback(...args)` for the next iteration, in a copy of the current Context.
   * Callbacks run in the order they were scheduled.
   *
   * @throws TypeError "a callable object was expected by callSoon(), got …".
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_soon`
   */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    return this._callSoon(callback, args, null, 'callSoon');
  }

  /**
   * Like `callSoon`, with the Context the callback runs in (asyncio's `context=` keyword).
   *
   * @throws TypeError for a non-function callback.
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_soon(callback, *args, context=context)`
   */
  callSoonWithContext<A extends unknown[]>(
    context: Context,
    callback: (...args: A) => unknown,
    ...args: A
  ): Handle {
    return this._callSoon(callback, args, context, 'callSoonWithContext');
  }

  /**
   * Like `callSoon`, and wakes the loop. JavaScript threads do not share a loop, so this is
   * `callSoon` under asyncio's name (which also wakes a sleeping loop).
   *
   * @throws TypeError for a non-function callback.
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_soon_threadsafe`
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    return this._callSoon(callback, args, null, 'callSoonThreadsafe');
  }

  private _callSoon(
    callback: AnyCallback,
    args: unknown[],
    context: Context | null,
    method: string,
  ): Handle {
    this._checkClosed();
    checkCallback(callback, method);
    if (this._debug) checkNotAsync(callback, method);
    const handle = new Handle(callback, args, this.#asLoop(), context);
    if (handle._sourceTraceback !== null) {
      handle._sourceTraceback = dropFrames(handle._sourceTraceback, 2);
    }
    this._addReady(handle);
    return handle;
  }

  /** @internal Appends a handle to the ready queue and wakes the loop if it sleeps. */
  protected _addReady(handle: Handle): void {
    this._ready.push(handle);
    if (this._driver.mode >= MODE_SLEEPING) this._driver.wake();
  }

  /**
   * Schedules `callback(...args)` to run `delay` seconds from now (`loop.time() + delay`).
   * Timers due at the same time run in the order they were scheduled. A negative delay runs
   * it at the next iteration; `Infinity` never runs it.
   *
   * @throws TypeError if `delay` is not a number or is NaN, or `callback` is not a function.
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_later`
   */
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(delay, 'callLater', 'a delay');
    return this._callAt(this._clock.now() + delay, callback, args, null, 'callLater');
  }

  /**
   * Like `callLater`, with the Context the callback runs in.
   *
   * @throws TypeError for a bad delay or callback.
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_later(delay, callback, *args, context=context)`
   */
  callLaterWithContext<A extends unknown[]>(
    context: Context,
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(delay, 'callLaterWithContext', 'a delay');
    return this._callAt(this._clock.now() + delay, callback, args, context, 'callLaterWithContext');
  }

  /**
   * Schedules `callback(...args)` at loop time `when` (seconds, as `loop.time()`).
   *
   * @throws TypeError if `when` is not a number or is NaN, or `callback` is not a function.
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_at`
   */
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(when, 'callAt', 'a loop time');
    return this._callAt(when, callback, args, null, 'callAt');
  }

  /**
   * Like `callAt`, with the Context the callback runs in.
   *
   * @throws TypeError for a bad time or callback.
   * @throws RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_at(when, callback, *args, context=context)`
   */
  callAtWithContext<A extends unknown[]>(
    context: Context,
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    checkTime(when, 'callAtWithContext', 'a loop time');
    return this._callAt(when, callback, args, context, 'callAtWithContext');
  }

  private _callAt(
    when: number,
    callback: AnyCallback,
    args: unknown[],
    context: Context | null,
    method: string,
  ): TimerHandle {
    this._checkClosed();
    checkCallback(callback, method);
    if (this._debug) checkNotAsync(callback, method);
    const timer = new TimerHandle(when, callback, args, this.#asLoop(), context);
    if (timer._sourceTraceback !== null) {
      timer._sourceTraceback = dropFrames(timer._sourceTraceback, 2);
    }
    this._timers.push(timer);
    if (this._driver.mode >= MODE_SLEEPING) this._driver.timerAdded(when);
    return timer;
  }

  /**
   * The loop's current time in seconds, from its clock (monotonic; default
   * `performance.now() / 1000`).
   *
   * Python parity: `loop.time`
   */
  time(): number {
    return this._clock.now();
  }

  /** @internal Called by a TimerHandle cancelled while in the heap. */
  _timerHandleCancelled(handle: TimerHandle): void {
    if (handle._scheduled) this._timers.noteCancelled();
  }

  /** @internal */
  protected _checkClosed(): void {
    if (this._closed) throw new RuntimeError('Event loop is closed');
  }

  /** This object as the loop it is (only `BaseEventLoop` is ever instantiated). */
  #asLoop(): AbstractEventLoop {
    return this as unknown as AbstractEventLoop;
  }
}
