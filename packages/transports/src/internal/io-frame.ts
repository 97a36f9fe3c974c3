import { _contextFrame, _noteIoEvent, _runInFrame, copyContext } from '@tsio/core';
import type { ExecutionFrame } from '@tsio/core';

/**
 * The frame a transport runs its protocol's callbacks in: a copy of the context current
 * when the transport was made, and no task. Node calls socket listeners in the async context
 * of the code that created the socket, which may be a task: running the callbacks in this
 * frame instead gives them asyncio's view (no current task, the creator's context vars).
 */
export function captureIoFrame(): ExecutionFrame {
  return _contextFrame(copyContext());
}

/**
 * Runs `fn(...args)` in `frame`. Transports call it from Node's I/O events, so it also records
 * one (`_noteIoEvent`): the loop then runs what the event wakes right after it. The few calls
 * from loop callbacks (connectionMade...) happen once per connection, so counting them too
 * cannot keep a loop from yielding to Node.
 */
export function inIoFrame<A extends unknown[], R>(
  frame: ExecutionFrame,
  fn: (...args: A) => R,
  ...args: A
): R {
  _noteIoEvent();
  return _runInFrame(frame, fn, ...args);
}
