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
 * Records `task` among the live tasks of `loop` (what `allTasks(loop)` returns). With
 * `weakly`, the registry holds it through a WeakRef: a pending task that nothing else
 * references can then be collected (and reported, in debug mode) as in asyncio, whose
 * registry is a WeakSet; a task that is still reachable stays listed. Tasks use it in debug
 * mode only: the strong registration is the fast one.
 *
 * Python parity: `asyncio._register_task`
 */
export function _registerTask(
  loop: AbstractEventLoop,
  task: AbstractTask<unknown>,
  weakly = false,
): void {
  if (weakly) {
    registerWeakly(loop, task);
    return;
  }
  let tasks = runtime.tasksByLoop.get(loop);
  if (tasks === undefined) runtime.tasksByLoop.set(loop, (tasks = new Set()));
  tasks.add(task);
}

/**
 * Removes `task` from the live tasks of `loop` (however it was registered).
 *
 * Python parity: `asyncio._unregister_task`
 */
export function _unregisterTask(loop: AbstractEventLoop, task: AbstractTask<unknown>): void {
  // A strongly registered task is found at once; only the others look at the weak registry.
  if (runtime.tasksByLoop.get(loop)?.delete(task) === true) return;
  const weak = runtime.weakTasks;
  const ref = weak?.refOf.get(task);
  if (weak === undefined || ref === undefined) return;
  weak.refOf.delete(task);
  weak.byLoop.get(loop)?.refs.delete(ref);
}

/**
 * Returns the live (registered) tasks of `loop`, as a new array: the strongly registered ones
 * in registration order, then the weakly registered ones that have not been collected.
 */
export function _registeredTasks(loop: AbstractEventLoop): AbstractTask<unknown>[] {
  const tasks = runtime.tasksByLoop.get(loop);
  const list = (tasks === undefined ? [] : [...tasks]) as AbstractTask<unknown>[];
  const weakSet = runtime.weakTasks?.byLoop.get(loop);
  if (weakSet === undefined) return list;
  for (const ref of weakSet.refs) {
    const task = ref.deref();
    if (task === undefined) weakSet.refs.delete(ref);
    else if (tasks === undefined || !tasks.has(task)) list.push(task as AbstractTask<unknown>);
  }
  return list;
}

const MIN_PRUNE_SIZE = 64;

function registerWeakly(loop: AbstractEventLoop, task: AbstractTask<unknown>): void {
  const weak = (runtime.weakTasks ??= { byLoop: new WeakMap(), refOf: new WeakMap() });
  if (weak.refOf.has(task)) return;
  let weakSet = weak.byLoop.get(loop);
  if (weakSet === undefined) {
    weakSet = { refs: new Set(), pruneAt: MIN_PRUNE_SIZE };
    weak.byLoop.set(loop, weakSet);
  }
  const ref = new WeakRef<object>(task);
  weak.refOf.set(task, ref);
  weakSet.refs.add(ref);
  if (weakSet.refs.size >= weakSet.pruneAt) {
    // Collected tasks leave dead references behind: drop them now and then, in amortised O(1).
    for (const r of weakSet.refs) if (r.deref() === undefined) weakSet.refs.delete(r);
    weakSet.pruneAt = Math.max(MIN_PRUNE_SIZE, 2 * weakSet.refs.size);
  }
}

/** An opaque snapshot of what the calling code runs as (its Context and task). */
export type ExecutionFrame = {
  /** A brand no real value carries: it keeps any other object from passing as a frame. */
  readonly __executionFrame: unique symbol;
};

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
