import type { AbstractEventLoop } from '@tsio/core';
import { Future } from '../future.js';

/**
 * A finished future, boxed so that settling a Future with it does not adopt the future's
 * result (a Future is a thenable); `null` stands for "the timeout expired".
 */
export type Completion<T> = { readonly future: Future<T> } | null;

/**
 * The unbounded queue between `asCompleted`'s done callbacks and its readers (asyncio uses an
 * `asyncio.Queue`). A reader gets a Future that settles with the next completion; a reader
 * whose Future was cancelled (its task was cancelled) is skipped, so no completion is lost.
 */
export class CompletionQueue<T> {
  readonly #loop: AbstractEventLoop;
  #items: Completion<T>[] = [];
  #itemsHead = 0;
  #readers: Future<Completion<T>>[] = [];
  #readersHead = 0;

  constructor(loop: AbstractEventLoop) {
    this.#loop = loop;
  }

  /** A Future of the next completion: already settled if one is queued. */
  take(): Future<Completion<T>> {
    const reader = new Future<Completion<T>>({ loop: this.#loop });
    if (this.#itemsHead < this.#items.length) {
      const item = this.#items[this.#itemsHead] as Completion<T>;
      this.#items[this.#itemsHead++] = null;
      if (this.#itemsHead === this.#items.length) {
        this.#items = [];
        this.#itemsHead = 0;
      }
      reader.setResult(item);
    } else {
      this.#readers.push(reader);
    }
    return reader;
  }

  /** Hands `item` to the oldest reader still waiting, or queues it. */
  put(item: Completion<T>): void {
    while (this.#readersHead < this.#readers.length) {
      const reader = this.#readers[this.#readersHead++] as Future<Completion<T>>;
      if (this.#readersHead === this.#readers.length) {
        this.#readers = [];
        this.#readersHead = 0;
      }
      if (!reader.done()) {
        reader.setResult(item);
        return;
      }
    }
    this.#items.push(item);
  }
}
