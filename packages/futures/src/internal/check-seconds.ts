import { describe } from './describe.js';

/**
 * Throws a TypeError unless `value` is a number of seconds (not NaN) or `null`. `where` names
 * the API and `what` the parameter for the message, e.g. `('timeout()', 'delay')`.
 * Infinity is accepted: it never expires, as a timer at infinity never fires.
 */
export function checkSecondsOrNull(
  value: unknown,
  where: string,
  what: string,
): asserts value is number | null {
  if (value === null) return;
  if (typeof value === 'number' && !Number.isNaN(value)) return;
  throw new TypeError(
    `${where} expects ${what} in seconds (a number) or null, got ${describe(value)}`,
  );
}
