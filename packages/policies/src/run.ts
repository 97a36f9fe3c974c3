import { _getRunningLoop, RuntimeError, type Coro } from '@tsio/core';
import { checkMain } from './internal/check-main.js';
import { Runner, type RunnerOptions } from './runner.js';

/**
 * Runs `main` on a new event loop and returns its result: the program's entry point. When
 * `main` finishes, the tasks it left running are cancelled and awaited, the default executor
 * is shut down, and the loop is closed. Ctrl-C cancels `main`; a second Ctrl-C interrupts.
 *
 * @throws TypeError if `main` is not a function (`run(main())` has already started it: write
 *   `run(main)` or `run(() => main(arg))`).
 * @throws RuntimeError if a loop is already running.
 *
 * @example
 * ```ts
 * import { run, sleep } from 'tsio';
 * const answer = await run(async () => {
 *   await sleep(0.1);
 *   return 42;
 * });
 * ```
 *
 * Python parity: `asyncio.run`
 */
export async function run<T>(main: Coro<T>, options: RunnerOptions = {}): Promise<T> {
  checkMain(main, 'run()');
  if (_getRunningLoop() !== null) {
    throw new RuntimeError(
      'run() cannot be called from a running event loop: await the coroutine (or createTask it) instead',
    );
  }
  const runner = new Runner(options);
  try {
    return await runner.run(main);
  } finally {
    await runner.close();
  }
}
