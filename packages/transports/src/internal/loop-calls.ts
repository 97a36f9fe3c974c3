import type { AbstractEventLoop, AbstractFuture } from '@tsio/core';

/**
 * Schedules `callback(...args)` with `loop.callSoon`, unless the loop is closed: a Node event
 * that arrives after the loop closed (a child exiting late, a pipe closing) has nobody left
 * to tell and must not throw inside Node. Returns whether the call was scheduled.
 */
export function soon<A extends unknown[]>(
  loop: AbstractEventLoop,
  callback: (...args: A) => unknown,
  ...args: A
): boolean {
  if (loop.isClosed()) return false;
  loop.callSoon(callback, ...args);
  return true;
}

/** Resolves `waiter` unless it was cancelled meanwhile (asyncio's `_set_result_unless_cancelled`). */
export function resolveWaiter<T>(waiter: AbstractFuture<T>, value: T): void;
export function resolveWaiter(waiter: AbstractFuture<void>): void;
export function resolveWaiter(waiter: AbstractFuture<unknown>, value?: unknown): void {
  if (!waiter.cancelled() && !waiter.done()) waiter.setResult(value);
}
