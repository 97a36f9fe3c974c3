import type { Coro } from '@tsio/core';
import { describe, isThenable } from './describe.js';

/**
 * Throws the TypeError that shows the fix when `coro` is not a coroutine function.
 * `where` names the API for the message, e.g. 'createTask()'.
 */
export function checkCoro<T>(coro: unknown, where: string): asserts coro is Coro<T> {
  if (typeof coro === 'function') return;
  if (isThenable(coro)) {
    throw new TypeError(
      `${where} expects a function returning a promise, got ${describe(coro)}: the work has ` +
        `already started outside the task, so it could not be cancelled; write ` +
        `${where.replace('()', '')}(() => work()) instead of ${where.replace('()', '')}(work())`,
    );
  }
  throw new TypeError(
    `${where} expects a coroutine function (a function returning a promise), got ${describe(coro)}`,
  );
}
