import type { AbstractEventLoop } from './abstract-event-loop.js';
import type { Context } from './context.js';

/** A done callback of a Future: called (through the loop) with the Future when it is done. */
export type DoneCallback<F> = (future: F) => void;

/**
 * What every Future implementation offers: the contract that loops and high-level packages
 * code against. `@tsio/futures` provides the implementation (`Future`).
 *
 * Python parity: `asyncio.Future` (the protocol that `asyncio.isfuture` recognises)
 */
export interface AbstractFuture<T> extends PromiseLike<T> {
  /** Returns the result, or throws the exception or a CancelledError. */
  result(): T;
  /** Returns the exception (or `null`), or throws a CancelledError if cancelled. */
  exception(): unknown;
  /** True when the future has a result, an exception, or was cancelled. */
  done(): boolean;
  /** True when the future was cancelled. */
  cancelled(): boolean;
  /** Cancels the future; returns false if it was already done. */
  cancel(msg?: string): boolean;
  /** Marks the future done with `value`. */
  setResult(value: T): void;
  /** Marks the future done with `error`. */
  setException(error: unknown): void;
  /** Calls `callback(future)` through the loop once the future is done. */
  addDoneCallback(callback: DoneCallback<this>, options?: { context?: Context }): void;
  /** Removes every registration of `callback`; returns how many were removed. */
  removeDoneCallback(callback: DoneCallback<this>): number;
  /** The loop the future belongs to. */
  getLoop(): AbstractEventLoop;
}

/**
 * What every Task implementation offers. `@tsio/futures` provides `Task`.
 *
 * Python parity: `asyncio.Task`
 */
export interface AbstractTask<T> extends AbstractFuture<T> {
  /** The task's name. */
  getName(): string;
  /** Renames the task. */
  setName(name: string): void;
  /** The Context the task runs in. */
  getContext(): Context;
  /** The number of pending cancellation requests. */
  cancelling(): number;
  /** Withdraws one cancellation request; returns the number left. */
  uncancel(): number;
  /** Aborted with the CancelledError when the task is cancelled. */
  readonly signal: AbortSignal;
}

/**
 * A coroutine: a function that returns a promise. tsio takes the function, not a started
 * promise, so that the Task can run it inside its own context. The function receives the
 * task's AbortSignal.
 */
export type Coro<T> = (signal: AbortSignal) => PromiseLike<T>;

/** Anything that can be awaited: a tsio Future or Task, or any promise or thenable. */
export type Awaitable<T> = PromiseLike<T>;

/** Options of `createTask(coro, options)`. */
export interface TaskOptions {
  /** The task's name (default `Task-<n>`). */
  name?: string;
  /** The Context to run in (default: a copy of the current one). */
  context?: Context;
  /** Start the coroutine synchronously, in `createTask`, when the loop is running. */
  eagerStart?: boolean;
}

/**
 * Creates tasks for a loop; installed with `loop.setTaskFactory`.
 *
 * Python parity: the `factory(loop, coro, **kwargs)` of `loop.set_task_factory`
 */
export type TaskFactory = <T>(
  loop: AbstractEventLoop,
  coro: Coro<T>,
  options?: TaskOptions,
) => AbstractTask<T>;
