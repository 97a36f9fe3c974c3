/**
 * What an executor runs: a function (for executors in the same thread), or a module and the
 * name of one of its exports (for worker threads, which cannot receive a closure).
 */
export type ExecutorJob<A extends unknown[], R> =
  | ((...args: A) => R | PromiseLike<R>)
  | { readonly module: URL | string; readonly exportName: string };

/**
 * Runs jobs away from the event loop (worker threads, a process pool...).
 *
 * Python parity: `concurrent.futures.Executor` as used by `loop.run_in_executor`
 */
export interface Executor {
  /** Starts `job(...args)` and returns a promise of its result. */
  submit<A extends unknown[], R>(job: ExecutorJob<A, R>, ...args: A): PromiseLike<R>;
  /** Stops accepting jobs; when `wait` is true, resolves once running jobs have finished. */
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): PromiseLike<void>;
}
