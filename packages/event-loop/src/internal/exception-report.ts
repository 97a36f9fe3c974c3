import { inspect } from 'node:util';
import type { ExceptionContext } from '@tsio/core';

const VALUE_INSPECT_OPTIONS = { depth: 1, breakLength: Infinity, maxArrayLength: 10 } as const;

/** Shows a context value as asyncio's `repr(value)` would: an object's own `toString`, if any. */
function showValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const toString = (value as { toString?: unknown }).toString;
    if (typeof toString === 'function' && toString !== Object.prototype.toString) {
      return String(value);
    }
  }
  return inspect(value, VALUE_INSPECT_OPTIONS);
}

/** Shows an exception with its stack (asyncio logs the traceback with `exc_info`). */
function showException(exception: unknown): string {
  if (exception instanceof Error && typeof exception.stack === 'string') {
    // A stack starts with "Name: message" in V8; some errors lose it, so show it once.
    const head = `${exception.name}: ${exception.message}`;
    return exception.stack.startsWith(exception.name)
      ? exception.stack
      : `${head}\n${exception.stack}`;
  }
  return inspect(exception, VALUE_INSPECT_OPTIONS);
}

/**
 * Builds the text the default exception handler logs: the message, then `key: value` for the
 * other keys in sorted order (tracebacks as "Object created at" / "Handle created at"), then
 * the exception and its stack.
 *
 * @param handleTraceback - where the handle being run was created, when the context has no
 *   `sourceTraceback` of its own (asyncio adds this in debug mode)
 */
export function formatExceptionContext(
  context: ExceptionContext,
  handleTraceback: string | null,
): string {
  const lines = [context.message || 'Unhandled exception in event loop'];
  const entries: [string, unknown][] = Object.entries(context);
  if (
    handleTraceback !== null &&
    !('sourceTraceback' in context) &&
    !('handleTraceback' in context)
  ) {
    entries.push(['handleTraceback', handleTraceback]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of entries) {
    if (key === 'message' || key === 'exception') continue;
    if (key === 'sourceTraceback' && typeof value === 'string') {
      lines.push(`${key}: Object created at (most recent call first):\n${value.trimEnd()}`);
    } else if (key === 'handleTraceback' && typeof value === 'string') {
      lines.push(`${key}: Handle created at (most recent call first):\n${value.trimEnd()}`);
    } else {
      lines.push(`${key}: ${showValue(value)}`);
    }
  }
  if ('exception' in context && context.exception !== undefined) {
    lines.push(showException(context.exception));
  }
  return lines.join('\n');
}
