import { BaseEventLoop } from '@tsio/event-loop';
import { getRunningLoop, isCancelledError } from '@tsio/core';
import { currentTask, sleep } from '../src/index.js';

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

/** Names an error for traces: `TimeoutError(cause=CancelledError)`. */
export function named(e: unknown): string {
  if (!(e instanceof Error)) return `thrown ${String(e)}`;
  const cause = e.cause instanceof Error ? `(cause=${e.cause.name})` : '';
  return `${e.name}${cause}`;
}

/** Runs `p` and reports how it settled, for traces. */
export async function settle(p: PromiseLike<unknown>): Promise<string> {
  try {
    return `value ${String(await p)}`;
  } catch (e) {
    return named(e);
  }
}

/** The number of cancellation requests of the current task. */
export function cancelling(): number {
  return (currentTask() as { cancelling(): number }).cancelling();
}

/** Blocks the loop (as a slow callback would) until loop time `until`. */
export function busyUntil(until: number): void {
  const loop = getRunningLoop();
  while (loop.time() < until) {
    // busy
  }
}

/** How an awaitable ended, for traces: `result 1`, `CancelledError(msg)`, `RangeError(msg)`. */
export async function outcome(aw: PromiseLike<unknown>): Promise<string> {
  try {
    return `result ${JSON.stringify(await aw)}`;
  } catch (e) {
    return isCancelledError(e)
      ? `CancelledError(${e.message})`
      : `${(e as Error).name}(${(e as Error).message})`;
  }
}
