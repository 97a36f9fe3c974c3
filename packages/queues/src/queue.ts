import { QueueEmpty, QueueFull, QueueShutDown, ValueError, _LoopBinding } from '@tsio/core';
import { Future, _raisePendingCancellation, _suspendOn } from '@tsio/futures';
import { Event } from '@tsio/sync';
import { Deque } from './internal/deque.js';
import { QueueIterator } from './internal/queue-iterator.js';
import type { QueueStore } from './internal/queue-store.js';
import { readMaxsize, type QueueOptions } from './internal/read-maxsize.js';

export type { QueueOptions } from './internal/read-maxsize.js';

/**
 * A first-in, first-out queue for producer and consumer tasks, with backpressure (`put`
 * waits while `maxsize` items are queued), `join()` for "all work done", and `shutdown()`.
 *
 * The constructor takes `maxsize` (`new Queue(10)`) or an options object
 * (`new Queue({ maxsize: 10 })`); every queue class takes the same shape, and PriorityQueue
 * adds `comparator` to the object. `maxsize` 0 or less (the default) means no limit.
 *
 * Lossless under cancellation, as asyncio 3.13: a cancelled `get()` never takes an item, a
 * cancelled `put()` never adds one, and a waiter that was woken but cancelled before it
 * could act passes its wakeup to the next waiter.
 *
 * Async iteration (`for await (const item of queue)`) gets items until the queue is shut
 * down and drained. A consumer that uses `join()` calls `taskDone()` once per item it got,
 * after handling it (`try { handle(item) } finally { queue.taskDone() }`) — leaving the loop
 * with `break` does not count the item it broke on.
 *
 * @throws TypeError from the constructor when `maxsize` is not an integer.
 *
 * @example
 * ```ts
 * const queue = new Queue<number>(100);
 * const worker = createTask(async () => {
 *   for await (const n of queue) {
 *     console.log(n);
 *     queue.taskDone();
 *   }
 * });
 * for (let i = 0; i < 3; i++) await queue.put(i);
 * await queue.join(); // all three handled
 * queue.shutdown(); // ends the worker's loop
 * await worker;
 * ```
 *
 * Python parity: `asyncio.Queue`
 */
export class Queue<T> implements AsyncIterable<T> {
  readonly #maxsize: number;
  readonly #store: QueueStore<T>;
  readonly #getters = new Deque<Future<void>>(4);
  readonly #putters = new Deque<Future<void>>(4);
  readonly #finished = new Event();
  readonly #binding = new _LoopBinding();
  #unfinishedTasks = 0;
  #isShutdown = false;

  /** @param maxsize - the most items queued (0 or less: no limit), or `{ maxsize }` */
  constructor(maxsize: number | QueueOptions = 0) {
    this.#maxsize = readMaxsize(maxsize);
    this.#store = this._createStore(maxsize);
    this.#finished.set();
  }

  /** @internal Where the items live: what the subclasses change (asyncio's `_init`). */
  protected _createStore(_options: number | QueueOptions): QueueStore<T> {
    return new FifoStore<T>();
  }

  /** The most items the queue holds; 0 or less means no limit. Python parity: `Queue.maxsize` */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** The number of items in the queue. Python parity: `Queue.qsize` */
  qsize(): number {
    return this.#store.size;
  }

  /** True when the queue holds no item. Python parity: `Queue.empty` */
  empty(): boolean {
    return this.#store.size === 0;
  }

  /**
   * True when the queue holds `maxsize` items (never for an unbounded queue).
   *
   * Python parity: `Queue.full`
   */
  full(): boolean {
    return this.#maxsize > 0 && this.#store.size >= this.#maxsize;
  }

  /**
   * Adds `item`, first waiting while the queue is full; putters waiting together go in the
   * order they came. Cancelled while waiting, it adds nothing.
   *
   * @throws QueueShutDown if the queue is shut down (also while waiting).
   * @throws RuntimeError "no running event loop" when it has to wait outside a loop, or when
   *   the queue was used from another loop.
   * @example
   * ```ts
   * await queue.put('job'); // waits while the queue is full
   * ```
   *
   * Python parity: `Queue.put`
   */
  async put(item: T): Promise<void> {
    while (this.full()) {
      if (this.#isShutdown) throw shutDown();
      const putter = new Future<void>({ loop: this.#binding.get(this) });
      this.#putters.pushBack(putter);
      try {
        await _suspendOn(putter);
        _raisePendingCancellation();
      } catch (error) {
        putter.cancel(); // in case the putter itself is still pending
        this.#putters.remove(putter); // absent if a get or shutdown already took it out
        // Woken by a get (the putter is done, not cancelled) but cancelled before we could
        // use the free slot: hand the wakeup to the next putter, so no slot goes unused.
        if (!this.full() && !putter.cancelled()) this.#wakeupNext(this.#putters);
        throw error;
      }
    }
    this.putNowait(item);
  }

  /**
   * Adds `item` without waiting.
   *
   * @throws QueueShutDown if the queue is shut down.
   * @throws QueueFull if the queue holds `maxsize` items.
   * @example
   * ```ts
   * queue.putNowait('job');
   * ```
   *
   * Python parity: `Queue.put_nowait`
   */
  putNowait(item: T): void {
    if (this.#isShutdown) throw shutDown();
    if (this.full()) throw new QueueFull(`the queue is full (maxsize ${this.#maxsize})`);
    this.#store.push(item);
    this.#unfinishedTasks += 1;
    this.#finished.clear();
    this.#wakeupNext(this.#getters);
  }

  /**
   * Removes and returns the next item, first waiting while the queue is empty. Cancelled
   * while waiting, it takes no item.
   *
   * @throws QueueShutDown once the queue is shut down and empty (at once after
   *   `shutdown(true)`), also while waiting.
   * @throws RuntimeError "no running event loop" when it has to wait outside a loop, or when
   *   the queue was used from another loop.
   * @example
   * ```ts
   * const job = await queue.get();
   * ```
   *
   * Python parity: `Queue.get`
   */
  async get(): Promise<T> {
    while (this.#store.size === 0) {
      if (this.#isShutdown) throw shutDown();
      const getter = new Future<void>({ loop: this.#binding.get(this) });
      this.#getters.pushBack(getter);
      try {
        await _suspendOn(getter);
        _raisePendingCancellation();
      } catch (error) {
        getter.cancel(); // in case the getter itself is still pending
        this.#getters.remove(getter); // absent if a put or shutdown already took it out
        // Woken by a put but cancelled before we could take the item: wake the next getter,
        // so the item does not sit in the queue while someone waits for it.
        if (this.#store.size > 0 && !getter.cancelled()) this.#wakeupNext(this.#getters);
        throw error;
      }
    }
    return this.getNowait();
  }

  /**
   * Removes and returns the next item without waiting.
   *
   * @throws QueueShutDown if the queue is shut down and empty.
   * @throws QueueEmpty if the queue is empty.
   * @example
   * ```ts
   * if (!queue.empty()) handle(queue.getNowait());
   * ```
   *
   * Python parity: `Queue.get_nowait`
   */
  getNowait(): T {
    if (this.#store.size === 0) {
      if (this.#isShutdown) throw shutDown();
      throw new QueueEmpty('the queue is empty');
    }
    const item = this.#store.pop();
    this.#wakeupNext(this.#putters);
    return item;
  }

  /**
   * Tells the queue that one item got from it has been handled; `join()` returns once every
   * item put has been handled.
   *
   * @throws ValueError "taskDone() called too many times" when called more times than items
   *   were put.
   * @example
   * ```ts
   * const job = await queue.get();
   * try {
   *   await handle(job);
   * } finally {
   *   queue.taskDone();
   * }
   * ```
   *
   * Python parity: `Queue.task_done`
   */
  taskDone(): void {
    if (this.#unfinishedTasks <= 0) throw new ValueError('taskDone() called too many times');
    this.#unfinishedTasks -= 1;
    if (this.#unfinishedTasks === 0) this.#finished.set();
  }

  /**
   * Waits until every item put has been got and handled (`taskDone()` called for it);
   * returns at once when there is none.
   *
   * @throws RuntimeError "no running event loop" when it has to wait outside a loop, or when
   *   the queue was used from another loop.
   * @example
   * ```ts
   * for (const job of ['a', 'b', 'c']) queue.putNowait(job);
   * await queue.join();
   * ```
   *
   * Python parity: `Queue.join`
   */
  async join(): Promise<void> {
    if (this.#unfinishedTasks === 0) return;
    this.#binding.get(this);
    await this.#finished.wait();
  }

  /**
   * Shuts the queue down: `put` and `putNowait` raise QueueShutDown from now on, and `get`
   * and `getNowait` once the queue is empty. With `immediate`, the queued items are dropped
   * (each counted as done for `join()`) so getters raise at once. Every waiting getter and
   * putter is woken to see the new state. Calling it again does no harm.
   *
   * @example
   * ```ts
   * queue.shutdown(); // consumers drain what is queued, then stop
   * ```
   *
   * Python parity: `Queue.shutdown`
   */
  shutdown(immediate = false): void {
    this.#isShutdown = true;
    if (immediate) {
      // asyncio pops the items one by one, counting each as done; clearing does the same
      // without calling a PriorityQueue comparator that might throw.
      this.#unfinishedTasks = Math.max(0, this.#unfinishedTasks - this.#store.size);
      this.#store.clear();
      if (this.#unfinishedTasks === 0) this.#finished.set();
    }
    wakeAll(this.#getters);
    wakeAll(this.#putters);
  }

  /**
   * Gets items until the queue is shut down and drained (the loop then ends). Call
   * `taskDone()` for each item if anyone `join()`s the queue.
   *
   * @throws RuntimeError from `get()`; a cancellation ends the loop with CancelledError.
   * @example
   * ```ts
   * for await (const job of queue) {
   *   await handle(job);
   *   queue.taskDone();
   * }
   * ```
   *
   * Python parity: none (tsio addition; Python loops on `await queue.get()` until `QueueShutDown`)
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new QueueIterator<T>(this);
  }

  /** `<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>`. Python parity: `str(Queue)` */
  toString(): string {
    let text = `maxsize=${this.#maxsize}`;
    if (this.#store.size > 0) text += ` _queue=[${[...this.#store].map(describe).join(', ')}]`;
    if (this.#getters.size > 0) text += ` _getters[${this.#getters.size}]`;
    if (this.#putters.size > 0) text += ` _putters[${this.#putters.size}]`;
    if (this.#unfinishedTasks > 0) text += ` tasks=${this.#unfinishedTasks}`;
    if (this.#isShutdown) text += ' shutdown';
    return `<${this.constructor.name} ${text}>`;
  }

  /** Wakes the first waiter that is still waiting (asyncio's `_wakeup_next`). */
  #wakeupNext(waiters: Deque<Future<void>>): void {
    while (waiters.size > 0) {
      const waiter = waiters.popFront();
      if (!waiter.done()) {
        waiter.setResult(undefined);
        return;
      }
    }
  }
}

/** The store of a Queue: a ring-buffer deque, first in, first out. */
class FifoStore<T> extends Deque<T> implements QueueStore<T> {
  push(item: T): void {
    this.pushBack(item);
  }

  pop(): T {
    return this.popFront();
  }
}

function wakeAll(waiters: Deque<Future<void>>): void {
  while (waiters.size > 0) {
    const waiter = waiters.popFront();
    if (!waiter.done()) waiter.setResult(undefined);
  }
}

function shutDown(): QueueShutDown {
  return new QueueShutDown('the queue is shut down');
}

function describe(item: unknown): string {
  if (typeof item === 'string') return JSON.stringify(item);
  if (Array.isArray(item)) return `[${item.map(describe).join(', ')}]`;
  return String(item);
}
