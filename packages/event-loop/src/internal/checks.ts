import { inspect } from 'node:util';

/** A short description of a bad argument, for error messages. */
export function describeValue(value: unknown): string {
  return inspect(value, { depth: 0, breakLength: Infinity, maxStringLength: 40 });
}

/**
 * Checks a callback given to a scheduling method.
 *
 * @throws TypeError "a callable object was expected by method(), got …" (asyncio's message).
 */
export function checkCallback(callback: unknown, method: string): void {
  if (typeof callback !== 'function') {
    throw new TypeError(
      `a callable object was expected by ${method}(), got ${describeValue(callback)}`,
    );
  }
}

/**
 * Checks, in debug mode only (as asyncio does), that a callback is not an async function: its
 * promise would be dropped and its errors would bypass the exception handler.
 *
 * @throws TypeError "coroutines cannot be used with method()".
 */
export function checkNotAsync(callback: unknown, method: string): void {
  const kind = (callback as { constructor?: { name?: string } }).constructor?.name;
  if (kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction') {
    throw new TypeError(
      `coroutines cannot be used with ${method}(); schedule a task instead: loop.createTask(fn)`,
    );
  }
}

/**
 * Checks a delay or a loop time: a number that is not NaN (Infinity is fine: never due).
 *
 * @throws TypeError naming the method and the argument.
 */
export function checkTime(value: unknown, method: string, what: string): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `${method}() expects ${what} in seconds (a number), got ${describeValue(value)}`,
    );
  }
}
