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
