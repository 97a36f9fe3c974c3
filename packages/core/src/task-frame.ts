import { Context } from './context.js';
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

/**
 * Makes `frame` current for the rest of the synchronous run, unless it already is: unlike
 * `_runInFrame`, nothing restores the previous frame afterwards; the caller must switch back
 * itself. The loop uses it to run a batch of handles with one AsyncLocalStorage switch per
 * change of Context instead of an enter and a restore per handle (each of which allocates on
 * Node >= 24, where a switch copies the async context frame).
 */
export function _switchToFrame(frame: ExecutionFrame | undefined): void {
  const storage = runtime.storage;
  if (storage.getStore() !== (frame as unknown as Frame | undefined)) {
    storage.enterWith(frame as unknown as Frame);
  }
}

/**
 * Tells `_enterFrameFromHandle` whether the loop running the current handle switches frames
 * itself (BaseEventLoop sets it around a batch of `_switchToFrame` handles).
 */
export function _setFramesRestoredByLoop(value: boolean): void {
  runtime.framesRestoredByLoop = value;
}

/**
 * Runs `fn(...args)` in `frame`, for a handle callback that enters its own frame at once (a
 * task's first step, an `await` resumption). Call it only from the top of such a callback: when
 * the loop restores frames itself, the frame is switched to and left current (one switch instead
 * of an enter and a restore); otherwise it is `_runInFrame`.
 */
export function _enterFrameFromHandle<A extends unknown[], R>(
  frame: ExecutionFrame | undefined,
  fn: (...args: A) => R,
  ...args: A
): R {
  if (!runtime.framesRestoredByLoop) return _runInFrame(frame, fn, ...args);
  _switchToFrame(frame);
  return fn(...args);
}

/**
 * The Context of handles whose callback enters its own frame with `_enterFrameFromHandle`:
 * loops need not switch to it before such a callback. Nothing may read or set context
 * variables in it.
 */
export const _SELF_FRAMED_CONTEXT: Context = new Context();

/** A fresh frame that runs as `task` in `context`, for `_enterFrameFromHandle`. */
export function _taskFrame(context: Context, task: AbstractTask<unknown>): ExecutionFrame {
  return { context, task } as Frame as unknown as ExecutionFrame;
}

/** The frame that runs plain callbacks in `context` (no current task), for `_switchToFrame`. */
export function _contextFrame(context: Context): ExecutionFrame {
  return context._frame() as unknown as ExecutionFrame;
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
