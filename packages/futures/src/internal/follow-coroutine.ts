import { _currentTaskOrNull } from '@tsio/core';

/** What the promise of a task's coroutine settles: the Task. */
export interface CoroutineOwner {
  _settleFromCoroutine(ok: boolean, outcome: unknown): void;
}

const nativeThen = Promise.prototype.then;

/**
 * Settles `task` when the promise its coroutine function returned settles. Called in the
 * task's frame, right after the function returned.
 *
 * Two closures and their shared scope per task (about 170 bytes on 64-bit Node) would hold the
 * task for the handlers. When `promise` is a plain native promise and the frame is still the
 * task's, the handlers are shared and find the task through the frame instead: a promise
 * reaction runs in the AsyncLocalStorage store that was current when `then` was called, which
 * is the task's frame, checked just before. On Node >= 24 (AsyncContextFrame) the reaction
 * captures the continuation-preserved embedder data, which is what `getStore()` reads, and
 * restores it around the handler; with the async_hooks implementation (Node 20, or
 * `--no-async-context-frame`) the promise `then` creates takes the store of the current
 * resource in its init hook, and is the current resource while the handler runs. A coroutine
 * that left the task's frame synchronously (or a promise of a subclass, or with a patched
 * `then` or constructor, which could run code inside `then`) takes the other path: handlers
 * bound to the task.
 */
export function followCoroutine(task: CoroutineOwner, promise: PromiseLike<unknown>): void {
  if (
    Object.getPrototypeOf(promise) === Promise.prototype &&
    promise.then === nativeThen &&
    (promise as Promise<unknown>).constructor === Promise &&
    (_currentTaskOrNull() as unknown) === task
  ) {
    promise.then(returnedInFrame, threwInFrame);
  } else {
    promise.then(returned.bind(task), threw.bind(task));
  }
}

function returnedInFrame(value: unknown): void {
  (_currentTaskOrNull() as unknown as CoroutineOwner)._settleFromCoroutine(true, value);
}

function threwInFrame(error: unknown): void {
  (_currentTaskOrNull() as unknown as CoroutineOwner)._settleFromCoroutine(false, error);
}

function returned(this: CoroutineOwner, value: unknown): void {
  this._settleFromCoroutine(true, value);
}

function threw(this: CoroutineOwner, error: unknown): void {
  this._settleFromCoroutine(false, error);
}
