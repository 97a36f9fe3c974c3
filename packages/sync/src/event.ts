import { _LoopBinding } from '@tsio/core';
import { _ListedWaiter, type Future } from '@tsio/futures';

/** What `Event.statistics()` reports. */
export interface EventStatistics {
  /** Tasks waiting for the event. */
  readonly waiters: number;
}

/**
 * A flag that tasks can wait for: `wait()` blocks until `set()` is called, and returns at once
 * while the event is set. `clear()` resets it.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * createTask(async () => {
 *   await ready.wait();
 *   console.log('go');
 * });
 * ready.set();
 * ```
 *
 * Python parity: `asyncio.Event`
 */
export class Event {
  readonly #waiters = new Set<Future<true>>();
  readonly #binding = new _LoopBinding();
  #value = false;

  /** True while the event is set. Python parity: `Event.is_set` */
  isSet(): boolean {
    return this.#value;
  }

  /**
   * Sets the event and wakes every waiting task. Does nothing if it is already set.
   *
   * Python parity: `Event.set`
   */
  set(): void {
    if (this.#value) return;
    this.#value = true;
    for (const waiter of this.#waiters) if (!waiter.done()) waiter.setResult(true);
  }

  /** Resets the event: later `wait()` calls block until `set()`. Python parity: `Event.clear` */
  clear(): void {
    this.#value = false;
  }

  /**
   * Resolves to true once the event is set, and at once if it is set already. Cancelling the
   * waiting task just removes it from the waiters.
   *
   * While the event is unset, this returns the waiter itself, a tsio `Future<true>` that
   * leaves the waiters when its awaiter resumes, rather than a `Promise`: it is awaitable and
   * has `then`, `catch` and `finally`, but it is no `instanceof Promise` (wrap it in
   * `Promise.resolve()` where a real `Promise` is needed). Returning the waiter instead of
   * awaiting it in an async function roughly halves what a waiting task costs in memory.
   * While the event is set, and on misuse, it returns a native promise (resolved with true, or
   * rejected with the error), as the async function did.
   *
   * @throws RuntimeError (as a rejected promise) "no running event loop", or if the event was
   *   used from another loop.
   *
   * Python parity: `Event.wait`
   */
  wait(): Promise<true> | Future<true> {
    // asyncio returns True without suspending while the event is set.
    if (this.#value) return Promise.resolve(true as const);
    let loop;
    try {
      loop = this.#binding.get(this);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return new _ListedWaiter<true>(loop, this.#waiters);
  }

  /** The number of waiting tasks. Python parity: none (tsio addition, like `Queue.qsize`) */
  statistics(): EventStatistics {
    return { waiters: this.#waiters.size };
  }

  /** `<Event [unset, waiters:1]>`. Python parity: `repr(Event)` */
  toString(): string {
    const state = this.#value ? 'set' : 'unset';
    const waiters = this.#waiters.size > 0 ? `, waiters:${this.#waiters.size}` : '';
    return `<Event [${state}${waiters}]>`;
  }
}
