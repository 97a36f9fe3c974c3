import type { AbstractEventLoop, ExceptionContext } from '@tsio/core';

/**
 * What the debug reports need to know about a future once it has been collected: asyncio's
 * `Future.__del__` and `Task.__del__` read the object itself, but a FinalizationRegistry
 * callback runs after the object is gone. So this record must never reference the future or
 * the task (else it would never be collected); the future keeps it and updates it.
 *
 * Only futures of a loop in debug mode get one: tasks when they are created (for "Task was
 * destroyed but it is pending!"), other futures when they fail (for "... exception was never
 * retrieved"). Without it, futures pay one null check.
 */
export interface DebugReport {
  readonly loop: AbstractEventLoop;
  /** The class name, as in asyncio's message: "Task", "Future", or a subclass's name. */
  readonly kind: string;
  /** A Task's name (kept up to date by `setName`); null for other futures. */
  taskName: string | null;
  /** A plain future's representation when it failed; null for tasks. */
  futureRepr: string | null;
  /** Where the future was created (debug mode), if known. */
  readonly sourceTraceback: string | undefined;
  /** A task that has not finished yet (asyncio's `_state == _PENDING`). */
  pending: boolean;
  /** The error to report if nobody retrieves it (asyncio's `__log_traceback`). */
  logTraceback: boolean;
  exception: unknown;
  /** Whether the FinalizationRegistry watches the future (dropped once nothing can be reported). */
  registered: boolean;
}

/** What a future tells the module about itself when a record is made. */
export interface ReportedFuture {
  readonly _loop: AbstractEventLoop;
  readonly _sourceTraceback: string | undefined;
  /** Tasks have a name. */
  getName?(): string;
  toString(): string;
}

const registry = new FinalizationRegistry<DebugReport>(reportCollected);

/** Starts watching a new task of a loop in debug mode. Returns the record the task keeps. */
export function watchTask(task: ReportedFuture, name: string): DebugReport {
  const report: DebugReport = {
    loop: task._loop,
    kind: task.constructor.name,
    taskName: name,
    futureRepr: null,
    sourceTraceback: task._sourceTraceback,
    pending: true,
    logTraceback: false,
    exception: undefined,
    registered: true,
  };
  registry.register(task, report, report);
  return report;
}

/**
 * Records that `future` failed with `error`: reported when collected unless retrieved first.
 * Returns the record (`report`, or a new one if the future had none and its loop is in debug
 * mode), or null when nothing is watched.
 */
export function watchException(
  future: ReportedFuture,
  report: DebugReport | null,
  error: unknown,
): DebugReport | null {
  if (report === null) {
    if (!future._loop.getDebug()) return null;
    report = {
      loop: future._loop,
      kind: future.constructor.name,
      taskName: future.getName?.() ?? null,
      futureRepr: null,
      sourceTraceback: future._sourceTraceback,
      pending: false,
      logTraceback: false,
      exception: undefined,
      registered: false,
    };
  }
  if (!report.registered) {
    // A task stops being watched when it finishes, just before its exception is set.
    registry.register(future, report, report);
    report.registered = true;
  }
  // An unformatted V8 stack holds the receivers of its frames (a task among them, when the
  // coroutine threw before its first await): format it now so the error does not keep the
  // future alive through the record.
  if (error instanceof Error) void error.stack;
  report.pending = false;
  report.exception = error;
  report.logTraceback = true;
  if (report.taskName === null) report.futureRepr = future.toString();
  return report;
}

/** The task finished (any way): it can no longer be destroyed while pending. */
export function noteFinished(report: DebugReport): void {
  report.pending = false;
  if (!report.logTraceback) unwatch(report);
}

/** The error was retrieved (`result()`, `exception()`, an `await`, `cancel()`): nothing to log. */
export function noteRetrieved(report: DebugReport): void {
  if (!report.logTraceback) return;
  report.logTraceback = false;
  report.exception = undefined;
  if (!report.pending) unwatch(report);
}

function unwatch(report: DebugReport): void {
  if (!report.registered) return;
  registry.unregister(report);
  report.registered = false;
}

/** The FinalizationRegistry callback: the future was collected. */
function reportCollected(report: DebugReport): void {
  let context: ExceptionContext;
  if (report.pending) {
    context = { message: 'Task was destroyed but it is pending!' };
  } else if (report.logTraceback) {
    context = {
      message: `${report.kind} exception was never retrieved`,
      exception: report.exception,
    };
  } else {
    return;
  }
  if (report.taskName !== null) context['taskName'] = report.taskName;
  if (report.futureRepr !== null) context['futureRepr'] = report.futureRepr;
  if (report.sourceTraceback !== undefined) context.sourceTraceback = report.sourceTraceback;
  try {
    report.loop.callExceptionHandler(context);
  } catch (error) {
    // A loop's callExceptionHandler must not throw; an error here would end the process.
    console.error(`${context.message}\n(and the exception handler failed:`, error, ')');
  }
}
