import { BaseEventLoop, isCancelledError, type Clock } from '../../src/index.js';

/**
 * Loops for traces never run out of their time slice: within a slice the next iteration is a
 * microtask, after a slice it waits for setImmediate, and which one happens decides how far
 * promise continuations get in between (python-differences item 7). An unbounded slice makes
 * a trace the same on a busy machine as on an idle one.
 */
const TRACE_LOOP_OPTIONS = { timeSlice: Infinity };

/** Runs `scenario` as the main task of a fresh loop, closes the loop, and returns its trace. */
export async function trace(
  scenario: (loop: BaseEventLoop, tr: string[]) => Promise<void>,
): Promise<string[]> {
  const loop = new BaseEventLoop(TRACE_LOOP_OPTIONS);
  const tr: string[] = [];
  try {
    await loop.runUntilComplete(() => scenario(loop, tr));
  } finally {
    loop.close();
  }
  return tr;
}

/** Runs a synchronous scenario against a fresh loop (which it may run), then closes it. */
export async function traceLoop(
  scenario: (loop: BaseEventLoop, tr: string[]) => Promise<void>,
  clock?: Clock,
): Promise<string[]> {
  const loop = new BaseEventLoop(
    clock === undefined ? TRACE_LOOP_OPTIONS : { ...TRACE_LOOP_OPTIONS, clock },
  );
  const tr: string[] = [];
  try {
    await scenario(loop, tr);
  } finally {
    loop.close();
  }
  return tr;
}

/** Python's `e.args[0] if e.args else ''` for a CancelledError. */
export function msg(error: unknown): string {
  if (!isCancelledError(error)) throw error;
  return error.message;
}

/** Python's `str()` of a boolean or null, so traces compare with Python's as printed. */
export function py(value: boolean | null): string {
  if (value === null) return 'None';
  return value ? 'True' : 'False';
}
