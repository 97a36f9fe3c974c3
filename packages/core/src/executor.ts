/**
 * What an executor runs: a function (for executors in the same thread), or a module and the
 * name of one of its exports (for worker threads, which cannot receive a closure).
 */
export type ExecutorJob<A extends unknown[], R> =
  | ((...args: A) => R | PromiseLike<R>)
  | {
      /** The module that exports the job: a URL, an absolute path or a package name. */
      readonly module: URL | string;
      /** The name under which that module exports the job function. */
      readonly exportName: string;
    };

/**
 * Runs jobs away from the event loop (worker threads, a process pool...).
 *
 * Cancellation, an optional extension of this contract: the promise `submit()` returns may
 * have a `cancel(): boolean` method, as `concurrent.futures.Future.cancel`. `loop.runInExecutor`
 * calls it when the Future it returned is cancelled (so cancelling the awaiting task cancels
 * the job), and treats a promise that rejects with `CancelledError` as a cancelled job.
 * `WorkerPoolExecutor` (in `@tsio/event-loop`) implements it: a queued job is dropped, a
 * running one is told through an AbortSignal.
 *
 * Python parity: `concurrent.futures.Executor` as used by `loop.run_in_executor`
 */
export interface Executor {
  /**
   * Starts `job(...args)` and returns a promise of its result, optionally with a
   * `cancel(): boolean` method (see above).
   */
  submit<A extends unknown[], R>(job: ExecutorJob<A, R>, ...args: A): PromiseLike<R>;
  /** Stops accepting jobs; when `wait` is true, resolves once running jobs have finished. */
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): PromiseLike<void>;
}
