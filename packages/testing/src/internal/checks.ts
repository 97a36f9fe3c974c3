import { ValueError } from '@tsio/core';

/** Describes a bad value for an error message. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value);
}

/**
 * Checks a number of seconds.
 *
 * @throws TypeError if it is not a number, or is NaN or infinite.
 * @throws ValueError if it is negative.
 */
export function checkSeconds(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${what} expects a finite number of seconds, got ${show(value)}`);
  }
  if (value < 0) {
    throw new ValueError(
      `${what} expects seconds >= 0 (virtual time never goes backwards), got ${value}`,
    );
  }
  return value;
}

/**
 * Checks a seed (an integer from 0 to 2**32 - 1), or `null` for no shuffling.
 *
 * @throws TypeError if it is neither an integer nor null.
 * @throws ValueError if it is out of range.
 */
export function checkSeed(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`seed must be an integer or null, got ${show(value)}`);
  }
  if (value < 0 || value > 0xffffffff) {
    throw new ValueError(`seed must be from 0 to 2**32 - 1, got ${value}`);
  }
  return value;
}

/**
 * Checks an optional boolean option.
 *
 * @throws TypeError if it is neither a boolean nor undefined.
 */
export function checkFlag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`${name} must be a boolean, got ${show(value)}`);
  return value;
}
