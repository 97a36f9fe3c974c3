import { constants } from 'node:os';
import { RuntimeError, ValueError } from '@tsio/core';
import type { Handle } from '../handles.js';

/** Signals that no process can catch: asyncio reports them as RuntimeError. */
const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

/**
 * Checks a signal name as asyncio's `_check_signal` checks a number.
 *
 * @throws TypeError if `signal` is not a string; ValueError if it names no signal of this
 *   platform.
 */
export function checkSignal(signal: unknown): asserts signal is NodeJS.Signals {
  if (typeof signal !== 'string') {
    throw new TypeError(`a signal name such as 'SIGINT' was expected, got ${typeof signal}`);
  }
  if (!Object.hasOwn(constants.signals, signal)) {
    throw new ValueError(`invalid signal name ${signal}`);
  }
}

interface Registration {
  readonly handle: Handle;
  readonly listener: () => void;
}

/**
 * The signal handlers of one loop: one `process` listener per signal, which hands the
 * registered Handle to `schedule` (the loop's ready queue) each time the signal arrives.
 */
export class SignalHandlers {
  readonly #registrations = new Map<NodeJS.Signals, Registration>();
  readonly #schedule: (handle: Handle) => void;

  constructor(schedule: (handle: Handle) => void) {
    this.#schedule = schedule;
  }

  /** Installs `handle` for `signal`, replacing a previous one. */
  add(signal: NodeJS.Signals, handle: Handle): void {
    if (UNCATCHABLE.has(signal)) throw new RuntimeError(`sig ${signal} cannot be caught`);
    const listener = (): void => {
      const current = this.#registrations.get(signal);
      if (current === undefined) return;
      if (current.handle.cancelled()) this.remove(signal);
      else this.#schedule(current.handle);
    };
    const previous = this.#registrations.get(signal);
    try {
      process.on(signal, listener);
    } catch (error) {
      throw new RuntimeError(`sig ${signal} cannot be caught`, { cause: error });
    }
    if (previous !== undefined) process.off(signal, previous.listener);
    this.#registrations.set(signal, { handle, listener });
  }

  /** Removes the handler of `signal`; returns true if there was one. */
  remove(signal: NodeJS.Signals): boolean {
    const registration = this.#registrations.get(signal);
    if (registration === undefined) return false;
    this.#registrations.delete(signal);
    process.off(signal, registration.listener);
    return true;
  }

  /** Removes every handler (on `close()`). */
  clear(): void {
    for (const signal of [...this.#registrations.keys()]) this.remove(signal);
  }
}
