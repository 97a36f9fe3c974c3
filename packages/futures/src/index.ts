export { Future } from './future.js';
export type { FutureOptions } from './future.js';
export { Task } from './task.js';
export type { TaskConstructorOptions } from './task.js';
export { createTask, currentTask, allTasks } from './create-task.js';
export { ensureFuture, isFuture, wrapFuture } from './ensure-future.js';
export { sleep } from './sleep.js';
export { Timeout, timeout, timeoutAt } from './timeout.js';
export { waitFor } from './wait-for.js';
export { gather } from './gather.js';
export type {
  GatherArg,
  GatherOptions,
  GatherResults,
  GatherSettledResults,
  GatherValue,
} from './gather.js';
export { shield } from './shield.js';
export { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './wait.js';
export type { ReturnWhen, WaitOptions } from './wait.js';
export { asCompleted } from './as-completed.js';
export type {
  AsCompletedIterator,
  AsCompletedOptions,
  FinishedFuture,
  FinishedOf,
} from './as-completed.js';
export { TaskGroup } from './task-group.js';
export type { TaskGroupTaskOptions } from './task-group.js';
export { exceptStar } from './except-star.js';
export type { ExceptStarClause } from './except-star.js';
export { eagerTaskFactory, createEagerTaskFactory } from './eager-task-factory.js';
export type { TaskConstructor } from './eager-task-factory.js';
export { _raisePendingCancellation } from './raise-pending-cancellation.js';
export { _suspendOn } from './suspend-on.js';
export { _ListedWaiter } from './listed-waiter.js';
