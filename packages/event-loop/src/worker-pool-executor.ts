import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CancelledError, RuntimeError, ValueError } from '@tsio/core';
import type { Executor, ExecutorJob } from '@tsio/core';
import { describeValue } from './internal/checks.js';
import { restoreThrow } from './internal/job-error.js';
import type { SerializedThrow } from './internal/job-error.js';
import { WORKER_SOURCE } from './internal/worker-source.js';

/**
 * What a worker job receives as `this`: `signal` aborts when the job is cancelled while it
 * runs. Declare it as the job's `this` parameter:
 * `export async function hash(this: WorkerJobThis, data: Uint8Array) { this.signal.throwIfAborted(); … }`.
 *
 * Reading `signal.aborted` or calling `signal.throwIfAborted()` sees a cancellation at once,
 * even in a job that never awaits; the `abort` event and `AbortSignal`-aware APIs see it when
 * the job awaits.
 *
 * Python parity: none (a Python thread cannot be interrupted; tsio tells the job instead)
 */
export interface WorkerJobThis {
  /** Aborts when the job is cancelled while it runs. */
  readonly signal: AbortSignal;
}

/**
 * The shape of a function a worker can run: exported from a module, called with
 * `this: WorkerJobThis` and structured-cloneable arguments; it may return a promise.
 *
 * Python parity: the `fn` of `Executor.submit(fn, /, *args)`
 */
export type WorkerJobFunction = (this: WorkerJobThis, ...args: any[]) => unknown;

/**
 * The promise `WorkerPoolExecutor.submit()` returns: it settles with the job's result and can
 * cancel the job (promises derived from it with `then` cannot).
 *
 * Python parity: `concurrent.futures.Future`
 */
export interface WorkerJobPromise<R> extends Promise<R> {
  /**
   * Cancels the job and tells whether it is cancelled. A queued job is dropped and never
   * runs; a running job's `this.signal` aborts (cooperative: the job decides when to stop).
   * Either way the promise rejects with `CancelledError`, for a running job once it has
   * returned. Returns false if the job had already finished.
   *
   * Python parity: `concurrent.futures.Future.cancel` (which returns False for a running job)
   */
  cancel(): boolean;
}

/**
 * Options of `new WorkerPoolExecutor(options)`.
 *
 * Python parity: the `max_workers` argument of `concurrent.futures.ThreadPoolExecutor`
 */
export interface WorkerPoolExecutorOptions {
  /**
   * The most worker threads run at once. Default: `min(32, os.availableParallelism() + 4)`,
   * Python's default for `ThreadPoolExecutor`; workers start only when a job finds none idle.
   */
  maxWorkers?: number;
  /**
   * Seconds an idle worker lives before it is stopped (it is restarted when needed).
   * Default: 60. `Infinity` keeps workers until `shutdown()`. An idle worker never keeps the
   * process alive either way.
   */
  idleTimeout?: number;
}

type JobState = 'queued' | 'running' | 'done';

/** A submitted job, from submit() until its promise settles. */
interface Job {
  readonly id: number;
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  state: JobState;
  cancelled: boolean;
  worker: PoolWorker | null;
}

/** A worker thread of the pool, and what it is doing. */
interface PoolWorker {
  readonly thread: Worker;
  job: Job | null;
  idleTimer: ReturnType<typeof setTimeout> | null;
  /** The uncaught error that killed the thread, when one did. */
  crash: { readonly error: unknown } | null;
  terminating: boolean;
}

type DoneMessage =
  | { type: 'done'; id: number; ok: true; value: unknown }
  | { type: 'done'; id: number; ok: false; error: SerializedThrow };

/** Turns a job's module into what the worker imports: a URL string or a package specifier. */
function moduleSpecifier(module: unknown, exportName: unknown): string {
  if (typeof exportName !== 'string') {
    throw new TypeError(
      `a worker job's exportName must be a string, got ${describeValue(exportName)}`,
    );
  }
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') {
    throw new TypeError(
      `a worker job's module must be a URL, an absolute path or a package name, got ${describeValue(module)}`,
    );
  }
  if (isAbsolute(module)) return pathToFileURL(module).href;
  if (module.startsWith('./') || module.startsWith('../') || module === '.' || module === '..') {
    throw new TypeError(
      `a worker job's module cannot be a relative path (${module}): the worker would not know ` +
        `what it is relative to; pass new URL('${module}', import.meta.url) instead`,
    );
  }
  return module;
}

/**
 * An executor that runs jobs on a pool of worker threads. A job names a module and one of its
 * exports, since a closure cannot be sent to another thread; arguments and results are
 * structured-cloned. Workers start lazily, up to `maxWorkers`; jobs wait in a FIFO queue.
 * An idle worker does not keep the process alive.
 *
 * A job that throws rejects the promise with an error of the same built-in class, or with an
 * Error keeping a custom class's `name`, with the worker's message and stack. A worker that
 * dies (`process.exit()` in a job, an uncaught error) fails its running job with a
 * RuntimeError and is replaced for the next job.
 *
 * Python parity: `concurrent.futures.ThreadPoolExecutor`
 *
 * @example
 * ```ts
 * // hash.ts:  export function sha256(this: WorkerJobThis, data: Uint8Array) { ... }
 * const pool = new WorkerPoolExecutor({ maxWorkers: 2 });
 * const digest = await pool.submit({ module: new URL('./hash.js', import.meta.url), exportName: 'sha256' }, data);
 * await pool.shutdown();
 * ```
 */
export class WorkerPoolExecutor implements Executor {
  readonly #maxWorkers: number;
  readonly #idleMs: number | null;
  readonly #queue: Job[] = [];
  readonly #workers = new Set<PoolWorker>();
  #nextId = 0;
  #shutdown = false;
  #drained: Promise<void> | null = null;
  #resolveDrained: () => void = () => {};

  /**
   * @throws ValueError if `maxWorkers` is not a positive integer or `idleTimeout` is negative.
   */
  constructor(options: WorkerPoolExecutorOptions = {}) {
    const maxWorkers = options.maxWorkers ?? Math.min(32, availableParallelism() + 4);
    if (!Number.isInteger(maxWorkers) || maxWorkers <= 0) {
      throw new ValueError(
        `maxWorkers must be an integer greater than 0, got ${String(maxWorkers)}`,
      );
    }
    const idleTimeout = options.idleTimeout ?? 60;
    if (typeof idleTimeout !== 'number' || Number.isNaN(idleTimeout) || idleTimeout < 0) {
      throw new ValueError(
        `idleTimeout must be a number of seconds >= 0, got ${String(idleTimeout)}`,
      );
    }
    this.#maxWorkers = maxWorkers;
    // setTimeout fires at once past 2**31-1 ms, so a longer timeout means "never".
    this.#idleMs = idleTimeout * 1000 > 2 ** 31 - 1 ? null : idleTimeout * 1000;
  }

  /**
   * Queues `job(...args)` to run on a worker thread; returns a promise of its result that
   * also has a `cancel()` method.
   *
   * @throws TypeError for a function job (a worker cannot receive a closure: export the
   *   function and pass `{ module: new URL('./file.js', import.meta.url), exportName }`), or
   *   a job whose module is a relative path.
   * @throws RuntimeError "cannot schedule new futures after shutdown".
   *
   * Python parity: `concurrent.futures.Executor.submit`
   */
  submit<A extends unknown[], R>(job: ExecutorJob<A, R>, ...args: A): WorkerJobPromise<R> {
    if (typeof job === 'function') {
      const name = job.name === '' ? 'myJob' : job.name;
      throw new TypeError(
        `WorkerPoolExecutor cannot run a function (got ${describeValue(job)}): a worker thread ` +
          `cannot receive a closure. Export it from a module and pass ` +
          `{ module: new URL('./jobs.js', import.meta.url), exportName: '${name}' } instead`,
      );
    }
    if (job === null || typeof job !== 'object') {
      throw new TypeError(
        `WorkerPoolExecutor.submit() expects a { module, exportName } job, got ${describeValue(job)}`,
      );
    }
    const module = moduleSpecifier(job.module, job.exportName);
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    let settle!: Pick<Job, 'resolve' | 'reject'>;
    const promise = new Promise<R>((resolve, reject) => {
      settle = { resolve: resolve as (value: unknown) => void, reject };
    }) as WorkerJobPromise<R>;
    const entry: Job = {
      id: this.#nextId++,
      module,
      exportName: job.exportName,
      args,
      ...settle,
      state: 'queued',
      cancelled: false,
      worker: null,
    };
    promise.cancel = () => this.#cancel(entry);
    this.#queue.push(entry);
    this.#pump();
    return promise;
  }

  /**
   * Stops accepting jobs. With `cancelFutures`, drops the queued jobs (their promises reject
   * with CancelledError); the others still run. With `wait` (the default), resolves once
   * every job has finished and the workers have stopped; without it, resolves at once and
   * each worker stops when the queue is empty and its job is done. Running jobs are never
   * interrupted; cancel them for that. Calling it again is harmless.
   *
   * Python parity: `concurrent.futures.Executor.shutdown`
   */
  shutdown(options: { wait?: boolean; cancelFutures?: boolean } = {}): Promise<void> {
    const { wait = true, cancelFutures = false } = options;
    this.#shutdown = true;
    this.#drained ??= new Promise<void>((resolve) => (this.#resolveDrained = resolve));
    const drained = this.#drained;
    if (cancelFutures) {
      for (const job of this.#queue.splice(0)) {
        job.cancelled = true;
        this.#finish(job, false, new CancelledError());
      }
    }
    this.#reap();
    return wait ? drained : Promise.resolve();
  }

  // ---------------------------------------------------------------- scheduling

  /** Hands queued jobs to idle workers, starting workers while below maxWorkers. */
  #pump(): void {
    while (this.#queue.length > 0) {
      let worker: PoolWorker | undefined;
      for (const candidate of this.#workers) {
        if (candidate.job === null && !candidate.terminating) {
          worker = candidate;
          break;
        }
      }
      if (worker === undefined) {
        if (this.#workers.size >= this.#maxWorkers) return;
        worker = this.#startWorker();
      }
      this.#run(worker, this.#queue.shift() as Job);
    }
    this.#reap();
  }

  #run(worker: PoolWorker, job: Job): void {
    try {
      worker.thread.postMessage({
        type: 'run',
        id: job.id,
        module: job.module,
        exportName: job.exportName,
        args: job.args,
      });
    } catch (error) {
      // An argument that cannot be structured-cloned (a function, a socket...).
      this.#finish(job, false, error);
      if (worker.idleTimer === null) this.#idle(worker);
      return;
    }
    if (worker.idleTimer !== null) clearTimeout(worker.idleTimer);
    worker.idleTimer = null;
    worker.job = job;
    job.worker = worker;
    job.state = 'running';
    worker.thread.ref();
  }

  #cancel(job: Job): boolean {
    if (job.state === 'done') return job.cancelled;
    job.cancelled = true;
    if (job.state === 'queued') {
      const index = this.#queue.indexOf(job);
      if (index >= 0) this.#queue.splice(index, 1);
      this.#finish(job, false, new CancelledError());
      this.#reap();
    } else {
      // The promise rejects with CancelledError when the job returns (#onDone).
      job.worker?.thread.postMessage({ type: 'abort', id: job.id });
    }
    return true;
  }

  #finish(job: Job, ok: boolean, outcome: unknown): void {
    if (job.state === 'done') return;
    job.state = 'done';
    job.worker = null;
    if (job.cancelled) job.reject(new CancelledError());
    else if (ok) job.resolve(outcome);
    else job.reject(outcome);
  }

  // ---------------------------------------------------------------- workers

  #startWorker(): PoolWorker {
    const worker: PoolWorker = {
      thread: new Worker(WORKER_SOURCE, { eval: true }),
      job: null,
      idleTimer: null,
      crash: null,
      terminating: false,
    };
    worker.thread.on('message', (message: DoneMessage) => this.#onDone(worker, message));
    worker.thread.on('error', (error: unknown) => (worker.crash = { error }));
    worker.thread.on('exit', (code: number) => this.#onExit(worker, code));
    this.#workers.add(worker);
    return worker;
  }

  #onDone(worker: PoolWorker, message: DoneMessage): void {
    const job = worker.job;
    if (job === null || message.type !== 'done' || message.id !== job.id) return;
    worker.job = null;
    if (message.ok) this.#finish(job, true, message.value);
    else this.#finish(job, false, restoreThrow(message.error));
    this.#idle(worker);
    this.#pump();
  }

  #onExit(worker: PoolWorker, code: number): void {
    this.#workers.delete(worker);
    if (worker.idleTimer !== null) clearTimeout(worker.idleTimer);
    const job = worker.job;
    if (job !== null) {
      worker.job = null;
      const how =
        worker.crash === null
          ? `exited with code ${code}`
          : `died of an uncaught error (${String(worker.crash.error)})`;
      const error = new RuntimeError(
        `the worker thread running ${job.exportName}() from ${job.module} ${how}; ` +
          'the pool starts a new worker for the next job',
        worker.crash === null ? undefined : { cause: worker.crash.error },
      );
      this.#finish(job, false, error);
    }
    this.#pump();
    if (this.#shutdown && this.#queue.length === 0 && this.#workers.size === 0) {
      this.#resolveDrained();
    }
  }

  /** A worker has nothing to do: it no longer keeps the process alive, and may time out. */
  #idle(worker: PoolWorker): void {
    worker.thread.unref();
    if (this.#idleMs === null || this.#shutdown) return;
    worker.idleTimer = setTimeout(() => this.#terminate(worker), this.#idleMs);
    worker.idleTimer.unref();
  }

  /** After shutdown, once no job is queued, stops idle workers (the last one settles wait). */
  #reap(): void {
    if (!this.#shutdown || this.#queue.length > 0) return;
    if (this.#workers.size === 0) {
      this.#resolveDrained();
      return;
    }
    for (const worker of this.#workers) if (worker.job === null) this.#terminate(worker);
  }

  #terminate(worker: PoolWorker): void {
    if (worker.terminating || worker.job !== null) return;
    worker.terminating = true;
    if (worker.idleTimer !== null) clearTimeout(worker.idleTimer);
    worker.idleTimer = null;
    // 'exit' follows and removes the worker.
    worker.thread.terminate().then(undefined, () => undefined);
  }
}
