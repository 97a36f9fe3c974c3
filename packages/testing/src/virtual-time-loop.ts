import { RuntimeError, type Context } from '@tsio/core';
import { BaseEventLoop, TimerHandle, type Handle } from '@tsio/event-loop';
import { currentTask } from '@tsio/futures';
import { checkFlag, checkSeconds, checkSeed } from './internal/checks.js';
import { interleave } from './internal/interleave.js';
import { Prng } from './internal/prng.js';
import { TimerWatch } from './internal/timer-watch.js';
import { VirtualClock, VirtualHost } from './internal/virtual-host.js';

/** Options of `new VirtualTimeLoop(options)`. */
export interface VirtualTimeLoopOptions {
  /**
   * Jump to the next timer as soon as the loop would sleep (default `true`). With `false`,
   * time moves only through `advance()`.
   */
  autojump?: boolean;
  /**
   * Shuffle the handles of independent tasks that are ready in the same iteration, with a
   * generator seeded by this integer (0 to 2**32 - 1). Default `null`: asyncio's FIFO order.
   */
  seed?: number | null;
  /** The virtual time the loop starts at, in seconds (default 0). */
  startTime?: number;
}

/** The scheduling source of handles scheduled outside any task (one FIFO group). */
const OUTSIDE_TASKS = Symbol('outside tasks');

/** Resolves after Node's next check phase: microtasks have drained and I/O was polled once. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * An event loop whose time is virtual: `loop.time()` is a number the loop moves itself, so a
 * test of `await sleep(3600)` takes milliseconds and its timings are exact and repeatable.
 * Built only on the public extension API of `BaseEventLoop`: an injected `Clock`, injected
 * `HostTimers`, the overridable scheduling methods and the `orderReadyHandles` hook.
 *
 * - Autojump (default): when the loop would sleep until its nearest timer, time jumps to that
 *   timer's deadline at once — once the loop has stayed asleep for a full turn of Node's
 *   event loop (`setImmediate`), so promise continuations, immediates queued meanwhile and
 *   I/O callbacks already due run first. I/O still in flight (a real socket, a worker
 *   thread) does not hold time back: use `autojump: false` for it.
 * - Manual (`autojump: false`): time moves only by `await loop.advance(seconds)`, which runs
 *   every timer that falls due on the way, in deadline order; `await loop.runUntilIdle()`
 *   runs what is ready without moving time.
 * - Seeded (`seed`): handles ready in the same iteration run in a shuffled order, replayable
 *   by the seed. This deliberately breaks asyncio's guarantee that callbacks run in the order
 *   they were scheduled, to find code that depends on incidental ordering between
 *   independent tasks. Only the order between sources is shuffled: handles scheduled by the
 *   same task keep their order, as do handles scheduled outside any task, and each timer
 *   that falls due is a source of its own (so timers due at the same time run in any order).
 *
 * @example
 * ```ts
 * const loop = new VirtualTimeLoop();
 * const result = await loop.runUntilComplete(async () => {
 *   await sleep(3600);
 *   return loop.time(); // 3600, after a few milliseconds of real time
 * });
 * loop.close();
 * ```
 *
 * Python parity: none (Trio's `MockClock(autojump_threshold=0)` is the nearest)
 */
export class VirtualTimeLoop extends BaseEventLoop {
  /** The seed of the shuffled mode, or `null` (FIFO order). Print it when a test fails. */
  readonly seed: number | null;
  /** Whether time jumps to the next timer when the loop would sleep. */
  readonly autojump: boolean;

  readonly #clock: VirtualClock;
  readonly #host: VirtualHost;
  readonly #timers: TimerWatch;
  readonly #rng: Prng | null;
  /** Which task scheduled each handle (seeded mode only). */
  readonly #sources = new WeakMap<Handle, object | symbol>();
  /** Running `advance()`/`runUntilIdle()` calls: autojump waits for them. */
  #holds = 0;
  #jumpQueued = false;
  /** The host's activity count when autojump last found the loop asleep, or -1. */
  #asleepAt = -1;

  /**
   * Creates a loop (not running) at virtual time `startTime`.
   *
   * @param options - `autojump`, `seed`, `startTime`; see `VirtualTimeLoopOptions`
   * @throws TypeError for an option of the wrong type.
   * @throws ValueError for a seed out of range or a negative start time.
   */
  constructor(options: VirtualTimeLoopOptions = {}) {
    const autojump = checkFlag(options.autojump, 'autojump', true);
    const seed = checkSeed(options.seed);
    const clock = new VirtualClock(checkSeconds(options.startTime ?? 0, 'startTime'));
    const timers = new TimerWatch();
    // The host tells the loop when a timeout is armed; `this` exists only after super().
    let onArm = (): void => {};
    const host = new VirtualHost(
      clock,
      (now) => timers.nextAfter(now),
      () => onArm(),
    );
    super({ clock, hostTimers: host });
    this.autojump = autojump;
    this.seed = seed;
    this.#clock = clock;
    this.#host = host;
    this.#timers = timers;
    this.#rng = seed === null ? null : new Prng(seed);
    if (autojump) onArm = () => this.#queueJump();
  }

  // ---------------------------------------------------------------- moving time

  /**
   * Moves virtual time forward by `seconds`, running everything that falls due on the way:
   * time stops at each timer's deadline, in order, and the loop runs until idle there (so a
   * callback at t+1 and what it schedules run before a timer at t+2). Resolves once time has
   * reached `loop.time() + seconds` and the loop is idle. If the loop is not running, only
   * moves the time. Autojump is held off while it runs.
   *
   * @throws TypeError (as a rejection) if `seconds` is not a finite number.
   * @throws ValueError (as a rejection) if `seconds` is negative: time never goes backwards.
   * @throws RuntimeError (as a rejection) "Event loop is closed".
   *
   * Python parity: none (Trio's `MockClock.jump`, which does not stop at each deadline)
   *
   * @example
   * ```ts
   * const loop = new VirtualTimeLoop({ autojump: false });
   * await loop.runUntilComplete(async () => {
   *   const fired: number[] = [];
   *   loop.callLater(5, () => fired.push(loop.time()));
   *   await loop.advance(4);
   *   await loop.advance(1); // fired is now [5]
   * });
   * loop.close();
   * ```
   */
  async advance(seconds: number): Promise<void> {
    checkSeconds(seconds, 'advance()');
    this.#checkOpen();
    const target = this.#clock.time + seconds;
    this.#holds++;
    try {
      await this.#settle();
      for (;;) {
        const next = this.#timers.nextAfter(this.#clock.time);
        if (next === undefined || next > target) break;
        await this.#jumpTo(next);
      }
      await this.#jumpTo(target);
    } finally {
      this.#release();
    }
  }

  /**
   * Lets the loop run until nothing is ready: resolves once no iteration is pending and
   * microtasks have drained, leaving timers in the future where they are (autojump is held
   * off meanwhile). Resolves at once if the loop is not running.
   *
   * @throws RuntimeError (as a rejection) "Event loop is closed".
   *
   * Python parity: none (CPython's test helper `test_utils.run_briefly` is the nearest)
   *
   * @example
   * ```ts
   * const loop = new VirtualTimeLoop({ autojump: false });
   * await loop.runUntilComplete(async () => {
   *   const task = createTask(async () => 'done');
   *   await loop.runUntilIdle();
   *   console.log(task.done()); // true, and loop.time() is still 0
   * });
   * loop.close();
   * ```
   */
  async runUntilIdle(): Promise<void> {
    this.#checkOpen();
    this.#holds++;
    try {
      await this.#settle();
    } finally {
      this.#release();
    }
  }

  /**
   * Runs the loop until `stop()` (see `BaseEventLoop.runForever`), holding the process open
   * with a real timer meanwhile: the loop's own host timeouts are virtual and would not.
   *
   * @throws RuntimeError (as a rejection) as `BaseEventLoop.runForever`.
   *
   * Python parity: `loop.run_forever`
   */
  override async runForever(): Promise<void> {
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    try {
      await super.runForever();
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Waits until the loop has nothing ready (or is not running). */
  async #settle(): Promise<void> {
    do await nextMacrotask();
    while (this.isRunning() && this.#host.busy);
  }

  /**
   * Sets the time to `time` (never backwards) and fires the host timeouts due, then settles.
   * Fired from a macrotask of its own, as a real timer fires: the iteration it runs switches
   * the async context for the handles it runs, which must not leak into the caller's.
   */
  async #jumpTo(time: number): Promise<void> {
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        try {
          if (time > this.#clock.time) this.#clock.time = time;
          this.#host.fireDue();
        } finally {
          resolve();
        }
      });
    });
    await this.#settle();
  }

  #release(): void {
    this.#holds--;
    if (this.autojump) this.#queueJump();
  }

  /** Queues an autojump check for after the next poll of I/O. */
  #queueJump(): void {
    if (this.#jumpQueued) return;
    this.#jumpQueued = true;
    setImmediate(this.#autojump);
  }

  /**
   * Jumps to the loop's wake-up time if the loop sleeps until a timer and has stayed asleep,
   * with no activity, for one more turn of Node's event loop: immediates that code queued
   * meanwhile and I/O callbacks already due run before time moves.
   */
  readonly #autojump = (): void => {
    this.#jumpQueued = false;
    const seen = this.#asleepAt;
    this.#asleepAt = -1;
    if (this.#holds > 0 || !this.isRunning() || this.#host.busy) return;
    // Without a live timer the loop is idle (only the keep-alive timeout is armed): it waits
    // for a callSoon or I/O, and time has nowhere to jump.
    if (this.#timers.nextAfter(this.#clock.time) === undefined) return;
    const due = this.#host.nextDue();
    if (due === Infinity) return;
    if (seen !== this.#host.activity) {
      this.#asleepAt = this.#host.activity;
      this.#queueJump();
      return;
    }
    if (due > this.#clock.time) this.#clock.time = due;
    this.#host.fireDue();
  };

  #checkOpen(): void {
    if (this.isClosed()) throw new RuntimeError('Event loop is closed');
  }

  // ---------------------------------------------------------------- scheduling

  /**
   * Runs the handles of independent sources in a shuffled order when a seed is set (see the
   * class description); otherwise keeps asyncio's order.
   *
   * Python parity: none
   */
  protected override orderReadyHandles(handles: Handle[]): void {
    const rng = this.#rng;
    if (rng === null) return;
    interleave(handles, (handle) => this.#sourceOf(handle), rng);
  }

  #sourceOf(handle: Handle): object | symbol {
    if (handle instanceof TimerHandle) return handle;
    return this.#sources.get(handle) ?? handle;
  }

  /** Records which task scheduled `handle`, for the seeded mode. */
  #noteSource<H extends Handle>(handle: H): H {
    if (this.#rng !== null) this.#sources.set(handle, currentTask(this) ?? OUTSIDE_TASKS);
    return handle;
  }

  /** Records a timer's deadline, so that time can jump exactly to it. */
  #watch(timer: TimerHandle): TimerHandle {
    this.#timers.add(timer);
    return timer;
  }

  /**
   * Schedules `callback(...args)` for the next iteration (see `BaseEventLoop.callSoon`); in
   * seeded mode, also records the task that scheduled it.
   *
   * @throws TypeError for a non-function callback; RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_soon`
   */
  override callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    return this.#noteSource(super.callSoon(callback, ...args));
  }

  /**
   * Like `callSoon`, with the Context the callback runs in.
   *
   * @throws TypeError for a non-function callback; RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_soon(callback, *args, context=context)`
   */
  override callSoonWithContext<A extends unknown[]>(
    context: Context,
    callback: (...args: A) => unknown,
    ...args: A
  ): Handle {
    return this.#noteSource(super.callSoonWithContext(context, callback, ...args));
  }

  /**
   * Like `callSoon` (see `BaseEventLoop.callSoonThreadsafe`).
   *
   * @throws TypeError for a non-function callback; RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_soon_threadsafe`
   */
  override callSoonThreadsafe<A extends unknown[]>(
    callback: (...args: A) => unknown,
    ...args: A
  ): Handle {
    return this.#noteSource(super.callSoonThreadsafe(callback, ...args));
  }

  /**
   * Schedules `callback(...args)` `delay` seconds of virtual time from now.
   *
   * @throws TypeError for a bad delay or callback; RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_later`
   */
  override callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    return this.#watch(super.callLater(delay, callback, ...args));
  }

  /**
   * Like `callLater`, with the Context the callback runs in.
   *
   * @throws TypeError for a bad delay or callback; RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_later(delay, callback, *args, context=context)`
   */
  override callLaterWithContext<A extends unknown[]>(
    context: Context,
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    return this.#watch(super.callLaterWithContext(context, delay, callback, ...args));
  }

  /**
   * Schedules `callback(...args)` at virtual time `when`.
   *
   * @throws TypeError for a bad time or callback; RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_at`
   */
  override callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    return this.#watch(super.callAt(when, callback, ...args));
  }

  /**
   * Like `callAt`, with the Context the callback runs in.
   *
   * @throws TypeError for a bad time or callback; RuntimeError "Event loop is closed".
   *
   * Python parity: `loop.call_at(when, callback, *args, context=context)`
   */
  override callAtWithContext<A extends unknown[]>(
    context: Context,
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    return this.#watch(super.callAtWithContext(context, when, callback, ...args));
  }
}
