import type { AbstractFuture } from '@tsio/core';

/**
 * Completes the future `waitClosed()` awaits: with nothing on a clean close, else with `exc`,
 * marked retrieved at once so that nobody has to await `waitClosed()` to avoid an "exception
 * was never retrieved" report (asyncio retrieves it in `__del__` / `_log_traceback = False`).
 */
export function settleCloseWaiter(closed: AbstractFuture<void>, exc: Error | null): void {
  if (closed.done()) return;
  if (exc === null) {
    closed.setResult(undefined);
    return;
  }
  closed.setException(exc);
  closed.exception();
}
