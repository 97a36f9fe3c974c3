import type { AbstractEventLoop, AbstractTask, Coro, TaskFactory, TaskOptions } from '@tsio/core';
import type { TaskConstructorOptions } from './task.js';
import { Task } from './task.js';

/** A Task class (or any constructor shaped like Task's) that `createEagerTaskFactory` can use. */
export type TaskConstructor = new <T>(
  coro: Coro<T>,
  options: TaskConstructorOptions,
) => AbstractTask<T>;

/**
 * Returns a task factory for `loop.setTaskFactory` that builds tasks with `TaskClass` and
 * starts them eagerly: `createTask` runs the coroutine function synchronously, in the new
 * task's context, until its first `await` that really suspends. A task that never suspends is
 * never scheduled on the loop; it finishes in a microtask (a JavaScript async function settles
 * its promise in a microtask, so it cannot be done before `createTask` returns). When the loop
 * is not running the task starts normally, on the next iteration.
 *
 * The factory receives `(loop, coro, options)` and calls
 * `new TaskClass(coro, { ...options, loop, eagerStart: true })`.
 *
 * @throws TypeError if `TaskClass` is not a constructor function.
 *
 * @example
 * ```ts
 * class TracedTask<T> extends Task<T> {}
 * loop.setTaskFactory(createEagerTaskFactory(TracedTask));
 * ```
 *
 * Python parity: `asyncio.create_eager_task_factory`
 */
export function createEagerTaskFactory(TaskClass: TaskConstructor): TaskFactory {
  if (typeof TaskClass !== 'function') {
    throw new TypeError(
      `createEagerTaskFactory() expects a Task class, got ${TaskClass === null ? 'null' : typeof TaskClass}`,
    );
  }
  return function eagerFactory<T>(
    loop: AbstractEventLoop,
    coro: Coro<T>,
    options: TaskOptions = {},
  ): AbstractTask<T> {
    return new TaskClass<T>(coro, { ...options, loop, eagerStart: true });
  };
}

/**
 * The task factory that starts every task eagerly with tsio's `Task`: install it with
 * `loop.setTaskFactory(eagerTaskFactory)`. A coroutine that returns without suspending (a
 * cache hit, say) then costs no trip through the loop. See `createEagerTaskFactory`.
 *
 * @example
 * ```ts
 * const cache = new Map<string, string>();
 * getRunningLoop().setTaskFactory(eagerTaskFactory);
 * const task = createTask(async () => cache.get('key')); // runs now, up to its first await
 * ```
 *
 * Python parity: `asyncio.eager_task_factory`
 */
export const eagerTaskFactory: TaskFactory = createEagerTaskFactory(Task);
