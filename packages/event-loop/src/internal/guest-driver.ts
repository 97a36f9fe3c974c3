import { _ioEventCount } from '@tsio/core';
import type { Clock, HostTimerHandle, HostTimers } from '../clock.js';

/** The loop is not running. */
export const MODE_STOPPED = 0;
/** An iteration is running or queued (microtask or setImmediate); nothing to wake. */
export const MODE_BUSY = 1;
/** Sleeping in one host setTimeout until the nearest timer. */
export const MODE_SLEEPING = 2;
/** Nothing pending: waiting for a callSoon, a timer or stop(). */
export const MODE_IDLE = 3;

/**
 * The longest single host sleep, in ms: asyncio's `MAXIMUM_SELECT_TIMEOUT` (24 hours). Node's
 * setTimeout turns delays above 2**31-1 ms into 1 ms, so longer waits are re-armed.
 */
const MAX_SLEEP_MS = 24 * 3600 * 1000;
/** The keep-alive timer's period: as long as Node allows. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;

/** What the driver calls on its loop. */
export interface DriverClient {
  /**
   * Runs one iteration and says when the next one is due: `-Infinity` now (work is ready),
   * a loop time (the nearest timer), `Infinity` (nothing pending), or `null` to stop.
   */
  _step(): number | null;
  /** The run ended (stopped, or `_step` threw); called before `runForever` settles. */
  _runEnded(): void;
}

function noop(): void {}

/**
 * Runs a loop as a guest on Node's event loop. While work is ready, iterations chain through
 * the microtask queue (so promise continuations run between them), for at most one time slice
 * since the loop last yielded; then it yields with setImmediate so Node polls I/O. When only
 * timers remain it sleeps in one host setTimeout for the nearest one; when nothing is pending
 * it waits for `wake()`. A ref'd keep-alive timer holds the process open while running, as a
 * running asyncio loop blocks its thread.
 *
 * At most one iteration trigger (microtask, immediate or timeout) is pending at any time.
 */
export class GuestDriver {
  /** One of the MODE_* constants; read on the loop's hot paths. */
  mode = MODE_STOPPED;
  /** While sleeping: the loop time the host timeout was armed for. */
  wakeAt = Infinity;

  readonly #client: DriverClient;
  readonly #clock: Clock;
  readonly #host: HostTimers;
  readonly #sliceMs: number;
  #sliceStart = 0;
  /** `_ioEventCount()` when the current time slice began. */
  #ioEventsAtSliceStart = 0;
  #timeout: HostTimerHandle = null;
  #immediate: HostTimerHandle = null;
  #keepAlive: HostTimerHandle = null;
  #resolve: () => void = noop;
  #reject: (error: unknown) => void = noop;

  // Bound once, so that scheduling an iteration allocates nothing.
  readonly #iterate = (): void => this.#runIteration();
  readonly #onImmediate = (): void => {
    this.#immediate = null;
    this.#startSlice();
    this.#runIteration();
  };
  readonly #onTimeout = (): void => {
    this.#timeout = null;
    this.#startSlice();
    this.#runIteration();
  };
  readonly #onKeepAlive = (): void => {
    this.#keepAlive = this.#host.setTimeout(this.#onKeepAlive, KEEP_ALIVE_MS);
  };

  constructor(client: DriverClient, clock: Clock, host: HostTimers, sliceMs: number) {
    this.#client = client;
    this.#clock = clock;
    this.#host = host;
    this.#sliceMs = sliceMs;
  }

  /** Starts running: the first iteration is queued as a microtask. Settles when the run ends. */
  start(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#startSlice();
    this.#keepAlive = this.#host.setTimeout(this.#onKeepAlive, KEEP_ALIVE_MS);
    this.mode = MODE_BUSY;
    this.#host.queueMicrotask(this.#iterate);
    return done;
  }

  /** Runs the next iteration soon (a callSoon or stop() arrived while sleeping or idle). */
  wake(): void {
    this.#cancelTimeout();
    // An I/O event since the slice began proves that Node polled I/O since then (events
    // cannot run inside a chain of microtasks): a new slice starts, and the work the event
    // woke runs in a microtask right after it, as a Protocol callback would, instead of in a
    // setImmediate behind every other event of the same poll (one connection's reply would
    // then wait for all the others' reads). A wake with no I/O event since keeps the slice,
    // so a loop woken from promise continuations still yields to Node in time.
    if (_ioEventCount() !== this.#ioEventsAtSliceStart) this.#startSlice();
    this.#iterateSoon();
  }

  /** A timer due at `when` was added while sleeping or idle: sleep less if it is earlier. */
  timerAdded(when: number): void {
    if (this.mode === MODE_IDLE || when < this.wakeAt) {
      this.#cancelTimeout();
      this.#arrange(when);
    }
  }

  #runIteration(): void {
    // Busy while the iteration runs: callSoon/stop from its callbacks need no wake-up.
    this.mode = MODE_BUSY;
    this.wakeAt = Infinity;
    let next: number | null;
    try {
      next = this.#client._step();
    } catch (error) {
      this.#end(error, true);
      return;
    }
    if (next === null) this.#end(undefined, false);
    else this.#arrange(next);
  }

  /** Arranges the next iteration, due at loop time `next` (see `DriverClient._step`). */
  #arrange(next: number): void {
    if (next === Infinity) {
      this.mode = MODE_IDLE;
      this.wakeAt = Infinity;
      return;
    }
    const delay = next === -Infinity ? 0 : next - this.#clock.now();
    if (delay <= 0) {
      this.#iterateSoon();
      return;
    }
    this.mode = MODE_SLEEPING;
    this.wakeAt = next;
    // Rounded up so that the host timer rarely fires before the deadline; if it does (Node's
    // timer clock is coarser than ours), the iteration finds nothing due and sleeps again.
    const ms = Math.min(Math.ceil(delay * 1000), MAX_SLEEP_MS);
    this.#timeout = this.#host.setTimeout(this.#onTimeout, ms);
  }

  /** Queues an iteration: a microtask within the time slice, else a setImmediate. */
  #iterateSoon(): void {
    this.mode = MODE_BUSY;
    this.wakeAt = Infinity;
    const host = this.#host;
    if (host.hostNow() - this.#sliceStart < this.#sliceMs) {
      host.queueMicrotask(this.#iterate);
    } else {
      this.#immediate = host.setImmediate(this.#onImmediate);
    }
  }

  #startSlice(): void {
    this.#sliceStart = this.#host.hostNow();
    this.#ioEventsAtSliceStart = _ioEventCount();
  }

  #cancelTimeout(): void {
    if (this.#timeout !== null) {
      this.#host.clearTimeout(this.#timeout);
      this.#timeout = null;
    }
  }

  #end(error: unknown, failed: boolean): void {
    this.mode = MODE_STOPPED;
    this.wakeAt = Infinity;
    this.#cancelTimeout();
    if (this.#immediate !== null) {
      this.#host.clearImmediate(this.#immediate);
      this.#immediate = null;
    }
    if (this.#keepAlive !== null) {
      this.#host.clearTimeout(this.#keepAlive);
      this.#keepAlive = null;
    }
    const resolve = this.#resolve;
    const reject = this.#reject;
    this.#resolve = noop;
    this.#reject = noop;
    try {
      this.#client._runEnded();
    } finally {
      if (failed) reject(error);
      else resolve();
    }
  }
}
