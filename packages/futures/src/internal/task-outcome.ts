import { KeyboardInterrupt, type AbstractFuture } from '@tsio/core';

/** How a done, not cancelled, future ended. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The outcome of a done future that was not cancelled. Reads `result()` rather than
 * `exception()`, because a coroutine may throw `null`, which `exception()` cannot tell
 * apart from success.
 */
export function outcomeOf(future: AbstractFuture<unknown>): Outcome {
  try {
    return { ok: true, value: future.result() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * asyncio's `TaskGroup._is_base_error`: errors that end the group as themselves, not inside
 * an ExceptionGroup (Python: SystemExit and KeyboardInterrupt; JavaScript has no SystemExit).
 */
export function isBaseError(error: unknown): boolean {
  return error instanceof KeyboardInterrupt;
}
