import { _getRunningLoop, RuntimeError } from '@tsio/core';
import type { AbstractTask, Coro, ExceptionContext } from '@tsio/core';
import { allTasks } from '@tsio/futures';
import { checkFlag } from './internal/checks.js';
import { forceGc } from './internal/force-gc.js';
import { RunVirtualError } from './run-virtual-error.js';
import { VirtualTimeLoop } from './virtual-time-loop.js';

/** Options of `runVirtual(main, options)`. */
export interface RunVirtualOptions {
  /** Shuffle same-iteration handles with this seed (see `VirtualTimeLoop`). Default: FIFO. */
  seed?: number | null;
  /** Jump to the next timer when the loop would sleep (default `true`). */
  autojump?: boolean;
  /**
   * Run the loop in debug mode (default `true`): futures and tasks whose exception is never
   * retrieved are then reported when collected, and `runVirtual` collects garbage at the end
   * to find them. With `false`, only errors reported while running are seen.
   */
  debug?: boolean;
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `main` as a task on a new `VirtualTimeLoop` and returns its result, like `run()` on a
 * loop whose time is virtual; made for test bodies. Fails the test when `main` returns but
 * leaves something behind: tasks still running (they are cancelled first), or errors that
 * reached the loop's exception handler — an exception thrown by a callback, or a future or
 * task whose exception nobody retrieved. Closes the loop in every case.
 *
 * In debug mode (the default) it runs a full garbage collection at the end, so that futures
 * dropped with an unretrieved exception are reported; a future still referenced (for example
 * from a variable of the test) is not collected, and not reported.
 *
 * @throws TypeError (as a rejection) if `main` is not a function (a promise has already
 *   started: write `runVirtual(() => main())`), or for an option of the wrong type.
 * @throws RuntimeError (as a rejection) if a loop is already running.
 * @throws RunVirtualError (as a rejection) naming the leaked tasks and the reported errors.
 * @throws whatever `main` throws, unchanged (leftovers are then cleaned up, not reported).
 *
 * Python parity: `asyncio.run`, with a test runner's leak checks
 *
 * @example
 * ```ts
 * // In a jest test body: `await` it, and the test fails if anything leaked.
 * const elapsed = await runVirtual(async () => {
 *   const loop = getRunningLoop();
 *   const start = loop.time();
 *   await sleep(24 * 3600); // a day, in a few milliseconds of real time
 *   return loop.time() - start;
 * });
 * console.log(elapsed); // 86400
 * ```
 */
export async function runVirtual<T>(main: Coro<T>, options: RunVirtualOptions = {}): Promise<T> {
  if (typeof main !== 'function') {
    throw new TypeError(
      'runVirtual() expects a function returning a promise; write runVirtual(() => main()) ' +
        `instead of runVirtual(main()), got ${main === null ? 'null' : typeof main}`,
    );
  }
  if (_getRunningLoop() !== null) {
    throw new RuntimeError(
      'runVirtual() cannot be called from a running event loop: await the coroutine instead',
    );
  }
  const debug = checkFlag(options.debug, 'debug', true);
  const loop = new VirtualTimeLoop({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.autojump !== undefined ? { autojump: options.autojump } : {}),
  });
  loop.setDebug(debug);
  const reports: ExceptionContext[] = [];
  let collecting = true;
  loop.setExceptionHandler((_loop, context) => {
    // A report that arrives after runVirtual settled (a late collection) is only logged.
    if (collecting) reports.push(context);
    else loop.defaultExceptionHandler(context);
  });

  let result: T;
  let leaked: string[];
  try {
    const task = loop.createTask(main);
    try {
      result = await loop.runUntilComplete(task);
    } finally {
      leaked = [...allTasks(loop)].filter((t) => t !== task).map(String);
      await cancelLeftovers(loop, reports);
    }
    if (debug && forceGc()) {
      // FinalizationRegistry callbacks run in a later macrotask than the collection.
      await nextMacrotask();
      await nextMacrotask();
    }
  } finally {
    collecting = false;
    loop.close();
  }
  if (leaked.length > 0 || reports.length > 0) {
    throw new RunVirtualError(leaked, reports, loop.seed);
  }
  return result;
}

/**
 * Cancels the tasks still running and lets them finish; an error other than cancellation
 * that one ends with is added to `reports` (asyncio's run() reports it the same way).
 */
async function cancelLeftovers(loop: VirtualTimeLoop, reports: ExceptionContext[]): Promise<void> {
  const pending: AbstractTask<unknown>[] = [...allTasks(loop)];
  if (pending.length === 0) return;
  for (const task of pending) task.cancel();
  await loop.runUntilComplete(async () => {
    for (const task of pending) {
      try {
        await task;
      } catch {
        // Read below, from the task itself.
      }
    }
  });
  for (const task of pending) {
    if (task.cancelled()) continue;
    const exception = task.exception();
    if (exception !== null) {
      reports.push({
        message: 'unhandled exception during runVirtual() shutdown',
        exception,
        task,
      });
    }
  }
}
