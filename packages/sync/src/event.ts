import { _LoopBinding } from '@tsio/core';
import { Future } from '@tsio/futures';

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
   * Resolves to true once the event is set (at once if it is). Cancelling the waiting task
   * just removes it from the waiters.
   *
   * @throws RuntimeError "no running event loop", or if the event was used from another loop.
   *
   * Python parity: `Event.wait`
   */
  async wait(): Promise<true> {
    if (this.#value) return true;
    const waiter = new Future<true>({ loop: this.#binding.get(this) });
    this.#waiters.add(waiter);
    try {
      return await waiter;
    } finally {
      this.#waiters.delete(waiter);
    }
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
