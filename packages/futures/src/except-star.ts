import {
  CancelledError,
  ExceptionGroup,
  isCancelledError,
  type ExceptionGroupCondition,
} from '@tsio/core';
import { isThenable } from './internal/describe.js';

/**
 * One clause of `exceptStar`: what it catches (an error class, an array of classes, or a
 * predicate) and the synchronous handler that receives the matching errors as a group.
 */
export type ExceptStarClause = readonly [
  condition: ExceptionGroupCondition,
  handler: (group: ExceptionGroup) => void,
];

/**
 * Handles the errors of an ExceptionGroup clause by clause, then re-throws what no clause
 * handled: what Python's `try: ... except* E1: ... except* E2: ...` does.
 *
 * Call it in a `catch` block with the caught value. Each clause, in order, takes the errors
 * of the group (still unhandled) that match its condition (`group.split(condition)`) and, if
 * there are any, calls its handler with them as a group keeping the original nesting. After
 * the last clause:
 * - the errors that no clause matched are thrown again, as a group with the original nesting
 *   and message;
 * - a handler that throws the group it received (`throw group`) re-raises those errors: they
 *   join the unhandled ones, in the original structure;
 * - anything else a handler throws is collected, and then everything is thrown together as
 *   `ExceptionGroup('', [...thrown, rest])` (only `rest` and nothing else: `rest` itself);
 * - when everything was handled, `exceptStar` returns normally.
 *
 * A caught value that is not an ExceptionGroup is matched as a group of one: a handler gets
 * `ExceptionGroup('', [error])`; unmatched, the value is re-thrown as is; a handler's own
 * error is thrown as is.
 *
 * tsio: a bare `CancelledError` is re-thrown at once, before any clause runs, unless a
 * clause names `CancelledError` (or a subclass) among its classes, because `Error` and
 * predicates would otherwise swallow a cancellation (in Python, `except* Exception` does not
 * catch it). Handlers must be synchronous: to await something, record the group and act after
 * `exceptStar` returns.
 *
 * @throws the unhandled rest, or the group of the handlers' errors, as described above.
 * @throws TypeError if `clauses` is not an array of `[condition, handler]` pairs, if a
 *   condition names `ExceptionGroup` (catch the whole group with `catch` instead), if a
 *   condition is not an error class, an array of them or a predicate, or if a handler returns
 *   a promise.
 *
 * @example
 * ```ts
 * declare function connect(host: string): Promise<void>; // may throw a ConnectionError
 * declare function parse(text: string): Promise<void>; // may throw a ValueError
 * try {
 *   await TaskGroup.run(async (tg) => {
 *     tg.createTask(() => connect('example.com'));
 *     tg.createTask(() => parse('{}'));
 *   });
 * } catch (e) {
 *   exceptStar(e, [
 *     [ConnectionError, (group) => log('network', group.exceptions)],
 *     [ValueError, () => {}], // ignore bad input
 *   ]); // anything else is re-thrown
 * }
 * ```
 *
 * Python parity: `except*`
 */
export function exceptStar(error: unknown, clauses: readonly ExceptStarClause[]): void {
  checkClauses(clauses);
  const naked = !(error instanceof ExceptionGroup);
  if (naked && isCancelledError(error) && !clauses.some(([c]) => namesCancelledError(c))) {
    throw error;
  }
  const group = naked ? new ExceptionGroup('', [error]) : error;
  let rest: ExceptionGroup | null = group;
  const raised: unknown[] = [];
  const reraised: ExceptionGroup[] = [];
  for (const [condition, handler] of clauses) {
    if (rest === null) break;
    const [match, unmatched]: [ExceptionGroup | null, ExceptionGroup | null] =
      rest.split(condition);
    rest = unmatched;
    if (match === null) continue;
    let returned: unknown;
    try {
      returned = handler(match);
    } catch (thrown) {
      if (thrown === match) reraised.push(match);
      else raised.push(thrown);
    }
    if (isThenable(returned)) {
      throw new TypeError(
        'an exceptStar() handler returned a promise: handlers must be synchronous; ' +
          'record the group and await after exceptStar() returns',
      );
    }
  }
  if (naked) {
    // Only one clause can have run on a single error: at most one thing to throw (as Python).
    if (raised.length > 0) throw raised[0];
    if (reraised.length > 0) throw reraised[0];
    if (rest !== null) throw error;
    return;
  }
  const kept = keep(group, rest, reraised);
  if (raised.length === 0) {
    if (kept !== null) throw kept;
    return;
  }
  throw new ExceptionGroup('', kept === null ? raised : [...raised, kept]);
}

/** The part of `group` made of the unhandled errors and the re-raised ones, in its nesting. */
function keep(
  group: ExceptionGroup,
  rest: ExceptionGroup | null,
  reraised: readonly ExceptionGroup[],
): ExceptionGroup | null {
  if (reraised.length === 0) return rest;
  const leaves = new Set<unknown>();
  for (const part of rest === null ? reraised : [rest, ...reraised]) collectLeaves(part, leaves);
  return group.split((e) => leaves.has(e))[0];
}

function collectLeaves(group: ExceptionGroup, into: Set<unknown>): void {
  for (const member of group.exceptions) {
    if (member instanceof ExceptionGroup) collectLeaves(member, into);
    else into.add(member);
  }
}

function checkClauses(clauses: readonly ExceptStarClause[]): void {
  if (!Array.isArray(clauses)) {
    throw new TypeError('exceptStar() expects an array of [condition, handler] clauses');
  }
  clauses.forEach((clause: unknown, i) => {
    if (
      !Array.isArray(clause) ||
      clause.length !== 2 ||
      typeof clause[1] !== 'function' ||
      clause[0] === null ||
      clause[0] === undefined
    ) {
      throw new TypeError(`exceptStar() clause ${i} must be a [condition, handler] pair`);
    }
    if (classesOf(clause[0] as ExceptionGroupCondition).some(isExceptionGroupClass)) {
      throw new TypeError(
        `exceptStar() clause ${i} names ExceptionGroup: catching ExceptionGroup with ` +
          'exceptStar() is not allowed; use a plain catch instead',
      );
    }
  });
}

function classesOf(condition: ExceptionGroupCondition): readonly unknown[] {
  return Array.isArray(condition) ? condition : [condition];
}

function isExceptionGroupClass(cls: unknown): boolean {
  return (
    typeof cls === 'function' && (cls === ExceptionGroup || cls.prototype instanceof ExceptionGroup)
  );
}

function namesCancelledError(condition: ExceptionGroupCondition): boolean {
  return classesOf(condition).some(
    (cls) =>
      typeof cls === 'function' &&
      (cls === CancelledError || cls.prototype instanceof CancelledError),
  );
}
