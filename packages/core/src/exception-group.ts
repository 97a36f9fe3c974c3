/**
 * `ExceptionGroup`: several errors raised together, as by a TaskGroup whose tasks failed.
 */

import { ValueError } from './errors.js';

/**
 * A class of errors, used as a condition of `split` and `subgroup`: it matches its instances.
 *
 * Python parity: `type[BaseException]`
 */
export type ErrorClass<E = unknown> = abstract new (...args: never[]) => E;

/**
 * What `subgroup` and `split` select: a function that tells whether an error matches, an
 * error class (matches its instances), or an array of error classes (matches instances of
 * any of them).
 *
 * Python parity: the `condition` argument of `BaseExceptionGroup.split`
 */
export type ExceptionGroupCondition =
  ((error: unknown) => boolean) | ErrorClass | readonly ErrorClass[];

/** Tells whether `value` is a class that builds errors, rather than a predicate function. */
function isErrorClass(value: unknown): value is ErrorClass {
  if (typeof value !== 'function') return false;
  const proto: unknown = value.prototype;
  return value === Error || proto instanceof Error;
}

/** A class that is not an error class cannot be called as a predicate: reject it early. */
function isClassSyntax(fn: object): boolean {
  return Function.prototype.toString.call(fn).startsWith('class');
}

function toMatcher(condition: ExceptionGroupCondition): (error: unknown) => boolean {
  if (isErrorClass(condition)) return (error) => error instanceof condition;
  if (Array.isArray(condition)) {
    const classes: readonly unknown[] = condition;
    if (classes.every(isErrorClass)) {
      return (error) => classes.some((cls) => error instanceof (cls as ErrorClass));
    }
  } else if (typeof condition === 'function' && !isClassSyntax(condition)) {
    // Called unbound, like Python calls the condition.
    const predicate = condition as (error: unknown) => boolean;
    return (error) => predicate(error);
  }
  throw new TypeError(
    'expected an error class, an array of error classes, or a predicate function (error) => boolean',
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' ? `an object (${ctor.name})` : 'an object';
}

/** Marks an empty side of a split (a member may itself be `null` or `undefined`). */
const EMPTY: unique symbol = Symbol('empty');

interface SplitResult {
  match: unknown;
  rest: unknown;
}

const NONE: SplitResult = { match: EMPTY, rest: EMPTY };

/**
 * A group of errors raised together, with the tools of Python's `except*` to take out the
 * ones a handler deals with and re-throw the rest.
 *
 * `exceptions` holds the errors (possibly nested groups). `message` is the group's own
 * message; `String(group)` reads as Python's `str()`: `'message (2 sub-exceptions)'`.
 * It is an `AggregateError`, so `errors` holds the same errors for tools that know only that.
 *
 * Any thrown value may be a member (JavaScript can throw non-errors), where Python accepts
 * only exceptions.
 *
 * @example
 * Python's
 * ```python
 * try:
 *     async with asyncio.TaskGroup() as tg: ...
 * except* OSError as eg:
 *     log(eg)
 * except* ValueError:
 *     pass
 * ```
 * is, with tsio:
 * ```ts
 * try {
 *   await TaskGroup.run(async (tg) => {
 *     tg.createTask(() => work());
 *   });
 * } catch (e) {
 *   if (!(e instanceof ExceptionGroup)) throw e;
 *   const [osErrors, rest] = e.split(OSError);
 *   if (osErrors !== null) log(osErrors);
 *   const unhandled = rest?.split(ValueError)[1] ?? null;
 *   if (unhandled !== null) throw unhandled; // what no clause matched propagates
 * }
 * ```
 *
 * Python parity: `ExceptionGroup`
 */
export class ExceptionGroup extends AggregateError {
  /** The errors of the group, in order; a frozen array. Python parity: `BaseExceptionGroup.exceptions` */
  readonly exceptions: readonly unknown[];

  /**
   * @param message - the group's own message
   * @param exceptions - the errors to group: a non-empty array
   * @throws TypeError if `message` is not a string or `exceptions` is not an array.
   * @throws ValueError if `exceptions` is empty.
   */
  constructor(message: string, exceptions: readonly unknown[]) {
    if (typeof message !== 'string') {
      throw new TypeError(
        `ExceptionGroup() argument 1 (message) must be a string, not ${describe(message)}`,
      );
    }
    if (!Array.isArray(exceptions)) {
      throw new TypeError(
        `ExceptionGroup() argument 2 (exceptions) must be an array, not ${describe(exceptions)}`,
      );
    }
    if (exceptions.length === 0) {
      throw new ValueError('ExceptionGroup() argument 2 (exceptions) must be a non-empty array');
    }
    const frozen = Object.freeze([...(exceptions as readonly unknown[])]);
    super(frozen, message);
    this.name = new.target.name;
    this.exceptions = frozen;
    // AggregateError copies the array; share ours so `errors` and `exceptions` agree.
    Object.defineProperty(this, 'errors', {
      value: frozen,
      writable: false,
      enumerable: false,
      configurable: true,
    });
  }

  /**
   * Returns a group of the errors that match `condition`, with the nesting of this group, or
   * `null` if none matches. The condition is tried on this group first (a match returns this
   * group), then on each member; nested groups are tried, then searched.
   *
   * @throws TypeError if `condition` is neither a function, an error class nor an array of them.
   *
   * Python parity: `BaseExceptionGroup.subgroup`
   */
  subgroup(condition: ExceptionGroupCondition): ExceptionGroup | null {
    const { match } = splitRecursive(this, toMatcher(condition), false);
    return match === EMPTY ? null : (match as ExceptionGroup);
  }

  /**
   * Splits this group in two: `[match, rest]`, the errors that match `condition` and the
   * others, each a group with this group's nesting, or `null` when empty. Matching works as
   * in `subgroup`.
   *
   * @throws TypeError if `condition` is neither a function, an error class nor an array of them.
   *
   * Python parity: `BaseExceptionGroup.split`
   */
  split(condition: ExceptionGroupCondition): [ExceptionGroup | null, ExceptionGroup | null] {
    const { match, rest } = splitRecursive(this, toMatcher(condition), true);
    return [
      match === EMPTY ? null : (match as ExceptionGroup),
      rest === EMPTY ? null : (rest as ExceptionGroup),
    ];
  }

  /**
   * Returns a new group with this group's message and the given errors. `subgroup` and
   * `split` build their groups with it; a subclass overrides it to keep its own type (else
   * its parts are plain `ExceptionGroup`s, as in Python).
   *
   * Python parity: `BaseExceptionGroup.derive`
   */
  derive(exceptions: readonly unknown[]): ExceptionGroup {
    return new ExceptionGroup(this.message, exceptions);
  }

  /** `'message (N sub-exceptions)'`. Python parity: `str(eg)` */
  override toString(): string {
    const n = this.exceptions.length;
    return `${this.message} (${n} sub-exception${n === 1 ? '' : 's'})`;
  }
}

function splitRecursive(
  error: unknown,
  matches: (error: unknown) => boolean,
  keepRest: boolean,
): SplitResult {
  if (matches(error)) return { match: error, rest: EMPTY };
  if (!(error instanceof ExceptionGroup)) return keepRest ? { match: EMPTY, rest: error } : NONE;
  const matched: unknown[] = [];
  const rest: unknown[] = [];
  for (const member of error.exceptions) {
    const part = splitRecursive(member, matches, keepRest);
    if (part.match !== EMPTY) matched.push(part.match);
    if (part.rest !== EMPTY) rest.push(part.rest);
  }
  return {
    match: subset(error, matched),
    rest: keepRest ? subset(error, rest) : EMPTY,
  };
}

/** Derives a group of `members` from `original`, carrying over its cause and stack. */
function subset(original: ExceptionGroup, members: unknown[]): ExceptionGroup | typeof EMPTY {
  if (members.length === 0) return EMPTY;
  const group: unknown = original.derive(members);
  if (!(group instanceof ExceptionGroup)) {
    throw new TypeError('derive() must return an ExceptionGroup');
  }
  // Python copies __traceback__, __cause__, __context__ and __notes__; here, stack and cause.
  if (Object.hasOwn(original, 'cause')) {
    Object.defineProperty(group, 'cause', {
      value: original.cause,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  if (original.stack !== undefined) group.stack = original.stack;
  return group;
}
