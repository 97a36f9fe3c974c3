import { isCancelledError, RuntimeError, _LoopBinding } from '@tsio/core';
import { Future, _raisePendingCancellation, _suspendOn } from '@tsio/futures';
import { Guard } from './internal/guard.js';
import type { Waiters } from './internal/waiters.js';
import { Lock } from './lock.js';

/** What `Condition.statistics()` reports. */
export interface ConditionStatistics {
  /** True while the underlying lock is held. */
  readonly locked: boolean;
  /** Tasks waiting in `wait()` to be notified. */
  readonly waiters: number;
}

/**
 * A condition variable: tasks holding its lock wait until another task notifies them. It owns
 * a new `Lock` unless one is given (several conditions may share a lock).
 *
 * @example
 * ```ts
 * const cond = new Condition();
 * const items: string[] = [];
 * createTask(async () => {
 *   await using _ = await cond.hold();
 *   await cond.waitFor(() => items.length > 0);
 *   console.log(items.pop());
 * });
 * {
 *   await using _ = await cond.hold();
 *   items.push('job');
 *   cond.notify();
 * }
 * ```
 *
 * Python parity: `asyncio.Condition`
 */
export class Condition {
  readonly #lock: Lock;
  readonly #waiters: Waiters<boolean> = new Set();
  readonly #binding = new _LoopBinding();

  /** @param lock the lock to use (default: a new `Lock`). */
  constructor(lock?: Lock) {
    this.#lock = lock ?? new Lock();
  }

  /** True while the underlying lock is held. Python parity: `Condition.locked` */
  locked(): boolean {
    return this.#lock.locked();
  }

  /**
   * Acquires the underlying lock, as `Lock.acquire()`.
   *
   * @throws CancelledError when the waiting task is cancelled.
   *
   * Python parity: `Condition.acquire`
   */
  acquire(): Promise<true> {
    return this.#lock.acquire();
  }

  /**
   * Releases the underlying lock, as `Lock.release()`.
   *
   * @throws RuntimeError "Lock is not acquired." when the lock is not held.
   *
   * Python parity: `Condition.release`
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Acquires the underlying lock and returns a guard whose disposal releases it exactly once,
   * for `await using _ = await cond.hold()`.
   *
   * @throws CancelledError when the waiting task is cancelled.
   * @example
   * ```ts
   * await using _ = await cond.hold();
   * cond.notifyAll();
   * ```
   *
   * Python parity: `async with condition`
   */
  async hold(): Promise<AsyncDisposable & Disposable> {
    await this.#lock.acquire();
    return new Guard(() => this.#lock.release());
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock and resolves to true. The
   * lock is held again when it returns or throws, even when the task is cancelled: the
   * CancelledError is thrown after the lock is re-acquired, and a notification this waiter
   * received is passed on to the next waiter. Wakeups may be spurious: re-check the state (or
   * use `waitFor`).
   *
   * @throws RuntimeError "cannot wait on un-acquired lock" when the lock is not held.
   * @throws CancelledError when the task is cancelled while waiting (the lock is held again).
   *
   * Python parity: `Condition.wait`
   */
  async wait(): Promise<true> {
    if (!this.locked()) throw new RuntimeError('cannot wait on un-acquired lock');
    const waiter = new Future<boolean>({ loop: this.#binding.get(this) });
    this.#lock.release();
    try {
      try {
        this.#waiters.add(waiter);
        try {
          await _suspendOn(waiter);
          _raisePendingCancellation();
          return true;
        } finally {
          this.#waiters.delete(waiter);
        }
      } finally {
        await this.#reacquire();
      }
    } catch (e) {
      // asyncio: whoever leaves with an error passes a notification on, so none is lost.
      this.#notify(1);
      throw e;
    }
  }

  /**
   * Waits until `predicate()` is truthy, calling it first at once and then after each wakeup,
   * and resolves to its last value. The lock must be held.
   *
   * @throws RuntimeError "cannot wait on un-acquired lock" when it must wait and the lock is
   *   not held.
   * @throws CancelledError when the task is cancelled while waiting (the lock is held again).
   * @example
   * ```ts
   * const items: string[] = []; // other tasks push to it, then call cond.notify()
   * await using _ = await cond.hold();
   * const item = await cond.waitFor(() => items.pop());
   * ```
   *
   * Python parity: `Condition.wait_for`
   */
  async waitFor<T>(predicate: () => T): Promise<T> {
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiting tasks (default 1). They return from `wait()` once they have
   * re-acquired the lock, so the caller should release it.
   *
   * @throws RuntimeError "cannot notify on un-acquired lock" when the lock is not held.
   *
   * Python parity: `Condition.notify`
   */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError('cannot notify on un-acquired lock');
    this.#notify(n);
  }

  /**
   * Wakes every waiting task.
   *
   * @throws RuntimeError "cannot notify on un-acquired lock" when the lock is not held.
   *
   * Python parity: `Condition.notify_all`
   */
  notifyAll(): void {
    this.notify(this.#waiters.size);
  }

  /**
   * Whether the lock is held and how many tasks wait to be notified. Python parity: none (tsio
   * addition)
   */
  statistics(): ConditionStatistics {
    return { locked: this.locked(), waiters: this.#waiters.size };
  }

  /** `<Condition [locked, waiters:1]>`. Python parity: `repr(Condition)` */
  toString(): string {
    const state = this.locked() ? 'locked' : 'unlocked';
    const waiters = this.#waiters.size > 0 ? `, waiters:${this.#waiters.size}` : '';
    return `<Condition [${state}${waiters}]>`;
  }

  /**
   * asyncio 3.13: re-acquire even if cancelled again meanwhile, then re-throw the latest
   * CancelledError (a non-cancellation error from acquire is not expected and propagates).
   */
  async #reacquire(): Promise<void> {
    let cancelled: unknown = null;
    for (;;) {
      try {
        await this.#lock.acquire();
        break;
      } catch (e) {
        if (!isCancelledError(e)) throw e;
        cancelled = e;
      }
    }
    if (cancelled !== null) throw cancelled;
  }

  #notify(n: number): void {
    let woken = 0;
    for (const waiter of this.#waiters) {
      if (woken >= n) break;
      if (!waiter.done()) {
        woken += 1;
        waiter.setResult(false);
      }
    }
  }
}
