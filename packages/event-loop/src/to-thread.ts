import { getRunningLoop } from '@tsio/core';
import type { AbstractFuture } from '@tsio/core';
import type { WorkerJobFunction } from './worker-pool-executor.js';

/**
 * Runs the export `exportName` of `module` with `args` on a worker thread of the running
 * loop's default executor (a `WorkerPoolExecutor` unless `setDefaultExecutor` chose
 * another), and returns a Future of its result. `module` is a URL (usually
 * `new URL('./file.js', import.meta.url)`), an absolute path, or a package specifier
 * (resolved from the current directory). Arguments and the result are structured-cloned.
 *
 * Cancelling the Future, or the task awaiting it, cancels the job: a queued job is dropped,
 * a running one sees `this.signal` abort (see `WorkerJobThis`). Name the function's type to
 * type the arguments and result: `toThread<typeof import('./hash.js').sha256>(url, 'sha256', data)`.
 *
 * @throws RuntimeError "no running event loop", or "Executor shutdown has been called"
 *   after `loop.shutdownDefaultExecutor()`.
 * @throws TypeError for a relative module path or a non-string export name.
 *
 * Unlike Python's, it takes a module and an export rather than a function, and context
 * variables do not reach the worker (docs/python-differences.md).
 *
 * Python parity: `asyncio.to_thread`
 *
 * @example
 * ```ts
 * // hash.js: export function sha256(data) { return createHash('sha256').update(data).digest('hex'); }
 * const digest = await toThread(new URL('./hash.js', import.meta.url), 'sha256', data);
 * ```
 */
export function toThread<F extends WorkerJobFunction = WorkerJobFunction>(
  module: URL | string,
  exportName: string,
  ...args: Parameters<F>
): AbstractFuture<Awaited<ReturnType<F>>> {
  const loop = getRunningLoop();
  return loop.runInExecutor<Parameters<F>, Awaited<ReturnType<F>>>(
    null,
    { module, exportName },
    ...args,
  );
}
