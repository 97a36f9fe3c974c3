/**
 * What a worker sends back for a job that threw (see worker-source.ts): an error's fields, or
 * any other thrown value (structured-cloned, or its String() when it cannot be cloned).
 *
 * @internal
 */
export type SerializedThrow =
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
      readonly props: Record<string, unknown>;
      readonly cause?: SerializedThrow;
    }
  | { readonly kind: 'value'; readonly value: unknown };

type ErrorConstructorLike = new (message?: string, options?: ErrorOptions) => Error;

/** Built-in error classes re-created as themselves; any other name becomes an Error with it. */
const BUILT_IN: Readonly<Record<string, ErrorConstructorLike>> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

/**
 * Re-creates in the calling thread what a job threw: an error of the same built-in class (or
 * an Error whose `name` is the custom class's name), with the worker's message, stack, cause
 * and cloneable own properties (such as `code`).
 *
 * The error is built here rather than taken from the structured clone so that it belongs to
 * this realm (`instanceof TypeError` holds in a vm context such as jest's) and keeps a custom
 * `name`, which the structured clone of an Error drops.
 *
 * @internal
 */
export function restoreThrow(serialized: SerializedThrow): unknown {
  if (serialized.kind === 'value') return serialized.value;
  const ErrorClass = Object.hasOwn(BUILT_IN, serialized.name)
    ? (BUILT_IN[serialized.name] ?? Error)
    : Error;
  const error =
    serialized.cause === undefined
      ? new ErrorClass(serialized.message)
      : new ErrorClass(serialized.message, { cause: restoreThrow(serialized.cause) });
  if (error.name !== serialized.name) {
    Object.defineProperty(error, 'name', {
      value: serialized.name,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  Object.assign(error, serialized.props);
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}
