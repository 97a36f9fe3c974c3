import type { AbstractEventLoop } from './abstract-event-loop.js';

/**
 * Decides which loop `getEventLoop()` returns and how new loops are made. Kept for Python
 * 3.13 compatibility; `run(main, { loopFactory })` is the primary way to choose a loop.
 *
 * Python parity: `asyncio.AbstractEventLoopPolicy`
 */
export interface AbstractEventLoopPolicy {
  /** Returns the current loop of this context, creating one if the policy does so. */
  getEventLoop(): AbstractEventLoop;
  /** Sets the current loop (or clears it with `null`). */
  setEventLoop(loop: AbstractEventLoop | null): void;
  /** Creates a new loop. */
  newEventLoop(): AbstractEventLoop;
}
