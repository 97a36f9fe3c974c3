import { isCancelledError, RuntimeError, _LoopBinding } from '@tsio/core';
import { Future, _raisePendingCancellation, _suspendOn } from '@tsio/futures';
import { ACQUIRED } from './internal/acquired.js';
import { Guard } from './internal/guard.js';
import { first, type Waiters } from './internal/waiters.js';

/** What `Lock.statistics()` reports. */
export interface LockStatistics {
  /** True while the lock is held. */
  readonly locked: boolean;
  /** Tasks waiting in `acquire()` (including one that was woken and has not resumed yet). */
  readonly waiters: number;
}

/**
 * A mutual-exclusion lock for tasks: one holder at a time, waiters served in FIFO order. The
 * lock is not owned by a task: any task may release it.
 *
 * A waiter that is cancelled after being woken passes the wakeup on to the next waiter, so a
 * cancellation never leaves the lock free with tasks still waiting.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * {
 *   await using _ = await lock.hold();
 *   // only one task at a time runs here
 * }
 * ```
 *
 * Python parity: `asyncio.Lock`
 */
export class Lock {
  readonly #waiters: Waiters<true> = new Set();
  readonly #binding = new _LoopBinding();
  // Made once, so that `hold()` allocates only the guard itself.
  readonly #release = (): void => this.release();
  readonly #makeGuard = (): Guard => new Guard(this.#release);
  #locked = false;

  /** True while the lock is held. Python parity: `Lock.locked` */
  locked(): boolean {
    return this.#locked;
  }

  /**
   * Waits until the lock is free, takes it and resolves to true. Tasks get the lock in the
   * order they asked for it: a task never takes it ahead of a waiter that is not cancelled.
   *
   * @throws CancelledError when the waiting task is cancelled; the lock is then not held by
   *   it, and the wakeup it may have received goes to the next waiter.
   * @throws RuntimeError "no running event loop" when it must wait outside a loop, or when the
   *   lock is used from two loops.
   *
   * Python parity: `Lock.acquire`
   */
  acquire(): Promise<true> {
    // Not async: taking a free lock allocates nothing (the promise is shared).
    if (!this.#locked && this.#allWaitersCancelled()) {
      this.#locked = true;
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
      // asyncio: a waiter woken then cancelled must not swallow the wakeup.
      if (isCancelledError(e) && !this.#locked) this.#wakeUpFirst();
      throw e;
    }
    this.#locked = true;
    return true;
  }

  /**
   * Releases the lock and lets the first waiter (if any) take it.
   *
   * @throws RuntimeError "Lock is not acquired." when the lock is not held.
   *
   * Python parity: `Lock.release`
   */
  release(): void {
    if (!this.#locked) throw new RuntimeError('Lock is not acquired.');
    this.#locked = false;
    this.#wakeUpFirst();
  }

  /**
   * Acquires the lock and returns a guard whose disposal releases it exactly once, for
   * `await using _ = await lock.hold()`: the lock is released when the block ends, throws, or
   * is left by a cancellation.
   *
   * @throws CancelledError and RuntimeError as `acquire()`.
   * @example
   * ```ts
   * {
   *   await using _ = await lock.hold();
   *   await work();
   * } // released here
   * ```
   *
   * Python parity: `async with lock` (`Lock.__aenter__` / `Lock.__aexit__`)
   */
  hold(): Promise<AsyncDisposable & Disposable> {
    // Not async: one promise reaction per hold instead of a suspended async function.
    try {
      return this.acquire().then(this.#makeGuard);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Whether the lock is held and how many tasks wait for it. Python parity: none (tsio
   * addition, like Trio's `Lock.statistics`)
   */
  statistics(): LockStatistics {
    return { locked: this.#locked, waiters: this.#waiters.size };
  }

  /** `<Lock [locked, waiters:1]>`. Python parity: `repr(Lock)` */
  toString(): string {
    const state = this.#locked ? 'locked' : 'unlocked';
    const waiters = this.#waiters.size > 0 ? `, waiters:${this.#waiters.size}` : '';
    return `<Lock [${state}${waiters}]>`;
  }

  #allWaitersCancelled(): boolean {
    for (const waiter of this.#waiters) if (!waiter.cancelled()) return false;
    return true;
  }

  #wakeUpFirst(): void {
    const waiter = first(this.#waiters);
    if (waiter !== null && !waiter.done()) waiter.setResult(true);
  }
}
