import { isCancelledError, ValueError, _LoopBinding } from '@tsio/core';
import { Future, _raisePendingCancellation, _suspendOn } from '@tsio/futures';
import { ACQUIRED } from './internal/acquired.js';
import { Guard } from './internal/guard.js';
import type { Waiters } from './internal/waiters.js';

/** What `Semaphore.statistics()` reports. */
export interface SemaphoreStatistics {
  /** Permits available now (0 while tasks wait). */
  readonly value: number;
  /** Tasks waiting in `acquire()` (including woken ones that have not resumed yet). */
  readonly waiters: number;
}

function checkValue(owner: string, value: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${owner}() expects an integer value, got ${String(value)}`);
  }
  if (value < 0) throw new ValueError('Semaphore initial value must be >= 0');
}

/**
 * A counter of permits: `acquire()` takes one, waiting while none is free; `release()` gives
 * one back. Fair: a task never takes a permit ahead of a waiting task, and a waiter cancelled
 * after being woken gives its permit to the next waiter.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(10);
 * async function fetchOne(url: string) {
 *   await using _ = await slots.hold(); // at most 10 at a time
 *   return download(url);
 * }
 * ```
 *
 * Python parity: `asyncio.Semaphore`
 */
export class Semaphore {
  readonly #waiters: Waiters<true> = new Set();
  readonly #binding = new _LoopBinding();
  // Made once, so that `hold()` allocates only the guard itself.
  readonly #release = (): void => this.release();
  readonly #makeGuard = (): Guard => new Guard(this.#release);
  #value: number;

  /**
   * @param value the initial number of permits (default 1).
   * @throws TypeError when `value` is not an integer.
   * @throws ValueError "Semaphore initial value must be >= 0" when `value` is negative.
   */
  constructor(value = 1) {
    checkValue(new.target.name, value);
    this.#value = value;
  }

  /**
   * True when `acquire()` would wait: no permit is free, or tasks (not cancelled) are already
   * waiting for one. Python parity: `Semaphore.locked`
   */
  locked(): boolean {
    if (this.#value === 0) return true;
    for (const waiter of this.#waiters) if (!waiter.cancelled()) return true;
    return false;
  }

  /**
   * Takes a permit, waiting in FIFO order while none is free, and resolves to true.
   *
   * @throws CancelledError when the waiting task is cancelled; no permit is then taken, and a
   *   permit it was handed goes to the next waiter.
   * @throws RuntimeError "no running event loop" when it must wait outside a loop, or when the
   *   semaphore is used from two loops.
   *
   * Python parity: `Semaphore.acquire`
   */
  acquire(): Promise<true> {
    // Not async: taking a free permit allocates nothing (the promise is shared).
    if (!this.locked()) {
      this.#value -= 1;
      return ACQUIRED;
    }
    return this.#acquireWaiting();
  }

  async #acquireWaiting(): Promise<true> {
    const waiter = new Future<true>({ loop: this.#binding.get(this) });
    this.#waiters.add(waiter);
    try {
      try {
        await _suspendOn(waiter);
        _raisePendingCancellation();
      } finally {
        this.#waiters.delete(waiter);
      }
    } catch (e) {
      // The permit was handed to us (value already taken for us) but we leave: give it back.
      if (isCancelledError(e) && waiter.done() && !waiter.cancelled()) this.#value += 1;
      throw e;
    } finally {
      // asyncio 3.11.1+ (gh-90155): hand every free permit to the next waiters.
      while (this.#value > 0 && this.#wakeUpNext()) {
        // each call hands one permit
      }
    }
    return true;
  }

  /**
   * Gives a permit back and wakes the first waiter, handing the permit to it.
   *
   * Python parity: `Semaphore.release`
   */
  release(): void {
    this.#value += 1;
    this.#wakeUpNext();
  }

  /**
   * Takes a permit and returns a guard whose disposal releases it exactly once, for
   * `await using _ = await semaphore.hold()`.
   *
   * @throws CancelledError and RuntimeError as `acquire()`.
   * @example
   * ```ts
   * await using _ = await semaphore.hold();
   * await work();
   * ```
   *
   * Python parity: `async with semaphore`
   */
  hold(): Promise<AsyncDisposable & Disposable> {
    // Not async: one promise reaction per hold instead of a suspended async function.
    try {
      return this.acquire().then(this.#makeGuard);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Free permits and waiting tasks. Python parity: none (tsio addition) */
  statistics(): SemaphoreStatistics {
    return { value: this.#value, waiters: this.#waiters.size };
  }

  /** `<Semaphore [unlocked, value:2]>`. Python parity: `repr(Semaphore)` */
  toString(): string {
    const state = this.locked() ? 'locked' : `unlocked, value:${this.#value}`;
    const waiters = this.#waiters.size > 0 ? `, waiters:${this.#waiters.size}` : '';
    return `<${this.constructor.name} [${state}${waiters}]>`;
  }

  /** Hands one permit to the first waiter not woken yet; false when there is none. */
  #wakeUpNext(): boolean {
    for (const waiter of this.#waiters) {
      if (!waiter.done()) {
        this.#value -= 1;
        waiter.setResult(true);
        return true;
      }
    }
    return false;
  }
}

/**
 * A semaphore that refuses to be released more times than it was acquired: its value never
 * exceeds the initial one.
 *
 * @example
 * ```ts
 * const pool = new BoundedSemaphore(2);
 * await pool.acquire();
 * pool.release();
 * pool.release(); // ValueError: BoundedSemaphore released too many times
 * ```
 *
 * Python parity: `asyncio.BoundedSemaphore`
 */
export class BoundedSemaphore extends Semaphore {
  readonly #bound: number;

  /**
   * @param value the initial and maximal number of permits (default 1).
   * @throws TypeError when `value` is not an integer.
   * @throws ValueError "Semaphore initial value must be >= 0" when `value` is negative.
   */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /**
   * Gives a permit back, as `Semaphore.release()`.
   *
   * @throws ValueError "BoundedSemaphore released too many times" when the value would exceed
   *   the initial value.
   *
   * Python parity: `BoundedSemaphore.release`
   */
  override release(): void {
    if (this.statistics().value >= this.#bound) {
      throw new ValueError('BoundedSemaphore released too many times');
    }
    super.release();
  }
}
