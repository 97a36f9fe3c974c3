import {
  _getRunningLoop,
  _setCurrentLoopResolver,
  RuntimeError,
  type AbstractEventLoop,
  type AbstractEventLoopPolicy,
} from '@tsio/core';
import { EventLoop } from '@tsio/event-loop';

/**
 * The default policy: one current loop per process, created on first use by
 * `getEventLoop()` unless `setEventLoop()` was called, and `newEventLoop()` makes tsio's loop.
 *
 * Policies are kept for Python 3.13 compatibility (3.14 deprecates them); prefer
 * `run(main, { loopFactory })` or `new Runner({ loopFactory })` to choose a loop.
 *
 * Python parity: `asyncio.DefaultEventLoopPolicy`
 */
export class DefaultEventLoopPolicy implements AbstractEventLoopPolicy {
  #loop: AbstractEventLoop | null = null;
  #setCalled = false;

  /**
   * Returns the current loop, creating and setting one the first time if `setEventLoop` was
   * never called.
   *
   * @throws RuntimeError "There is no current event loop" after `setEventLoop(null)`.
   *
   * Python parity: `AbstractEventLoopPolicy.get_event_loop`
   */
  getEventLoop(): AbstractEventLoop {
    if (this.#loop === null && !this.#setCalled) this.setEventLoop(this.newEventLoop());
    if (this.#loop === null) {
      throw new RuntimeError(
        'There is no current event loop: call setEventLoop(newEventLoop()) first, or use run()',
      );
    }
    return this.#loop;
  }

  /**
   * Sets the current loop, or clears it with `null`.
   *
   * @throws TypeError if `loop` is neither a loop nor null.
   *
   * Python parity: `AbstractEventLoopPolicy.set_event_loop`
   */
  setEventLoop(loop: AbstractEventLoop | null): void {
    if (loop !== null && !looksLikeLoop(loop)) {
      throw new TypeError(
        `setEventLoop() expects an event loop or null, got ${describeValue(loop)}`,
      );
    }
    this.#setCalled = true;
    this.#loop = loop;
  }

  /** Creates a new loop. Python parity: `AbstractEventLoopPolicy.new_event_loop` */
  newEventLoop(): AbstractEventLoop {
    return new EventLoop();
  }
}

const POLICY_KEY = Symbol.for('tsio.policy.v1');
type PolicyHolder = typeof globalThis & { [POLICY_KEY]?: AbstractEventLoopPolicy | null };
const holder = globalThis as PolicyHolder;

/**
 * Returns the process's event-loop policy, creating the default one on first use.
 *
 * @example
 * ```ts
 * const loop = getEventLoopPolicy().newEventLoop();
 * ```
 *
 * Python parity: `asyncio.get_event_loop_policy`
 */
export function getEventLoopPolicy(): AbstractEventLoopPolicy {
  return (holder[POLICY_KEY] ??= new DefaultEventLoopPolicy());
}

/**
 * Installs `policy`, or the default policy again with `null`.
 *
 * @throws TypeError if `policy` does not implement the policy methods.
 *
 * @example
 * ```ts
 * class TracingPolicy extends DefaultEventLoopPolicy {
 *   override newEventLoop() {
 *     const loop = super.newEventLoop();
 *     loop.setDebug(true);
 *     return loop;
 *   }
 * }
 * setEventLoopPolicy(new TracingPolicy()); // run() now creates its loops through it
 * ```
 *
 * Python parity: `asyncio.set_event_loop_policy`
 */
export function setEventLoopPolicy(policy: AbstractEventLoopPolicy | null): void {
  if (policy !== null && !looksLikePolicy(policy)) {
    throw new TypeError(
      `setEventLoopPolicy() expects an object with getEventLoop, setEventLoop and newEventLoop, ` +
        `or null; got ${describeValue(policy)}`,
    );
  }
  holder[POLICY_KEY] = policy;
}

/**
 * Returns the running loop if there is one, else the policy's current loop (created on first
 * use by the default policy).
 *
 * @example
 * ```ts
 * const loop = getEventLoop(); // outside run(): the policy's loop, not running yet
 * loop.runUntilComplete(async () => await sleep(0.1));
 * ```
 *
 * Python parity: `asyncio.get_event_loop`
 */
export function getEventLoop(): AbstractEventLoop {
  return _getRunningLoop() ?? getEventLoopPolicy().getEventLoop();
}

/**
 * Sets the policy's current loop.
 *
 * @example
 * ```ts
 * const loop = newEventLoop();
 * setEventLoop(loop); // getEventLoop() returns it from now on
 * ```
 *
 * Python parity: `asyncio.set_event_loop`
 */
export function setEventLoop(loop: AbstractEventLoop | null): void {
  getEventLoopPolicy().setEventLoop(loop);
}

/**
 * Creates a new loop with the policy.
 *
 * @example
 * ```ts
 * const loop = newEventLoop();
 * try {
 *   await loop.runUntilComplete(async () => await sleep(0.1, 'done'));
 * } finally {
 *   loop.close();
 * }
 * ```
 *
 * Python parity: `asyncio.new_event_loop`
 */
export function newEventLoop(): AbstractEventLoop {
  return getEventLoopPolicy().newEventLoop();
}

// `new Future()` and the primitives find the policy's loop when no loop is running.
_setCurrentLoopResolver(getEventLoop);

function looksLikeLoop(value: unknown): boolean {
  const loop = value as Partial<AbstractEventLoop> | null;
  return (
    typeof loop === 'object' &&
    loop !== null &&
    typeof loop.callSoon === 'function' &&
    typeof loop.runUntilComplete === 'function'
  );
}

function looksLikePolicy(value: unknown): boolean {
  const policy = value as Partial<AbstractEventLoopPolicy> | null;
  return (
    typeof policy === 'object' &&
    policy !== null &&
    typeof policy.getEventLoop === 'function' &&
    typeof policy.setEventLoop === 'function' &&
    typeof policy.newEventLoop === 'function'
  );
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}
