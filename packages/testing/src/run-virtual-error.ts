import type { ExceptionContext } from '@tsio/core';

/**
 * The error `runVirtual` throws when the test's code finished but left something behind:
 * tasks still running, or errors that reached the loop's exception handler (an exception in
 * a callback, a task or future exception that was never retrieved, a task destroyed while
 * pending).
 *
 * Python parity: none (asyncio logs these; a test framework decides whether they fail)
 *
 * @example
 * ```ts
 * try {
 *   await runVirtual(async () => {
 *     createTask(() => sleep(60)); // started, never awaited
 *   });
 * } catch (error) {
 *   if (error instanceof RunVirtualError) console.log(error.leakedTasks); // ['<Task pending ...>']
 * }
 * ```
 */
export class RunVirtualError extends Error {
  /**
   * @param leakedTasks - descriptions (`String(task)`) of the tasks left running
   * @param reports - what the loop's exception handler received, in order
   * @param seed - the seed of the run, if it was shuffled, so that it can be replayed
   */
  constructor(
    readonly leakedTasks: readonly string[],
    readonly reports: readonly ExceptionContext[],
    readonly seed: number | null,
  ) {
    super(describe(leakedTasks, reports, seed));
    this.name = new.target.name;
  }
}

function describe(
  leakedTasks: readonly string[],
  reports: readonly ExceptionContext[],
  seed: number | null,
): string {
  const parts: string[] = [];
  if (leakedTasks.length > 0) {
    parts.push(
      `runVirtual(): ${leakedTasks.length} task(s) still running when main returned ` +
        `(await them, cancel them, or start them in a TaskGroup):\n` +
        leakedTasks.map((task) => `  ${task}`).join('\n'),
    );
  }
  if (reports.length > 0) {
    parts.push(
      `runVirtual(): ${reports.length} error(s) reported to the loop's exception handler ` +
        `(await every task and future whose error matters, or handle the error):\n` +
        reports.map((report) => `  ${summarize(report)}`).join('\n'),
    );
  }
  if (seed !== null) parts.push(`(seed ${seed}: pass { seed: ${seed} } to replay this order)`);
  return parts.join('\n');
}

function summarize(report: ExceptionContext): string {
  const exception = report.exception;
  const cause =
    exception instanceof Error
      ? `${exception.name}: ${exception.message}`
      : exception === undefined
        ? ''
        : String(exception);
  const task = typeof report['taskName'] === 'string' ? ` (task ${report['taskName']})` : '';
  return `${report.message}${task}${cause === '' ? '' : `: ${cause}`}`;
}
