import {
  _currentTaskOrNull,
  _registeredTasks,
  getRunningLoop,
  type AbstractEventLoop,
  type AbstractTask,
  type Coro,
  type TaskOptions,
} from '@tsio/core';
import { checkCoro } from './internal/check-coro.js';
import type { Task } from './task.js';

/**
 * Starts `coro` as a Task on the running loop and returns the Task. The function runs on the
 * next loop iteration, in a copy of the current Context, and receives the task's AbortSignal.
 *
 * Keep a reference to the task (or use a TaskGroup): like asyncio, tsio does not keep
 * finished tasks' errors from being lost if nobody awaits them.
 *
 * @throws TypeError if `coro` is a promise or anything but a function (the message shows the fix).
 * @throws RuntimeError "no running event loop" outside a running loop.
 *
 * @example
 * ```ts
 * const task = createTask(async (signal) => {
 *   await sleep(1);
 *   return 'done';
 * }, { name: 'worker' });
 * task.cancel('not needed');
 * ```
 *
 * Python parity: `asyncio.create_task`
 */
export function createTask<T>(coro: Coro<T>, options: TaskOptions = {}): Task<T> {
  checkCoro<T>(coro, 'createTask()');
  return getRunningLoop().createTask(coro, options) as Task<T>;
}

/**
 * Returns the Task that the calling code runs in (following `await`s, including of native
 * promises), or `null` outside any task of `loop`.
 *
 * @throws RuntimeError "no running event loop" when `loop` is omitted and none runs.
 *
 * @example
 * ```ts
 * const task = createTask(async () => {
 *   console.log(currentTask()?.getName()); // 'worker'
 * }, { name: 'worker' });
 * await task;
 * ```
 *
 * Python parity: `asyncio.current_task`
 */
export function currentTask(loop?: AbstractEventLoop): Task<unknown> | null {
  const target = loop ?? getRunningLoop();
  const task = _currentTaskOrNull();
  if (task === null || task.getLoop() !== target || task.done()) return null;
  return task as Task<unknown>;
}

/**
 * Returns the tasks of `loop` (default: the running loop) that are not done yet.
 *
 * @throws RuntimeError "no running event loop" when `loop` is omitted and none runs.
 *
 * @example
 * ```ts
 * for (const task of allTasks()) {
 *   if (task !== currentTask()) task.cancel('shutting down');
 * }
 * ```
 *
 * Python parity: `asyncio.all_tasks`
 */
export function allTasks(loop?: AbstractEventLoop): Set<Task<unknown>> {
  const target = loop ?? getRunningLoop();
  const pending = new Set<Task<unknown>>();
  for (const task of _registeredTasks(target) as AbstractTask<unknown>[]) {
    if (!task.done()) pending.add(task as Task<unknown>);
  }
  return pending;
}
