import { QueueShutDown } from '@tsio/core';

/** What the iterator needs from a queue. */
interface Gettable<T> {
  get(): Promise<T>;
}

/**
 * The async iterator of a queue: each `next()` is a `get()`, and the iteration ends when
 * `get()` raises QueueShutDown (the queue is shut down and drained). A class rather than an
 * async generator so that `break` (`return()`) needs no pending `get()` to settle.
 */
export class QueueIterator<T> implements AsyncIterableIterator<T> {
  readonly #queue: Gettable<T>;
  #finished = false;

  constructor(queue: Gettable<T>) {
    this.#queue = queue;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return { done: true, value: undefined };
    try {
      return { done: false, value: await this.#queue.get() };
    } catch (error) {
      if (!(error instanceof QueueShutDown)) throw error;
      this.#finished = true;
      return { done: true, value: undefined };
    }
  }

  /** `break` out of `for await`: later `next()` calls report the end. */
  async return(): Promise<IteratorResult<T, undefined>> {
    this.#finished = true;
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
