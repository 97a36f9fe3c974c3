import { copyContext, getRunningLoop, ValueError, type TimerHandle } from '@tsio/core';
import { Future } from './future.js';
import { _suspendOn } from './suspend-on.js';
import { isFuture } from './ensure-future.js';
import { describe, isThenable } from './internal/describe.js';

/**
 * `wait()` returns when any future finishes or is cancelled.
 *
 * @example
 * ```ts
 * const [done, pending] = await wait(tasks, { returnWhen: FIRST_COMPLETED });
 * ```
 *
 * Python parity: `asyncio.FIRST_COMPLETED`
 */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/**
 * `wait()` returns when any future fails with an error (not a cancellation), or when all
 * are done.
 *
 * @example
 * ```ts
 * const [done, pending] = await wait(tasks, { returnWhen: FIRST_EXCEPTION });
 * ```
 *
 * Python parity: `asyncio.FIRST_EXCEPTION`
 */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/**
 * `wait()` returns when all futures are done (the default).
 *
 * @example
 * ```ts
 * const [done] = await wait(tasks, { returnWhen: ALL_COMPLETED, timeout: 10 });
 * ```
 *
 * Python parity: `asyncio.ALL_COMPLETED`
 */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** When `wait()` returns: one of `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of `wait(fs, options)`. */
export interface WaitOptions {
  /** Seconds to wait at most (`null`/absent: no limit). On timeout nothing is cancelled. */
  timeout?: number | null;
  /** When to return (default `ALL_COMPLETED`). */
  returnWhen?: ReturnWhen;
}

/**
 * Waits for Futures and Tasks until the `returnWhen` condition holds or `timeout` seconds
 * pass, and resolves to `[done, pending]`: two Sets of the given futures. It never throws
 * their errors and never cancels anything, even on timeout: what is still pending is in
 * `pending`, for you to cancel or await.
 *
 * As asyncio 3.11+, only Futures and Tasks are accepted: `done` and `pending` hold the very
 * objects you passed, so a coroutine function or promise (which would need a Task you could
 * not find in the Sets) is a TypeError; wrap it with `createTask` first. Any iterable works;
 * duplicates count once. Errors are reported as rejections of the returned promise, as
 * asyncio raises them at the `await`.
 *
 * Cancelling the task that awaits `wait()` cancels only the wait, not the futures.
 *
 * @throws TypeError if `fs` is a single awaitable instead of a collection, if an element is
 *   not a Future or Task (naming its index), or if `timeout` is not a number.
 * @throws ValueError "Set of Tasks/Futures is empty." for no futures; "Invalid return_when
 *   value: ..." for an unknown `returnWhen`.
 * @throws RuntimeError "no running event loop" outside a running loop.
 *
 * @example
 * ```ts
 * const tasks = urls.map((url) => createTask(() => download(url)));
 * const [done, pending] = await wait(tasks, { timeout: 5, returnWhen: FIRST_COMPLETED });
 * for (const t of pending) t.cancel();
 * ```
 *
 * Python parity: `asyncio.wait`
 */
export async function wait<F extends Future<unknown>>(
  fs: Iterable<F>,
  options: WaitOptions = {},
): Promise<[Set<F>, Set<F>]> {
  const items = toArray(fs);
  const { timeout = null, returnWhen = ALL_COMPLETED } = options;
  if (
    returnWhen !== FIRST_COMPLETED &&
    returnWhen !== FIRST_EXCEPTION &&
    returnWhen !== ALL_COMPLETED
  ) {
    throw new ValueError(`Invalid return_when value: ${String(returnWhen)}`);
  }
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError(
      `wait(): timeout must be a number of seconds or null, got ${describe(timeout)}`,
    );
  }
  const futures = checkFutures(items);
  const loop = getRunningLoop();
  const waiter = new Future<void>({ loop });
  let timer: TimerHandle | null = null;
  if (timeout !== null) timer = loop.callLater(timeout, release, waiter);
  let left = futures.size;
  const onCompletion = (f: F): void => {
    left -= 1;
    if (
      left <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== null)
    ) {
      timer?.cancel();
      release(waiter);
    }
  };
  const context = copyContext();
  for (const f of futures) f.addDoneCallback(onCompletion, { context });
  try {
    await _suspendOn(waiter);
  } finally {
    timer?.cancel();
    for (const f of futures) f.removeDoneCallback(onCompletion);
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of futures) (f.done() ? done : pending).add(f);
  return [done, pending];
}

function release(waiter: Future<void>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

/** The elements of `fs`, checked as asyncio's `wait` checks the collection. */
function toArray<F>(fs: Iterable<F>): F[] {
  if (isThenable(fs) || typeof fs === 'function') {
    throw new TypeError(`wait() expects a collection of futures, not ${describe(fs)}`);
  }
  if (
    fs === null ||
    typeof fs !== 'object' ||
    typeof (fs as Iterable<F>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(`wait() expects an iterable of futures, got ${describe(fs)}`);
  }
  const items = [...fs];
  if (items.length === 0) throw new ValueError('Set of Tasks/Futures is empty.');
  return items;
}

/** The distinct elements of `items`, each checked to be a Future. */
function checkFutures<F>(items: F[]): Set<F> {
  items.forEach((item, i) => {
    if (isFuture(item)) return;
    const fix =
      typeof item === 'function' || isThenable(item)
        ? ': wrap it in a task first, createTask(fn), so that you can find it in the done and pending sets'
        : '';
    throw new TypeError(`wait(): fs[${i}] is not a Future or Task (got ${describe(item)})${fix}`);
  });
  return new Set(items);
}
