import type { AbstractEventLoop } from './abstract-event-loop.js';
import { RuntimeError } from './errors.js';
import { runtime } from './internal/runtime.js';

/**
 * Returns the event loop running in this thread.
 *
 * @throws RuntimeError "no running event loop" when none is running.
 *
 * @example
 * ```ts
 * const loop = getRunningLoop();
 * loop.callLater(1, () => console.log('a second later'));
 * ```
 *
 * Python parity: `asyncio.get_running_loop`
 */
export function getRunningLoop(): AbstractEventLoop {
  const loop = runtime.runningLoop;
  if (loop === null) throw new RuntimeError('no running event loop');
  return loop as AbstractEventLoop;
}

/**
 * Returns the running event loop, or `null`. For loop implementers.
 *
 * Python parity: `asyncio._get_running_loop`
 */
export function _getRunningLoop(): AbstractEventLoop | null {
  return runtime.runningLoop as AbstractEventLoop | null;
}

/**
 * Records `loop` as the running loop (or clears it with `null`). Loop implementations call
 * this when they start and stop running; nobody else should.
 *
 * Python parity: `asyncio._set_running_loop`
 */
export function _setRunningLoop(loop: AbstractEventLoop | null): void {
  runtime.runningLoop = loop;
}

/**
 * Installs the function that finds "the current loop" when no loop is running (the policy's
 * loop). `@tsio/policies` installs it; `null` removes it.
 */
export function _setCurrentLoopResolver(resolver: (() => AbstractEventLoop) | null): void {
  runtime.loopResolver = resolver;
}

/**
 * Returns the loop that an object created without an explicit loop belongs to: the running
 * loop, else the current loop of the installed policy.
 *
 * @throws RuntimeError "no running event loop" when there is neither.
 *
 * Python parity: `asyncio.events.get_event_loop` as used by `Future()` and the primitives
 */
export function _currentLoop(): AbstractEventLoop {
  const running = runtime.runningLoop;
  if (running !== null) return running as AbstractEventLoop;
  const resolver = runtime.loopResolver;
  if (resolver !== null) return resolver() as AbstractEventLoop;
  throw new RuntimeError('no running event loop');
}
