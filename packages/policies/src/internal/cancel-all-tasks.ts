import { _registeredTasks, type AbstractEventLoop, type AbstractTask } from '@tsio/core';

/**
 * Cancels every task still running on `loop`, runs the loop until they have all finished,
 * and reports the ones that ended with an error through the exception handler.
 *
 * Python parity: `asyncio.runners._cancel_all_tasks`
 */
export async function cancelAllTasks(loop: AbstractEventLoop): Promise<void> {
  const toCancel = _registeredTasks(loop).filter((task) => !task.done());
  if (toCancel.length === 0) return;
  for (const task of toCancel) task.cancel();
  await loop.runUntilComplete(allDone(loop, toCancel));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    const exception = task.exception();
    if (exception !== null) {
      loop.callExceptionHandler({
        message: 'unhandled exception during run() shutdown',
        exception,
        task,
      });
    }
  }
}

/** A future of `loop` that completes once every task in `tasks` is done, whatever the outcome. */
function allDone(loop: AbstractEventLoop, tasks: AbstractTask<unknown>[]): PromiseLike<void> {
  const done = loop.createFuture<void>();
  let remaining = tasks.length;
  const onDone = (): void => {
    remaining -= 1;
    if (remaining === 0 && !done.done()) done.setResult(undefined);
  };
  for (const task of tasks) task.addDoneCallback(onDone);
  return done;
}
