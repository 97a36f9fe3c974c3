import { BaseEventLoop } from '@tsio/event-loop';
import { isCancelledError } from '@tsio/core';
import { sleep } from '@tsio/futures';

/**
 * Loops for traces never run out of their time slice: within a slice the next iteration is a
 * microtask, after a slice it waits for setImmediate, and which one happens decides how far
 * promise continuations get in between (python-differences item 7). An unbounded slice makes
 * a trace the same on a busy machine as on an idle one.
 */
const TRACE_LOOP_OPTIONS = { timeSlice: Infinity };

/** Runs `main` as a task on a fresh loop, closes the loop, and returns main's result. */
export async function runOnNewLoop<T>(main: () => Promise<T>): Promise<T> {
  const loop = new BaseEventLoop(TRACE_LOOP_OPTIONS);
  try {
    return await loop.runUntilComplete(loop.createTask(main));
  } finally {
    loop.close();
  }
}

/** Lets other tasks run for `n` loop iterations. */
export async function spin(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await sleep(0);
}

/** How an awaitable ended, for traces: `result 1`, `CancelledError`, `RuntimeError(msg)`. */
export async function outcome(aw: PromiseLike<unknown>): Promise<string> {
  try {
    return `result ${JSON.stringify(await aw)}`;
  } catch (e) {
    return describe(e);
  }
}

/** Names an error for traces: `CancelledError`, `ValueError(message)`. */
export function describe(e: unknown): string {
  if (isCancelledError(e)) return 'CancelledError';
  if (e instanceof Error) return `${e.name}(${e.message})`;
  return `thrown ${String(e)}`;
}

/** What calling `fn` throws, for traces (`no error` when it returns). */
export function thrown(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return describe(e);
  }
}

// @swc/jest's `await using` helper calls `new _SuppressedError(...)` while it defines
// `_SuppressedError1` (a renaming bug of the transpiler); give it the name it looks for.
const g = globalThis as { _SuppressedError?: unknown; SuppressedError?: unknown };
g._SuppressedError ??=
  g.SuppressedError ??
  function SuppressedError(error: unknown, suppressed: unknown, message: string) {
    return Object.assign(new Error(message), { name: 'SuppressedError', error, suppressed });
  };
