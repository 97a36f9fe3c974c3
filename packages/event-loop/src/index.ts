export { BaseEventLoop } from './base-event-loop.js';
export { EventLoop } from './event-loop.js';
export type { BaseEventLoopOptions } from './base-event-loop.js';
export { Handle, TimerHandle } from './handles.js';
export { nodeHostTimers, systemClock } from './clock.js';
export type { Clock, HostTimerHandle, HostTimers } from './clock.js';
export { WorkerPoolExecutor } from './worker-pool-executor.js';
export type {
  WorkerJobFunction,
  WorkerJobPromise,
  WorkerJobThis,
  WorkerPoolExecutorOptions,
} from './worker-pool-executor.js';
export { toThread } from './to-thread.js';
