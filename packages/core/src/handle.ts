import type { Context } from './context.js';

/**
 * A callback scheduled on a loop, returned by `callSoon`; cancel it to keep it from running.
 * The implementation (class `Handle`) lives in `@tsio/event-loop`.
 *
 * Python parity: `asyncio.Handle`
 */
export interface Handle {
  /** Keeps the callback from running; does nothing if it already ran. */
  cancel(): void;
  /** True if the handle was cancelled. */
  cancelled(): boolean;
  /** The Context the callback runs in. */
  getContext(): Context;
}

/**
 * A callback scheduled at a time, returned by `callLater` and `callAt`.
 *
 * Python parity: `asyncio.TimerHandle`
 */
export interface TimerHandle extends Handle {
  /** The loop time (seconds) at which the callback is scheduled. */
  when(): number;
}
