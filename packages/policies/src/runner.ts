import {
  _getRunningLoop,
  _registeredTasks,
  copyContext,
  isCancelledError,
  KeyboardInterrupt,
  RuntimeError,
  type AbstractEventLoop,
  type AbstractTask,
  type Context,
  type Coro,
} from '@tsio/core';
import { newEventLoop, setEventLoop } from './event-loop-policy.js';
import { cancelAllTasks } from './internal/cancel-all-tasks.js';
import { checkMain } from './internal/check-main.js';

/** Options of `new Runner(options)` and `run(main, options)`. */
export interface RunnerOptions {
  /** Turns the loop's debug mode on or off (default: left as the loop has it). */
  debug?: boolean;
  /** Makes the loop to run on (default: `newEventLoop()`, which is also set as current). */
  loopFactory?: () => AbstractEventLoop;
}

/** How long `close()` waits for the default executor's jobs, in seconds (asyncio's value). */
const EXECUTOR_SHUTDOWN_TIMEOUT = 300;

type RunnerState = 'created' | 'initialized' | 'closed';

/**
 * Runs coroutines on one loop that it creates on first use and closes in `close()`: several
 * `run()` calls share the loop and one Context. Use it with `await using` to close it.
 *
 * @example
 * ```ts
 * declare function setUp(): Promise<void>;
 * declare function serve(): Promise<void>;
 * await using runner = new Runner({ debug: true });
 * await runner.run(async () => setUp());
 * await runner.run(async () => serve());
 * ```
 *
 * Python parity: `asyncio.Runner`
 */
export class Runner {
  readonly #debug: boolean | undefined;
  readonly #loopFactory: (() => AbstractEventLoop) | undefined;
  #state: RunnerState = 'created';
  #loop: AbstractEventLoop | null = null;
  #context: Context | null = null;
  #setEventLoop = false;
  #interruptCount = 0;

  /** @param options - `debug` and `loopFactory` */
  constructor(options: RunnerOptions = {}) {
    if (options.loopFactory !== undefined && typeof options.loopFactory !== 'function') {
      throw new TypeError('Runner() option loopFactory must be a function returning a loop');
    }
    this.#debug = options.debug;
    this.#loopFactory = options.loopFactory;
  }

  /**
   * Runs `coro` as a task on the runner's loop until it finishes, and returns its result.
   * Ctrl-C (SIGINT) cancels that task and `run` then rejects with KeyboardInterrupt; a
   * second Ctrl-C interrupts the process at once.
   *
   * @throws TypeError if `coro` is not a function (a promise has already started).
   * @throws RuntimeError if called while a loop is running, or after `close()`.
   *
   * Python parity: `Runner.run`
   */
  async run<T>(coro: Coro<T>, options: { context?: Context } = {}): Promise<T> {
    checkMain(coro, 'Runner.run()');
    if (_getRunningLoop() !== null) {
      throw new RuntimeError(
        'Runner.run() cannot be called from a running event loop: await the coroutine instead',
      );
    }
    const loop = this.#lazyInit();
    const context = options.context ?? (this.#context as Context);
    const task = loop.createTask(coro, { context });
    const stopSigint = this.#catchSigint(task);
    this.#interruptCount = 0;
    try {
      return await loop.runUntilComplete(task);
    } catch (error) {
      if (isCancelledError(error) && this.#interruptCount > 0 && task.uncancel() === 0) {
        throw new KeyboardInterrupt();
      }
      throw error;
    } finally {
      stopSigint();
    }
  }

  /**
   * Cancels the tasks still running, waits for them, shuts down the default executor, and
   * closes the loop. Does nothing if the runner never ran or is already closed.
   *
   * Python parity: `Runner.close`
   */
  async close(): Promise<void> {
    if (this.#state !== 'initialized') return;
    const loop = this.#loop as AbstractEventLoop;
    try {
      await cancelAllTasks(loop);
      await loop.runUntilComplete(loop.shutdownAsyncgens());
      await loop.runUntilComplete(loop.shutdownDefaultExecutor(EXECUTOR_SHUTDOWN_TIMEOUT));
    } finally {
      this.#finishClose(loop);
    }
  }

  #finishClose(loop: AbstractEventLoop): void {
    try {
      if (this.#setEventLoop) setEventLoop(null);
      loop.close();
    } finally {
      this.#loop = null;
      this.#state = 'closed';
    }
  }

  /**
   * Returns the runner's loop, creating it if needed.
   *
   * @throws RuntimeError if the runner is closed.
   *
   * Python parity: `Runner.get_loop`
   */
  getLoop(): AbstractEventLoop {
    return this.#lazyInit();
  }

  /** Closes the runner at the end of an `await using` block. Python parity: `Runner.__exit__` */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Closes the runner at the end of a `using` block. A synchronous close cannot wait, so it
   * only closes a loop with no task left running (the default executor is shut down without
   * waiting for its jobs); prefer `await using`.
   *
   * @throws RuntimeError if tasks are still running: their cancellation must be awaited, so
   *   use `await using` or `await runner.close()`.
   *
   * Python parity: `Runner.__exit__`
   */
  [Symbol.dispose](): void {
    if (this.#state !== 'initialized') return;
    const loop = this.#loop as AbstractEventLoop;
    const running = _registeredTasks(loop).filter((task) => !task.done()).length;
    if (running > 0) {
      throw new RuntimeError(
        `Runner still has ${running} task(s) running, and cancelling them must be awaited: ` +
          `use 'await using' or 'await runner.close()' instead of 'using'`,
      );
    }
    this.#finishClose(loop);
  }

  #lazyInit(): AbstractEventLoop {
    if (this.#state === 'closed') throw new RuntimeError('Runner is closed');
    if (this.#state === 'initialized') return this.#loop as AbstractEventLoop;
    let loop: AbstractEventLoop;
    if (this.#loopFactory === undefined) {
      loop = newEventLoop();
      if (!this.#setEventLoop) {
        setEventLoop(loop);
        this.#setEventLoop = true;
      }
    } else {
      loop = this.#loopFactory();
    }
    if (this.#debug !== undefined) loop.setDebug(this.#debug);
    this.#loop = loop;
    this.#context = copyContext();
    this.#state = 'initialized';
    return loop;
  }

  /**
   * While `task` runs, the first SIGINT cancels it and the second interrupts the process, as
   * asyncio does — unless the program installed its own SIGINT listener. Returns the undo.
   */
  #catchSigint(task: AbstractTask<unknown>): () => void {
    if (process.listenerCount('SIGINT') > 0) return noop;
    const onSigint = (): void => {
      this.#interruptCount += 1;
      if (this.#interruptCount === 1 && !task.done()) {
        task.cancel();
        return;
      }
      process.removeListener('SIGINT', onSigint);
      process.kill(process.pid, 'SIGINT');
    };
    process.on('SIGINT', onSigint);
    return () => process.removeListener('SIGINT', onSigint);
  }
}

function noop(): void {}
