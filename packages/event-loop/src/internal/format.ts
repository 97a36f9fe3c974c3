import { inspect } from 'node:util';

/** Options that keep an argument's representation short, as Python's `reprlib` does. */
const ARG_INSPECT_OPTIONS = {
  depth: 1,
  maxArrayLength: 6,
  maxStringLength: 40,
  breakLength: Infinity,
  compact: true,
} as const;

/**
 * Formats a callback the way asyncio does in handle reprs and error messages: its name, then
 * `()`, or its arguments when `withArgs` (debug mode only, since arguments may hold secrets).
 */
export function formatCallback(
  callback: ((...args: never[]) => unknown) | null,
  args: readonly unknown[] | null,
  withArgs: boolean,
): string {
  const name = callback === null ? '<none>' : callback.name || '<anonymous>';
  if (!withArgs || args === null || args.length === 0) return `${name}()`;
  const parts: string[] = [];
  for (const arg of args) parts.push(inspect(arg, ARG_INSPECT_OPTIONS));
  return `${name}(${parts.join(', ')})`;
}

/**
 * Captures the current stack as the lines after the message ("    at ..."), leaving out
 * `below` and every frame above it. Used in debug mode to record where a handle was created.
 */
export function captureStack(below: NewableFunction | ((...args: never[]) => unknown)): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, below);
  const stack = holder.stack ?? '';
  const firstNewline = stack.indexOf('\n');
  return firstNewline === -1 ? '' : stack.slice(firstNewline + 1);
}

/** Removes the first `count` frames (lines) of a stack captured by `captureStack`. */
export function dropFrames(stack: string, count: number): string {
  let start = 0;
  for (let i = 0; i < count; i++) {
    const newline = stack.indexOf('\n', start);
    if (newline === -1) return '';
    start = newline + 1;
  }
  return stack.slice(start);
}

/** The `file:line:column` of the first frame of a captured stack, or `null`. */
export function firstFrameLocation(stack: string): string | null {
  const newline = stack.indexOf('\n');
  const line = (newline === -1 ? stack : stack.slice(0, newline)).trim();
  if (line === '') return null;
  const open = line.lastIndexOf('(');
  if (open !== -1 && line.endsWith(')')) return line.slice(open + 1, -1);
  return line.startsWith('at ') ? line.slice(3) : line;
}
