import { _currentLoop, ValueError, type AbstractEventLoop, type Coro } from '@tsio/core';
import { Future, FUTURE_BRAND } from './future.js';
import { describe, isThenable } from './internal/describe.js';

/**
 * Tells whether `value` is a tsio Future (or Task), from any copy of this package.
 *
 * @example
 * ```ts
 * isFuture(createTask(() => sleep(1))); // true
 * isFuture(Promise.resolve(1)); // false: a plain promise
 * ```
 *
 * Python parity: `asyncio.isfuture`
 */
export function isFuture(value: unknown): value is Future<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as Record<symbol, unknown>)[FUTURE_BRAND] === true
  );
}

/**
 * Returns a Future for `value`: a Future or Task as it is; a coroutine function started as
 * a Task; any other promise or thenable awaited by a new Task.
 *
 * @throws ValueError if a Future is given with a `loop` it does not belong to.
 * @throws TypeError for anything that cannot be awaited.
 *
 * @example
 * ```ts
 * const fromPromise = ensureFuture(Promise.resolve(1)); // awaited by a new Task
 * const fromFunction = ensureFuture(() => sleep(0.1, 'done')); // started as a Task
 * fromFunction.cancel(); // a Future, so it can be cancelled
 * ```
 *
 * Python parity: `asyncio.ensure_future`
 */
export function ensureFuture<T>(
  value: PromiseLike<T> | Coro<T>,
  options: { loop?: AbstractEventLoop } = {},
): Future<T> {
  if (isFuture(value)) {
    if (options.loop !== undefined && value.getLoop() !== options.loop) {
      throw new ValueError(
        'The future belongs to a different loop than the one specified as the loop argument',
      );
    }
    return value as Future<T>;
  }
  const loop = options.loop ?? _currentLoop();
  if (typeof value === 'function') return loop.createTask(value) as unknown as Future<T>;
  if (isThenable(value)) {
    const awaitable = value;
    return loop.createTask(async () => await awaitable) as unknown as Future<T>;
  }
  throw new TypeError(
    `ensureFuture() expects a Future, a coroutine function or a promise, got ${describe(value)}`,
  );
}

/**
 * Wraps a promise (or any thenable) in a Future of `loop` that settles with it. Cancelling
 * the Future does not stop the promise's work; use an AbortSignal for that.
 *
 * @throws TypeError if `promise` is not a thenable.
 *
 * @example
 * ```ts
 * const future = wrapFuture(fetch(url));
 * future.addDoneCallback((f) => console.log('fetched:', !f.cancelled()));
 * const response = await future;
 * ```
 *
 * Python parity: `asyncio.wrap_future` (which wraps a `concurrent.futures.Future`)
 */
export function wrapFuture<T>(
  promise: PromiseLike<T>,
  options: { loop?: AbstractEventLoop } = {},
): Future<T> {
  if (isFuture(promise)) return promise as Future<T>;
  if (!isThenable(promise)) {
    throw new TypeError(`wrapFuture() expects a promise, got ${describe(promise)}`);
  }
  const future = new Future<T>(options.loop === undefined ? {} : { loop: options.loop });
  promise.then(
    (value) => {
      if (!future.done() && !future.getLoop().isClosed()) future.setResult(value);
    },
    (error: unknown) => {
      if (!future.done() && !future.getLoop().isClosed()) future.setException(error);
    },
  );
  return future;
}
