/**
 * Where the loop gets its time and its wake-ups from. Both are injected into `BaseEventLoop`
 * so that a virtual-time loop (or a test) can replace them without touching globals.
 */

/**
 * The loop's clock: a monotonic time in seconds. `loop.time()` returns `clock.now()`, and every
 * timer (`callLater`, `callAt`) is scheduled in this time.
 *
 * Python parity: `time.monotonic` as used by `loop.time`
 */
export interface Clock {
  /** The current time in seconds; never decreases. Only differences are meaningful. */
  now(): number;
}

/** An opaque handle returned by `HostTimers.setTimeout` / `HostTimers.setImmediate`. */
export type HostTimerHandle = unknown;

/**
 * What the loop needs from the host (Node's own event loop) to run as a guest on it: a way to
 * sleep until a deadline, a way to yield so Node can poll I/O, a microtask queue to chain
 * iterations, and a real-time millisecond counter to measure its time slice.
 *
 * `nodeHostTimers` is the default. A virtual-time loop or a test passes its own.
 *
 * Python parity: none (asyncio owns its thread; the selector's `select(timeout)` plays this role)
 */
export interface HostTimers {
  /** Calls `callback` once after about `ms` milliseconds; the handle keeps the process alive. */
  setTimeout(callback: () => void, ms: number): HostTimerHandle;
  /** Cancels a pending `setTimeout`. */
  clearTimeout(handle: HostTimerHandle): void;
  /** Calls `callback` once Node has polled I/O (a macrotask). */
  setImmediate(callback: () => void): HostTimerHandle;
  /** Cancels a pending `setImmediate`. */
  clearImmediate(handle: HostTimerHandle): void;
  /** Calls `callback` as a microtask, before any macrotask. */
  queueMicrotask(callback: () => void): void;
  /**
   * Real elapsed time in milliseconds (monotonic), used only to measure the loop's time slice
   * (how long it keeps the thread before yielding to Node). Not the loop's time.
   */
  hostNow(): number;
}

/**
 * The default clock: `performance.now()` in seconds (monotonic, sub-millisecond resolution).
 *
 * Python parity: `time.monotonic`
 */
export const systemClock: Clock = {
  now(): number {
    return performance.now() / 1000;
  },
};

/** Its reactions are the cheapest way to queue a microtask (see `nodeHostTimers`). */
const SETTLED = Promise.resolve();

/**
 * The default host timers: Node's `setTimeout`, `setImmediate` and `performance.now()`, and
 * microtasks queued as reactions of a settled promise. Those take the same queue as Node's
 * `queueMicrotask`, at the same place, without the async resource and bound wrapper that
 * `queueMicrotask` creates for every call (a quarter of a contended Lock's time on Node 24).
 * A callback that throws is reported as an unhandled rejection instead of an uncaught
 * exception; the loop's own callbacks never throw.
 *
 * Python parity: none (see `HostTimers`)
 */
export const nodeHostTimers: HostTimers = {
  setTimeout(callback: () => void, ms: number): HostTimerHandle {
    return setTimeout(callback, ms);
  },
  clearTimeout(handle: HostTimerHandle): void {
    clearTimeout(handle as NodeJS.Timeout);
  },
  setImmediate(callback: () => void): HostTimerHandle {
    return setImmediate(callback);
  },
  clearImmediate(handle: HostTimerHandle): void {
    clearImmediate(handle as NodeJS.Immediate);
  },
  queueMicrotask(callback: () => void): void {
    void SETTLED.then(callback);
  },
  hostNow(): number {
    return performance.now();
  },
};
