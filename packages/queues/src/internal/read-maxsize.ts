/** The constructor argument of every queue: `maxsize`, or an options object holding it. */
export interface QueueOptions {
  /** The most items the queue holds; 0 or less (the default) means no limit. */
  readonly maxsize?: number;
}

/**
 * The `maxsize` out of a queue constructor's argument.
 *
 * @throws TypeError when the argument is neither a number nor an object, or maxsize is not
 *   an integer (asyncio accepts floats; see the package's python-differences entry).
 */
export function readMaxsize(arg: number | QueueOptions | undefined): number {
  if (arg === undefined) return 0;
  if (typeof arg === 'object' && arg !== null) return checkInteger(arg.maxsize ?? 0);
  if (typeof arg === 'number') return checkInteger(arg);
  throw new TypeError(
    `a queue takes a maxsize number or an options object ({ maxsize }), got ${describe(arg)}`,
  );
}

function checkInteger(maxsize: unknown): number {
  if (typeof maxsize === 'number' && Number.isInteger(maxsize)) return maxsize;
  throw new TypeError(
    `maxsize must be an integer (0 or less for no limit), got ${describe(maxsize)}`,
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
