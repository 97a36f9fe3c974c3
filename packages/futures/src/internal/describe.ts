/** A short description of a value for error messages: its kind, never its whole content. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  if (value instanceof Promise) return 'a Promise';
  if (isThenable(value)) return `a thenable (${value.constructor?.name ?? 'object'})`;
  return `an object (${value.constructor?.name ?? 'Object'})`;
}

/** True when `value` has a callable `then`: anything `await` adopts. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
