import type { Context } from './context.js';
import { runtime, type Frame } from './internal/runtime.js';
import type { AbstractEventLoop } from './abstract-event-loop.js';
import type { AbstractTask } from './abstract-future.js';

/**
 * Runs `fn(...args)` synchronously as `task`, in `context`: inside it, and in every async
 * continuation it starts, `_currentTaskOrNull()` returns `task` and context variables resolve
 * in `context`. Task implementations call this to start their coroutine; pass `null` to run a
 * plain callback (no current task).
 */
export function _runInTaskFrame<A extends unknown[], R>(
  context: Context,
  task: AbstractTask<unknown> | null,
  fn: (...args: A) => R,
  ...args: A
): R {
  const frame = task === null ? context._frame() : { context, task };
  return runtime.storage.run(frame, fn, ...args);
}

/**
 * Returns the task that the calling code runs as (following async continuations), or `null`.
 * Unlike `currentTask()`, this does not check which loop runs.
 */
export function _currentTaskOrNull(): AbstractTask<unknown> | null {
  return (runtime.storage.getStore()?.task ?? null) as AbstractTask<unknown> | null;
}

/**
 * Records `task` among the live tasks of `loop` (what `allTasks(loop)` returns).
 *
 * Python parity: `asyncio._register_task`
 */
export function _registerTask(loop: AbstractEventLoop, task: AbstractTask<unknown>): void {
  let tasks = runtime.tasksByLoop.get(loop);
  if (tasks === undefined) runtime.tasksByLoop.set(loop, (tasks = new Set()));
  tasks.add(task);
}

/**
 * Removes `task` from the live tasks of `loop`.
 *
 * Python parity: `asyncio._unregister_task`
 */
export function _unregisterTask(loop: AbstractEventLoop, task: AbstractTask<unknown>): void {
  runtime.tasksByLoop.get(loop)?.delete(task);
}

/** Returns the live (registered) tasks of `loop`, as a new array. */
export function _registeredTasks(loop: AbstractEventLoop): AbstractTask<unknown>[] {
  const tasks = runtime.tasksByLoop.get(loop);
  return tasks === undefined ? [] : ([...tasks] as AbstractTask<unknown>[]);
}

/** An opaque snapshot of what the calling code runs as (its Context and task). */
export type ExecutionFrame = { readonly __executionFrame: unique symbol };

/**
 * Captures what the calling code runs as, so that a callback invoked later can run as the
 * same code would have: `_runInFrame(_captureFrame(), fn)`. Used to run `then` handlers in the
 * caller's context, as native promises do.
 */
export function _captureFrame(): ExecutionFrame | undefined {
  return runtime.storage.getStore() as ExecutionFrame | undefined;
}

/** Runs `fn(...args)` in a frame captured by `_captureFrame` (or the root frame for `undefined`). */
export function _runInFrame<A extends unknown[], R>(
  frame: ExecutionFrame | undefined,
  fn: (...args: A) => R,
  ...args: A
): R {
  if (frame === undefined) return runtime.storage.exit(fn, ...args);
  return runtime.storage.run(frame as unknown as Frame, fn, ...args);
}
