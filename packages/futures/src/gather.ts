import {
  _currentLoop,
  copyContext,
  type AbstractEventLoop,
  type Awaitable,
  type Coro,
} from '@tsio/core';
import { Future } from './future.js';
import { describe, isThenable } from './internal/describe.js';
import { toFutures } from './internal/to-futures.js';

/** Options of `gather(aws, options)`. */
export interface GatherOptions {
  /**
   * Put each child's error (and the CancelledError of a cancelled child) in the results
   * instead of failing the gather with the first one. Default `false`.
   */
  returnExceptions?: boolean;
}

/** What `gather` accepts: a Future, Task, promise or thenable, or a coroutine function. */
export type GatherArg<T = unknown> = Awaitable<T> | Coro<T>;

/** The value an argument of `gather` produces. */
export type GatherValue<A> = A extends (signal: AbortSignal) => PromiseLike<infer T>
  ? T
  : A extends PromiseLike<infer T>
    ? T
    : never;

/** The results of `gather(...aws)`: one per argument, in argument order. */
export type GatherResults<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: GatherValue<A[K]>;
};

/**
 * The results of `gather(aws, { returnExceptions: true })`: a value or an error per argument.
 * Like typeshed's `T | BaseException`, the error side is typed `Error`; a task that throws a
 * non-Error value puts that value there.
 */
export type GatherSettledResults<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: GatherValue<A[K]> | Error;
};

/**
 * Runs awaitables concurrently and returns a Future of their results, in argument order.
 *
 * Two call forms, told apart by the first argument: `gather(a, b, c)` (every argument an
 * awaitable) and `gather([a, b, c], { returnExceptions })` (an array, then options). An array
 * is never awaitable, so the forms cannot be confused; an options object in the first form is
 * a TypeError that points to the second.
 *
 * Coroutine functions and promises are wrapped in Tasks (`ensureFuture`); the same object
 * given twice is run once and its result appears twice. Without `returnExceptions`, the first
 * child error (or the CancelledError of a cancelled child) fails the gather at once; the
 * other children keep running. With it, errors are results. Cancelling the returned Future
 * (directly, or by cancelling the task that awaits it) cancels every child that is not done,
 * and the gather then fails with CancelledError whatever `returnExceptions` says; if every
 * child is already done, `cancel()` returns false and the results stand (Python bpo-26923).
 * The returned Future fails with a CancelledError, it is not itself "cancelled".
 *
 * @throws TypeError naming the argument that cannot be awaited, or for bad options.
 * @throws ValueError if the futures belong to different loops.
 * @throws RuntimeError "no running event loop" when a Task must be created (or no argument
 *   is given) and no loop is current.
 *
 * @example
 * ```ts
 * declare function fetchUser(): Promise<{ name: string }>;
 * declare function fetchPosts(): Promise<string[]>;
 * const [user, posts] = await gather(fetchUser, createTask(fetchPosts));
 * const settled = await gather([fetchUser, fetchPosts], { returnExceptions: true });
 * // settled: [{ name: string } | Error, string[] | Error]
 * ```
 *
 * Python parity: `asyncio.gather`
 */
export function gather<const A extends readonly GatherArg[]>(...aws: A): Future<GatherResults<A>>;
export function gather<const A extends readonly GatherArg[]>(
  aws: A,
  options?: GatherOptions & { returnExceptions?: false },
): Future<GatherResults<A>>;
export function gather<const A extends readonly GatherArg[]>(
  aws: A,
  options: GatherOptions,
): Future<GatherSettledResults<A>>;
export function gather(...args: unknown[]): Future<unknown[]> {
  if (!Array.isArray(args[0])) return gatherAll(args, false, (i) => `argument ${i + 1}`, HINT);
  if (args.length > 2) {
    throw new TypeError(
      `gather(aws, options) takes 2 arguments, got ${args.length}: put every awaitable in the array`,
    );
  }
  const options = args[1];
  if (options === undefined) return gatherAll(args[0], false, (i) => `aws[${i}]`);
  if (options === null || typeof options !== 'object' || isThenable(options)) {
    throw new TypeError(
      `gather(aws, options): options must be an object such as { returnExceptions: true }, ` +
        `got ${describe(options)}`,
    );
  }
  const returnExceptions = (options as GatherOptions).returnExceptions;
  if (returnExceptions !== undefined && typeof returnExceptions !== 'boolean') {
    throw new TypeError(
      `gather(): returnExceptions must be a boolean, got ${describe(returnExceptions)}`,
    );
  }
  return gatherAll(args[0], returnExceptions === true, (i) => `aws[${i}]`);
}

const HINT =
  '; to pass options, give the awaitables as an array: gather([a, b], { returnExceptions: true })';

function gatherAll(
  items: readonly unknown[],
  returnExceptions: boolean,
  name: (index: number) => string,
  hint = '',
): Future<unknown[]> {
  if (items.length === 0) {
    const empty = new Future<unknown[]>({ loop: _currentLoop() });
    empty.setResult([]);
    return empty;
  }
  const { perItem, distinct, loop } = toFutures(items, 'gather()', name, hint);
  return new GatheringFuture(perItem, distinct, returnExceptions, loop);
}

/**
 * The Future `gather` returns. Like asyncio's `_GatheringFuture`, `cancel()` cancels the
 * children instead of marking itself cancelled at once, as `Task.cancel()` does.
 */
class GatheringFuture extends Future<unknown[]> {
  readonly #children: readonly Future<unknown>[];
  readonly #distinct: readonly Future<unknown>[];
  readonly #returnExceptions: boolean;
  #finished = 0;
  #cancelRequested = false;

  constructor(
    children: readonly Future<unknown>[],
    distinct: readonly Future<unknown>[],
    returnExceptions: boolean,
    loop: AbstractEventLoop,
  ) {
    super({ loop });
    this.#children = children;
    this.#distinct = distinct;
    this.#returnExceptions = returnExceptions;
    const onChildDone = (child: Future<unknown>): void => this.#childDone(child);
    // One Context copy serves every child: the callback sets no context variable.
    const context = copyContext();
    const doneAlready: Future<unknown>[] = [];
    for (const child of distinct) {
      if (child.done()) doneAlready.push(child);
      else child.addDoneCallback(onChildDone, { context });
    }
    // As asyncio: children finished before the gather existed (eager tasks) count now, so a
    // gather of finished children is finished when returned.
    for (const child of doneAlready) this.#childDone(child);
  }

  /**
   * Cancels every child that is not done; returns true if one was. Returns false (and the
   * gather completes normally) when all children are done, even if the gather is not yet.
   *
   * Python parity: `_GatheringFuture.cancel`
   */
  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let cancelled = false;
    // Each distinct child once: cancelling a Task twice would count two requests.
    for (const child of this.#distinct) if (child.cancel(msg)) cancelled = true;
    if (cancelled) {
      // asyncio bpo-32684: the gather fails with CancelledError even with returnExceptions.
      this.#cancelRequested = true;
    }
    return cancelled;
  }

  #childDone(child: Future<unknown>): void {
    this.#finished += 1;
    if (this.done()) {
      // Mark the child's exception as retrieved: the gather reported (or dropped) it.
      if (!child.cancelled()) child.exception();
      return;
    }
    if (!this.#returnExceptions) {
      const outcome = settle(child);
      if (!outcome.ok) {
        this.setException(outcome.error);
        return;
      }
    }
    if (this.#finished < this.#distinct.length) return;
    if (this.#cancelRequested) {
      // As asyncio: every child's outcome is read (so none is reported as never retrieved),
      // and the CancelledError is the one of the child that finished last.
      for (const c of this.#distinct) if (!c.cancelled()) c.exception();
      this.setException(child._makeCancelledError());
      return;
    }
    this.setResult(
      this.#children.map((c) => {
        const outcome = settle(c);
        return outcome.ok ? outcome.value : outcome.error;
      }),
    );
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A done future's outcome, read without confusing `throw null` with success. */
function settle(future: Future<unknown>): Outcome {
  try {
    return { ok: true, value: future.result() };
  } catch (error) {
    return { ok: false, error };
  }
}
