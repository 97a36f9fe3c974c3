import { runtime } from './internal/runtime.js';

/**
 * Records that Node delivered an I/O event to tsio (a socket's data, a new connection...).
 * Transports call it first thing in their Node event listeners. A loop woken from idle while
 * such an event runs knows that Node has yielded to I/O since its last time slice began, so
 * it may run the woken work at once (a microtask) instead of deferring it to `setImmediate`,
 * where it would wait for every other event of the same poll.
 *
 * For transport implementers.
 */
export function _noteIoEvent(): void {
  runtime.ioEvents = (runtime.ioEvents ?? 0) + 1;
}

/**
 * How many I/O events transports have recorded with `_noteIoEvent` in this process. A loop
 * compares it with the count it saw when its time slice began. For loop implementers.
 */
export function _ioEventCount(): number {
  return runtime.ioEvents ?? 0;
}
