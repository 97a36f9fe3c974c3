import { isCancelledError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { Future } from '@tsio/futures';
import { describeValue } from './checks.js';

/**
 * Wraps an executor's promise in a Future of `loop`, as asyncio's `wrap_future` chains a
 * `concurrent.futures.Future` to an asyncio one, in both directions:
 * - the promise's result or error settles the Future; a rejection with CancelledError
 *   cancels it (a cancelled concurrent future cancels its asyncio wrapper);
 * - cancelling the Future calls the promise's `cancel()` method when it has one (as
 *   `WorkerPoolExecutor`'s promises do), so the job is dropped or told to stop.
 *
 * @throws TypeError if `submit()` returned something that is not a promise.
 * @internal
 */
export function executorFuture<R>(promise: PromiseLike<R>, loop: AbstractEventLoop): Future<R> {
  if (
    promise === null ||
    typeof promise !== 'object' ||
    typeof (promise as { then?: unknown }).then !== 'function'
  ) {
    throw new TypeError(`executor.submit() must return a promise, got ${describeValue(promise)}`);
  }
  const future = new Future<R>({ loop });
  promise.then(
    (value) => {
      if (!future.done() && !loop.isClosed()) future.setResult(value);
    },
    (error: unknown) => {
      if (future.done() || loop.isClosed()) return;
      if (isCancelledError(error)) future.cancel();
      else future.setException(error);
    },
  );
  const cancel = (promise as { cancel?: unknown }).cancel;
  if (typeof cancel === 'function') {
    future.addDoneCallback((done) => {
      if (done.cancelled()) cancel.call(promise);
    });
  }
  return future;
}
