export { BaseEventLoop } from './base-event-loop.js';
export type { BaseEventLoopOptions } from './base-event-loop.js';
export { Handle, TimerHandle } from './handles.js';
export { nodeHostTimers, systemClock } from './clock.js';
export type { Clock, HostTimerHandle, HostTimers } from './clock.js';
