import { BrokenBarrierError, ValueError } from '@tsio/core';
import { Condition } from './condition.js';

/**
 * The phase of a `Barrier`: `filling` while tasks arrive, `draining` while the released tasks
 * leave, `resetting` while waiters leave after `reset()`, `broken` after `abort()`.
 *
 * Python parity: `asyncio.locks._BarrierState`
 */
export type BarrierState = 'filling' | 'draining' | 'resetting' | 'broken';

/** What `Barrier.statistics()` reports. */
export interface BarrierStatistics {
  /** The number of tasks needed to pass the barrier. */
  readonly parties: number;
  /** Tasks waiting for the barrier to fill (0 unless it is filling). */
  readonly nWaiting: number;
  /** The barrier's phase. */
  readonly state: BarrierState;
}

/**
 * A meeting point for a fixed number of tasks: each `wait()` blocks until `parties` tasks are
 * waiting, then all of them go on together. The barrier can be used again afterwards.
 *
 * @example
 * ```ts
 * const barrier = new Barrier(3);
 * for (const name of ['a', 'b', 'c']) {
 *   createTask(async () => {
 *     const index = await barrier.wait(); // 0, 1 and 2 in arrival order
 *     console.log(name, 'passed as', index);
 *   });
 * }
 * ```
 *
 * Python parity: `asyncio.Barrier`
 */
export class Barrier {
  readonly #cond = new Condition();
  readonly #parties: number;
  #state: BarrierState = 'filling';
  #count = 0;

  /**
   * @param parties the number of tasks that must wait for the barrier to open.
   * @throws TypeError when `parties` is not an integer.
   * @throws ValueError "parties must be > 0" when `parties` is less than 1.
   */
  constructor(parties: number) {
    if (typeof parties !== 'number' || !Number.isInteger(parties)) {
      throw new TypeError(`Barrier() expects an integer number of parties, got ${String(parties)}`);
    }
    if (parties < 1) throw new ValueError('parties must be > 0');
    this.#parties = parties;
  }

  /**
   * Waits until `parties` tasks are waiting and resolves to this task's arrival index, from 0
   * to `parties - 1`. A task arriving while the barrier drains or resets waits for that to end
   * first.
   *
   * @throws BrokenBarrierError "Barrier aborted" when the barrier is broken on arrival, and
   *   "Abort or reset of barrier" when it is reset or aborted while this task waits.
   * @throws CancelledError when the task is cancelled while waiting.
   *
   * Python parity: `Barrier.wait`
   */
  async wait(): Promise<number> {
    await this.#cond.acquire();
    try {
      await this.#block();
      const index = this.#count;
      this.#count += 1;
      try {
        if (index + 1 === this.#parties) this.#release();
        else await this.#wait();
        return index;
      } finally {
        this.#count -= 1;
        this.#exit();
      }
    } finally {
      this.#cond.release();
    }
  }

  /**
   * Returns the barrier to the filling state; tasks waiting on it get BrokenBarrierError.
   *
   * @throws CancelledError when the task is cancelled while taking the barrier's lock.
   *
   * Python parity: `Barrier.reset`
   */
  async reset(): Promise<void> {
    await this.#cond.acquire();
    try {
      this.#state = this.#count > 0 ? 'resetting' : 'filling';
      this.#cond.notifyAll();
    } finally {
      this.#cond.release();
    }
  }

  /**
   * Breaks the barrier: waiting tasks and later `wait()` calls get BrokenBarrierError until
   * `reset()`.
   *
   * @throws CancelledError when the task is cancelled while taking the barrier's lock.
   *
   * Python parity: `Barrier.abort`
   */
  async abort(): Promise<void> {
    await this.#cond.acquire();
    try {
      this.#state = 'broken';
      this.#cond.notifyAll();
    } finally {
      this.#cond.release();
    }
  }

  /** The number of tasks needed to pass the barrier. Python parity: `Barrier.parties` */
  get parties(): number {
    return this.#parties;
  }

  /** Tasks waiting for the barrier to fill. Python parity: `Barrier.n_waiting` */
  get nWaiting(): number {
    return this.#state === 'filling' ? this.#count : 0;
  }

  /** True after `abort()` until `reset()`. Python parity: `Barrier.broken` */
  get broken(): boolean {
    return this.#state === 'broken';
  }

  /** Parties, waiting tasks and phase. Python parity: none (tsio addition) */
  statistics(): BarrierStatistics {
    return { parties: this.#parties, nWaiting: this.nWaiting, state: this.#state };
  }

  /** `<Barrier [filling, waiters:1/3]>`. Python parity: `repr(Barrier)` */
  toString(): string {
    const waiters = this.broken ? '' : `, waiters:${this.nWaiting}/${this.#parties}`;
    return `<Barrier [${this.#state}${waiters}]>`;
  }

  /** Waits while the barrier drains or resets, then fails if it is broken. */
  async #block(): Promise<void> {
    await this.#cond.waitFor(() => this.#state !== 'draining' && this.#state !== 'resetting');
    if (this.#state === 'broken') throw new BrokenBarrierError('Barrier aborted');
  }

  /** The last party arrived: let everyone go. */
  #release(): void {
    this.#state = 'draining';
    this.#cond.notifyAll();
  }

  /** Waits for the barrier to fill, failing if it is reset or aborted meanwhile. */
  async #wait(): Promise<void> {
    await this.#cond.waitFor(() => this.#state !== 'filling');
    if (this.#state === 'broken' || this.#state === 'resetting') {
      throw new BrokenBarrierError('Abort or reset of barrier');
    }
  }

  /** The last task to leave ends draining or resetting and wakes tasks blocked on it. */
  #exit(): void {
    if (this.#count !== 0) return;
    if (this.#state === 'resetting' || this.#state === 'draining') this.#state = 'filling';
    this.#cond.notifyAll();
  }
}
