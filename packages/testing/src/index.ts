export { VirtualTimeLoop } from './virtual-time-loop.js';
export type { VirtualTimeLoopOptions } from './virtual-time-loop.js';
export { runVirtual } from './run-virtual.js';
export type { RunVirtualOptions } from './run-virtual.js';
export { RunVirtualError } from './run-virtual-error.js';
