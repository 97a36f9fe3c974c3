import type { AbstractEventLoop, AbstractFuture } from '@tsio/core';

/**
 * Waits for native work through a loop future, as asyncio waits on an executor's future: a
 * task waiting here is cancelled at this await (a native promise cannot be cancelled), and
 * the result of work that completes after that is dropped.
 *
 * @param work - starts the work; called at once
 */
export async function throughFuture<T>(
  loop: AbstractEventLoop,
  work: () => PromiseLike<T>,
): Promise<T> {
  const future: AbstractFuture<T> = loop.createFuture<T>();
  work().then(
    (value) => {
      if (!future.done()) future.setResult(value);
    },
    (error: unknown) => {
      if (!future.done()) future.setException(error);
    },
  );
  return await future;
}
