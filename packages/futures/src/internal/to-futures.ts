import { _currentLoop, ValueError, type AbstractEventLoop } from '@tsio/core';
import { ensureFuture, isFuture } from '../ensure-future.js';
import { Task } from '../task.js';
import type { Future } from '../future.js';
import { describe, isThenable } from './describe.js';

/** True for what the combinators accept: a tsio Future or Task, a thenable, or a function. */
export function isAwaitableArg(value: unknown): boolean {
  return typeof value === 'function' || isThenable(value);
}

/**
 * Throws the TypeError for a value the combinators cannot await. `where` names the API
 * (`'gather()'`), `what` the argument (`'argument 2'`, `'aws[1]'`), `hint` ends the message.
 */
export function notAwaitable(value: unknown, where: string, what: string, hint = ''): TypeError {
  return new TypeError(
    `${where}: ${what} is not awaitable (got ${describe(value)}); pass a Future, a Task, ` +
      `a promise or a coroutine function${hint}`,
  );
}

/** What `toFutures` returns: one future per item (duplicates share one), the distinct ones, and their loop. */
export interface CollectedFutures {
  readonly perItem: Future<unknown>[];
  readonly distinct: Future<unknown>[];
  readonly loop: AbstractEventLoop;
}

/**
 * Turns `items` into futures of one loop, as asyncio's `ensure_future(arg, loop=loop)` loop
 * in gather/as_completed does, with one change: everything is checked before the first task
 * starts, so bad input throws without leaving a task behind (asyncio bpo-46672 leaks them).
 *
 * The loop is the current one when some item needs a new Task; otherwise the first
 * future's. The same object given twice maps to one future (asyncio's `arg_to_fut`).
 *
 * @throws TypeError naming the first item that cannot be awaited.
 * @throws ValueError when a future belongs to another loop.
 */
export function toFutures(
  items: readonly unknown[],
  where: string,
  name: (index: number) => string,
  hint = '',
): CollectedFutures {
  let firstFuture = -1;
  let needsTask = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isFuture(item)) {
      if (firstFuture < 0) firstFuture = i;
    } else if (isAwaitableArg(item)) {
      needsTask = true;
    } else {
      throw notAwaitable(item, where, name(i), hint);
    }
  }
  const loop =
    needsTask || firstFuture < 0
      ? _currentLoop()
      : (items[firstFuture] as Future<unknown>).getLoop();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isFuture(item) && item.getLoop() !== loop) {
      throw new ValueError(
        `${where}: ${name(i)} belongs to a different event loop than ` +
          (needsTask ? 'the current one' : name(firstFuture)),
      );
    }
  }
  const perItem: Future<unknown>[] = [];
  const distinct: Future<unknown>[] = [];
  const seen = new Map<unknown, Future<unknown>>();
  for (const item of items) {
    let future = seen.get(item);
    if (future === undefined) {
      future = ensureFuture(item as PromiseLike<unknown>, { loop });
      // A task made here for a function or promise is out of the caller's hands: as asyncio
      // does, do not report it if it is collected while pending (debug mode).
      if (future !== item && future instanceof Task) future._disableDestroyPendingReport();
      seen.set(item, future);
      distinct.push(future);
    }
    perItem.push(future);
  }
  return { perItem, distinct, loop };
}
