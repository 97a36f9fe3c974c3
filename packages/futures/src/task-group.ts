import {
  _getRunningLoop,
  ExceptionGroup,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  type AbstractEventLoop,
  type AbstractTask,
  type CancelledError,
  type Context,
  type Coro,
  type TaskOptions,
} from '@tsio/core';
import { currentTask } from './create-task.js';
import { Future } from './future.js';
import { _suspendOn } from './suspend-on.js';
import { checkCoro } from './internal/check-coro.js';
import { isBaseError, outcomeOf } from './internal/task-outcome.js';
import type { Task } from './task.js';

/** Options of `tg.createTask(coro, options)`. */
export interface TaskGroupTaskOptions {
  /** The task's name (default `Task-<n>`). */
  name?: string;
  /** The Context to run in (default: a copy of the current one). */
  context?: Context;
}

/**
 * A group of tasks that live and die together: the structured-concurrency primitive.
 *
 * `await TaskGroup.run(async (tg) => { ... })` runs the body in the calling task (the
 * parent), lets it start children with `tg.createTask`, and resolves to the body's result
 * once every child has finished. The first child that fails with an error other than
 * CancelledError cancels the other children and the parent (so the body stops at its current
 * `await`); the group still waits for every child, including ones that clean up in a
 * `finally` that awaits, then rejects with `ExceptionGroup('unhandled errors in a TaskGroup',
 * errors)`. An error thrown by the body joins those errors (after the children's). When the
 * parent is cancelled from outside, the children are cancelled too and the group rejects with
 * the CancelledError (or with the ExceptionGroup if a child failed meanwhile). The parent's
 * `cancelling()` count is restored as in asyncio 3.13, so an enclosing timeout or group still
 * sees its own cancellation.
 *
 * `await using tg = new TaskGroup()` is the convenience form for blocks that only start tasks
 * (and await things that cannot fail): `[Symbol.asyncDispose]` waits for the children and
 * throws the ExceptionGroup. A disposer cannot see an error thrown by the block, so when the
 * block throws:
 * - an error of its own: the children are NOT cancelled; the disposer waits for them, then the
 *   block's error propagates (if a child failed meanwhile, JavaScript throws a
 *   `SuppressedError` whose `error` is the ExceptionGroup and `suppressed` the block's error);
 * - the CancelledError of the group itself (a child failed while the block awaited): the
 *   group's ExceptionGroup arrives as `SuppressedError.error`;
 * - a cancellation from outside: the disposer sees the parent's `cancelling()` count, cancels
 *   the children, waits for them, and lets the CancelledError propagate.
 * Use `TaskGroup.run` whenever the body can throw.
 *
 * Each group is entered once: by `run`, or, for `await using`, by its first `createTask` (the
 * parent is then the task that constructed the group).
 *
 * @example
 * ```ts
 * declare function fetchUser(id: number): Promise<{ name: string }>;
 * declare function worker(name: string): Promise<void>;
 * const [t1, t2] = await TaskGroup.run(async (tg) => {
 *   const a = tg.createTask(() => fetchUser(1));
 *   const b = tg.createTask(() => fetchUser(2));
 *   await sleep(0.1); // throws CancelledError at once if a child fails
 *   return [a, b]; // an array: never return a Task itself (python-differences 3)
 * });
 * console.log(t1.result(), t2.result());
 *
 * await using tg = new TaskGroup();
 * tg.createTask(() => worker('a'));
 * tg.createTask(() => worker('b'));
 * // leaving the block waits for both; failures throw an ExceptionGroup
 * ```
 *
 * Python parity: `asyncio.TaskGroup`
 */
export class TaskGroup {
  #entered = false;
  #exiting = false;
  #aborting = false;
  #loop: AbstractEventLoop | null = null;
  #parentTask: Task<unknown> | null = null;
  #parentCancelRequested = false;
  readonly #tasks = new Set<Task<unknown>>();
  #errors: unknown[] = [];
  #baseError: { error: unknown } | null = null;
  #onCompletedFut: Future<boolean> | null = null;
  /** The task that constructed the group: the parent of an `await using` group. */
  readonly #owner: Task<unknown> | null;

  /** Creates a group; it is entered by `run()` or, in an `await using` block, by its first `createTask`. */
  constructor() {
    const loop = _getRunningLoop();
    this.#owner = loop === null ? null : currentTask(loop);
  }

  /**
   * Runs `body` in a new TaskGroup and resolves to its result once every child has finished.
   * Same as `new TaskGroup().run(body)`.
   *
   * @throws ExceptionGroup 'unhandled errors in a TaskGroup' with the children's errors (then
   *   the body's), when any child or the body failed.
   * @throws CancelledError when the calling task was cancelled from outside and nothing failed.
   * @throws RuntimeError "TaskGroup <TaskGroup> cannot determine the parent task" outside a task.
   * @throws TypeError if `body` is not a function.
   *
   * @example
   * ```ts
   * const total = await TaskGroup.run(async (tg) => {
   *   const tasks = urls.map((url) => tg.createTask(() => download(url)));
   *   await sleep(0);
   *   return tasks.length;
   * });
   * ```
   *
   * Python parity: `async with asyncio.TaskGroup() as tg:`
   */
  static run<T>(body: (tg: TaskGroup) => T | PromiseLike<T>): Promise<T> {
    return new TaskGroup().run(body);
  }

  /**
   * Enters this group, runs `body(this)` in the calling task, waits for every child, and
   * resolves to the body's result. See the class documentation for the rules.
   *
   * @throws RuntimeError "TaskGroup <TaskGroup entered> has already been entered" if the group
   *   was entered before (by `run` or a `createTask` of the `await using` form).
   * @throws ExceptionGroup, CancelledError, RuntimeError, TypeError: as `TaskGroup.run`.
   *
   * @example
   * ```ts
   * const tg = new TaskGroup();
   * await tg.run(async () => { tg.createTask(() => work()); });
   * ```
   *
   * Python parity: `async with tg:`
   */
  async run<T>(body: (tg: TaskGroup) => T | PromiseLike<T>): Promise<T> {
    if (typeof body !== 'function') {
      throw new TypeError(`TaskGroup.run() expects a function (tg) => ..., got ${typeof body}`);
    }
    this.#enter(null);
    let result: T;
    try {
      result = await body(this);
    } catch (error) {
      await this.#exit(true, error);
      throw error;
    }
    await this.#exit(false, undefined);
    return result;
  }

  /**
   * Starts `coro` as a Task of this group (through the loop's task factory) and returns it.
   * While the group is exiting but children still run, children may add more tasks.
   *
   * @throws RuntimeError "TaskGroup <TaskGroup> has not been entered" before `run` (for a group
   *   constructed outside a task), "TaskGroup <...> is finished" after the group ended, "TaskGroup
   *   <...> is shutting down" once a failure or a cancellation is cancelling the children.
   * @throws TypeError if `coro` is a promise or not a function (the message shows the fix).
   *
   * @example
   * ```ts
   * await TaskGroup.run(async (tg) => {
   *   tg.createTask(async (signal) => fetch(url, { signal }), { name: 'download' });
   * });
   * ```
   *
   * Python parity: `TaskGroup.create_task`
   */
  createTask<T>(coro: Coro<T>, options: TaskGroupTaskOptions = {}): Task<T> {
    if (!this.#entered) {
      if (this.#owner === null || this.#owner.done()) {
        throw new RuntimeError(`TaskGroup ${String(this)} has not been entered`);
      }
      this.#enter(this.#owner);
    }
    if (this.#exiting && this.#tasks.size === 0) {
      throw new RuntimeError(`TaskGroup ${String(this)} is finished`);
    }
    if (this.#aborting) throw new RuntimeError(`TaskGroup ${String(this)} is shutting down`);
    checkCoro<T>(coro, 'tg.createTask()');
    const taskOptions: TaskOptions = {};
    if (options.name !== undefined) taskOptions.name = options.name;
    if (options.context !== undefined) taskOptions.context = options.context;
    const task = (this.#loop as AbstractEventLoop).createTask(coro, taskOptions) as Task<T>;
    // A custom task factory may return a task that is done already.
    if (task.done()) {
      this.#onTaskDone(task);
    } else {
      this.#tasks.add(task as Task<unknown>);
      task.addDoneCallback(this.#onTaskDone);
    }
    return task;
  }

  /**
   * Ends an `await using` block: waits for every child, then throws the ExceptionGroup of
   * their errors. It cannot see an error thrown by the block (see the class documentation);
   * when the parent is being cancelled from outside, it cancels the children first. Does
   * nothing once the group has exited.
   *
   * @throws ExceptionGroup 'unhandled errors in a TaskGroup' when a child failed.
   * @throws CancelledError when a pending cancellation of the parent arrived while waiting.
   *
   * Python parity: `TaskGroup.__aexit__(None, None, None)`
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#entered) {
      if (this.#owner === null) return;
      this.#enter(this.#owner);
    }
    if (this.#exiting) return;
    // tsio: `async with` would get the CancelledError leaving the block and abort; a disposer
    // learns of it only from the parent's count of cancellation requests.
    const parent = this.#parentTask as Task<unknown>;
    const cancelledFromOutside = !this.#aborting && parent.cancelling() > 0;
    if (cancelledFromOutside) this.#abort();
    await this.#exit(false, undefined, cancelledFromOutside);
  }

  /** `<TaskGroup tasks=1 errors=1 cancelling>`. Python parity: `repr(TaskGroup)` */
  toString(): string {
    let info = '';
    if (this.#tasks.size > 0) info += ` tasks=${this.#tasks.size}`;
    if (this.#errors.length > 0) info += ` errors=${this.#errors.length}`;
    if (this.#aborting) info += ' cancelling';
    else if (this.#entered) info += ' entered';
    return `<TaskGroup${info}>`;
  }

  /** Records the parent (`parent`, or the current task) and opens the group. */
  #enter(parent: Task<unknown> | null): void {
    if (this.#entered) {
      throw new RuntimeError(`TaskGroup ${String(this)} has already been entered`);
    }
    const loop = parent?.getLoop() ?? getRunningLoop();
    const parentTask = parent ?? currentTask(loop);
    if (parentTask === null) {
      throw new RuntimeError(`TaskGroup ${String(this)} cannot determine the parent task`);
    }
    this.#loop = loop;
    this.#parentTask = parentTask;
    this.#entered = true;
  }

  /**
   * asyncio's `__aexit__`: waits for the children (aborting them when the body failed or the
   * parent is cancelled), then throws what the group ends with, or returns normally so that the
   * body's own outcome stands. `disposeAborted`: the disposer aborted for a cancellation of
   * the parent; one that arrives here (it was pending) must propagate.
   */
  async #exit(bodyFailed: boolean, bodyError: unknown, disposeAborted = false): Promise<void> {
    this.#exiting = true;
    const parent = this.#parentTask as Task<unknown>;
    if (bodyFailed && isBaseError(bodyError) && this.#baseError === null) {
      this.#baseError = { error: bodyError };
    }
    let propagate: CancelledError | null =
      bodyFailed && isCancelledError(bodyError) ? bodyError : null;
    // The parent is being cancelled, or the body failed: cancel the children.
    if (bodyFailed && !this.#aborting) this.#abort();

    // A loop, because the parent may be cancelled again while it waits here.
    while (this.#tasks.size > 0) {
      const completed = (this.#onCompletedFut ??= new Future<boolean>({
        loop: this.#loop as AbstractEventLoop,
      }));
      try {
        await _suspendOn(completed);
      } catch (error) {
        if (!isCancelledError(error)) throw error;
        if (!this.#aborting || (disposeAborted && propagate === null)) {
          // The parent was cancelled from outside while the children still ran.
          propagate = error;
          this.#abort();
        }
      }
      this.#onCompletedFut = null;
    }

    if (this.#baseError !== null) throw this.#baseError.error;
    // The group cancelled the parent itself: withdraw that request. With none left, the
    // cancellation the body (or the wait) received was ours and must not propagate.
    if (this.#parentCancelRequested && parent.uncancel() === 0) propagate = null;
    // Errors win over a cancellation.
    if (propagate !== null && this.#errors.length === 0) throw propagate;
    if (bodyFailed && !isCancelledError(bodyError)) this.#errors.push(bodyError);
    if (this.#errors.length === 0) return;
    // Cancelled from outside too: re-request the cancellation, keeping the count stable, so
    // the parent is cancelled again at its next await.
    if (parent.cancelling() > 0) {
      parent.uncancel();
      parent.cancel();
    }
    const errors = this.#errors;
    this.#errors = [];
    throw new ExceptionGroup('unhandled errors in a TaskGroup', errors);
  }

  /** Cancels every child that is still running; the group accepts no new task. */
  #abort(): void {
    this.#aborting = true;
    for (const task of this.#tasks) if (!task.done()) task.cancel();
  }

  /** A child finished: wake the exit when it was the last, and react to its failure. */
  readonly #onTaskDone = (task: AbstractTask<unknown>): void => {
    this.#tasks.delete(task as Task<unknown>);
    const completed = this.#onCompletedFut;
    if (completed !== null && this.#tasks.size === 0 && !completed.done()) {
      completed.setResult(true);
    }
    if (task.cancelled()) return;
    const outcome = outcomeOf(task);
    if (outcome.ok) return;
    const error = outcome.error;
    this.#errors.push(error);
    if (isBaseError(error) && this.#baseError === null) this.#baseError = { error };
    const parent = this.#parentTask as Task<unknown>;
    if (parent.done()) {
      // Only possible when the group was left without waiting for it (a forgotten `await using`).
      (this.#loop as AbstractEventLoop).callExceptionHandler({
        message:
          `Task ${String(task)} has errored out but its parent task ` +
          `${String(parent)} is already completed`,
        exception: error,
        task,
      });
      return;
    }
    if (!this.#aborting && !this.#parentCancelRequested) {
      // Stop whatever the body is awaiting; `#exit` withdraws this request with uncancel().
      this.#abort();
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  };
}
