import {
  copyContext,
  TimeoutError,
  type AbstractEventLoop,
  type Awaitable,
  type Coro,
  type TimerHandle,
} from '@tsio/core';
import type { Future } from './future.js';
import type { GatherValue } from './gather.js';
import type { Task } from './task.js';
import { CompletionQueue, type Completion } from './internal/completion-queue.js';
import { describe, isThenable } from './internal/describe.js';
import { toFutures } from './internal/to-futures.js';

/**
 * A done Future or Task as `for await (... of asCompleted(...))` yields it: the object itself,
 * typed without `then`, `catch` and `finally`. TypeScript types the element of a `for await`
 * loop as the awaited value of a thenable (though JavaScript does not await it), so a
 * thenable type would claim the loop variable is the result. Read the outcome with
 * `result()` (the future is done) and compare it with `===` to the tasks you passed.
 */
export type FinishedFuture<F extends Future<unknown>> = Omit<F, 'then' | 'catch' | 'finally'>;

/** What async iteration yields for an argument: the Future itself, or the Task made for it. */
export type FinishedOf<A> =
  A extends Future<unknown> ? FinishedFuture<A> : FinishedFuture<Task<GatherValue<A>>>;

/** Options of `asCompleted(aws, options)`. */
export interface AsCompletedOptions {
  /**
   * Seconds after which the awaitables not done yet are reported as a TimeoutError (`null`
   * or absent: no limit). They are not cancelled.
   */
  timeout?: number | null;
}

/**
 * Runs awaitables concurrently and hands them back in the order they finish.
 *
 * `for await (const task of asCompleted(aws))` yields the finished Futures and Tasks
 * themselves: the very objects you passed when they are Futures or Tasks, and the Tasks
 * created for coroutine functions and promises. `for (const next of asCompleted(aws))`
 * yields awaitables: the first one awaited resolves to the result (or throws the error) of
 * the first awaitable to finish, the next one awaited to the next, and so on, whatever order
 * they were obtained in. Both forms can be resumed after a `break`. The futures of async
 * iteration are typed `FinishedFuture` (without `then`): TypeScript would otherwise type the
 * loop variable as their result; read them with `result()`.
 *
 * With `timeout`, once it expires every later step throws TimeoutError (the `for await`
 * loop, or the awaitable of plain iteration); the awaitables that were not done keep running.
 *
 * Coroutine functions and promises are wrapped in Tasks at once, when `asCompleted` is called;
 * duplicates count once.
 *
 * @throws TypeError if `aws` is itself an awaitable or not iterable, naming the element that
 *   cannot be awaited, or if `timeout` is not a number.
 * @throws ValueError if the futures belong to different loops.
 * @throws RuntimeError "no running event loop" when a Task must be created and no loop is
 *   current.
 *
 * @example
 * ```ts
 * const mirrorA = createTask(() => download('https://a.example/file'), { name: 'a' });
 * const mirrorB = createTask(() => download('https://b.example/file'), { name: 'b' });
 * for await (const task of asCompleted([mirrorA, mirrorB], { timeout: 10 })) {
 *   console.log(task.getName(), task.result()); // done: result() returns or throws
 * }
 * for (const next of asCompleted(urls.map((u) => () => download(u)))) console.log(await next);
 * ```
 *
 * Python parity: `asyncio.as_completed`
 */
export function asCompleted<A extends Awaitable<unknown> | Coro<unknown>>(
  aws: Iterable<A>,
  options: AsCompletedOptions = {},
): AsCompletedIterator<GatherValue<A>, FinishedOf<A>> {
  if (isThenable(aws) || typeof aws === 'function') {
    throw new TypeError(`asCompleted() expects an iterable of awaitables, not ${describe(aws)}`);
  }
  if (aws === null || typeof aws !== 'object' || typeof aws[Symbol.iterator] !== 'function') {
    throw new TypeError(`asCompleted() expects an iterable of awaitables, got ${describe(aws)}`);
  }
  const timeout = options.timeout ?? null;
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError(
      `asCompleted(): timeout must be a number of seconds or null, got ${describe(timeout)}`,
    );
  }
  const items = [...aws];
  if (items.length === 0) return new AsCompletedIterator([], null, null);
  const { distinct, loop } = toFutures(items, 'asCompleted()', (i) => `aws[${i}]`);
  return new AsCompletedIterator(distinct as Future<GatherValue<A>>[], loop, timeout);
}

/**
 * What `asCompleted` returns: iterable (awaitables in completion order) and async iterable
 * (the finished Futures and Tasks).
 *
 * Python parity: `asyncio.tasks._AsCompletedIterator`
 */
export class AsCompletedIterator<T, F = FinishedFuture<Future<T>>>
  implements Iterable<PromiseLike<T>>, AsyncIterable<F>
{
  readonly #todo: Set<Future<T>>;
  readonly #queue: CompletionQueue<T> | null;
  #left: number;
  #timer: TimerHandle | null = null;
  readonly #onCompletion = (future: Future<T>): void => this.#handleCompletion(future);

  /** @internal Use `asCompleted()`. */
  constructor(futures: Future<T>[], loop: AbstractEventLoop | null, timeout: number | null) {
    this.#todo = new Set(futures);
    this.#left = futures.length;
    this.#queue = loop === null ? null : new CompletionQueue<T>(loop);
    const context = copyContext();
    for (const future of futures) future.addDoneCallback(this.#onCompletion, { context });
    if (loop !== null && timeout !== null) {
      this.#timer = loop.callLater(timeout, () => this.#handleTimeout());
    }
  }

  /** Plain iteration: awaitables that settle in completion order. */
  [Symbol.iterator](): Iterator<PromiseLike<T>, undefined> {
    return {
      next: (): IteratorResult<PromiseLike<T>, undefined> => {
        if (this.#left === 0 || this.#queue === null) return { done: true, value: undefined };
        this.#left -= 1;
        return { done: false, value: new NextCompletion(this.#queue) };
      },
    };
  }

  /** Async iteration: each Future or Task once it is done. */
  [Symbol.asyncIterator](): AsyncIterator<F, undefined> {
    return { next: () => this.#nextFinished() };
  }

  async #nextFinished(): Promise<IteratorResult<F, undefined>> {
    if (this.#left === 0 || this.#queue === null) return { done: true, value: undefined };
    this.#left -= 1;
    const completion = await this.#queue.take();
    if (completion === null) throw timedOut();
    return { done: false, value: completion.future as F };
  }

  #handleCompletion(future: Future<T>): void {
    if (this.#todo.size === 0) return; // the timeout came first
    this.#todo.delete(future);
    this.#queue?.put({ future });
    if (this.#todo.size === 0) this.#timer?.cancel();
  }

  #handleTimeout(): void {
    for (const future of this.#todo) {
      future.removeDoneCallback(this.#onCompletion);
      this.#queue?.put(null);
    }
    this.#todo.clear();
  }
}

function timedOut(): TimeoutError {
  return new TimeoutError('asCompleted() timed out before every awaitable was done');
}

/**
 * An awaitable of plain iteration. It takes its completion from the queue only when first
 * awaited, so the first one awaited gets the first completion (asyncio's coroutines behave
 * so: they start when awaited), and a cancelled await consumes nothing.
 */
class NextCompletion<T> implements PromiseLike<T> {
  #promise: Promise<T> | null = null;

  constructor(readonly queue: CompletionQueue<T>) {}

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    // Called in the awaiting task's frame: the queue's Future becomes the task's waiter.
    this.#promise ??= resultOf(this.queue.take());
    return this.#promise.then(onFulfilled, onRejected);
  }
}

async function resultOf<T>(next: Future<Completion<T>>): Promise<T> {
  const completion = await next;
  if (completion === null) throw timedOut();
  return completion.future.result();
}
