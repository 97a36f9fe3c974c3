export {
  DefaultEventLoopPolicy,
  getEventLoop,
  getEventLoopPolicy,
  newEventLoop,
  setEventLoop,
  setEventLoopPolicy,
} from './event-loop-policy.js';
export { Runner } from './runner.js';
export type { RunnerOptions } from './runner.js';
export { run } from './run.js';
// asyncio keeps get_running_loop beside the policy functions; the one implementation is core's.
export { getRunningLoop } from '@tsio/core';
