export { Future } from './future.js';
export type { FutureOptions } from './future.js';
export { Task } from './task.js';
export type { TaskConstructorOptions } from './task.js';
export { createTask, currentTask, allTasks } from './create-task.js';
export { ensureFuture, isFuture, wrapFuture } from './ensure-future.js';
export { sleep } from './sleep.js';
