import {
  isCancelledError,
  type AbstractEventLoop,
  type AbstractTask,
  type Context,
} from '@tsio/core';

/**
 * The callback of a REPL eval function. Node's REPL prints the value only when it is called
 * with two arguments, so the arity is kept as the evaluator chose it.
 */
export type EvalCallback = (...args: [] | [unknown] | [unknown, unknown]) => void;

/** An eval function with Node's REPL signature. */
export type Evaluate = (code: string, context: object, file: string, done: EvalCallback) => void;

/** What the runner needs from the REPL around it. */
export interface StatementRunnerHost {
  /** The loop the statements run on (running for the whole session). */
  readonly loop: AbstractEventLoop;
  /** The Context every statement runs in, so that context variables persist between them. */
  readonly context: Context;
  /** Node's own eval: it compiles the statement and rewrites top-level `await`. */
  readonly evaluate: Evaluate;
  /** Prints the line that replaces the error of a statement ended by Ctrl-C. */
  showInterrupt(): void;
  /** Clears any half-typed command and shows a fresh prompt. */
  resetPrompt(): void;
  /** Node's own Ctrl-C handling: stops waiting for an awaited statement that ignores cancel. */
  forceInterrupt(): void;
}

interface Statement {
  readonly code: string;
  readonly context: object;
  readonly file: string;
  readonly done: EvalCallback;
  task: AbstractTask<unknown> | null;
  interrupts: number;
  settled: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

let statementCounter = 0;

function noop(): void {}

/** The code Node gives the error of a script stopped by Ctrl-C (breakEvalOnSigint). */
const INTERRUPTED = 'ERR_SCRIPT_EXECUTION_INTERRUPTED';

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
}

/**
 * Uncaught exceptions of callbacks started by a statement (a throwing setTimeout) reach the
 * REPL's domain marked `domainThrown`; they are not the statement's own outcome.
 */
function isDomainThrown(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { domainThrown?: unknown }).domainThrown === true
  );
}

/**
 * Runs REPL statements one at a time, each as the body of a tsio Task on the session's loop,
 * as asyncio's REPL does: `currentTask()` inside a statement is that task, and the statement's
 * top-level `await` waits on tsio awaitables while the loop keeps running other tasks.
 * Statements that arrive while one runs (piped input delivers several lines at once) wait in
 * a queue, so their output stays in order.
 *
 * A statement ends in one of three ways: Node's eval calls back (a value, a syntax error, or
 * an error on Node versions whose REPL does not use domains); the REPL routes its error around
 * the callback (Node's REPL reports runtime errors through a domain, see `handleRoutedError`);
 * or its task ends without either (cancelled before it started).
 */
export class StatementRunner {
  readonly #host: StatementRunnerHost;
  readonly #queue: Statement[] = [];
  #current: Statement | null = null;
  #idleWaiters: (() => void)[] = [];

  constructor(host: StatementRunnerHost) {
    this.#host = host;
  }

  /** Queues a statement; `done` gets its outcome as Node's eval callback would. */
  submit(code: string, context: object, file: string, done: EvalCallback): void {
    this.#queue.push({
      code,
      context,
      file,
      done,
      task: null,
      interrupts: 0,
      settled: false,
      resolve: noop,
      reject: noop,
    });
    if (this.#current === null) this.#next();
  }

  /**
   * Ctrl-C: cancels the running statement's task (the CancelledError lands at the tsio
   * `await` it waits on). A second Ctrl-C on the same statement stops waiting for it, for a
   * statement blocked on something tsio cannot cancel (a native promise). Returns false when
   * no statement runs, so that the caller gives Ctrl-C its usual meaning at the prompt.
   */
  interrupt(): boolean {
    const statement = this.#current;
    if (statement === null || statement.settled) return false;
    statement.interrupts += 1;
    if (statement.interrupts === 1 && statement.task !== null && statement.task.cancel()) {
      return true;
    }
    this.#host.forceInterrupt();
    return true;
  }

  /**
   * An error Node's REPL reported without calling the eval callback (through its domain).
   * If it is the outcome of the running statement, that statement ends with it; `print`
   * shows it as Node's REPL would, except that a statement ended by Ctrl-C shows only
   * "KeyboardInterrupt", as asyncio's REPL does.
   */
  handleRoutedError(error: unknown, print: () => void): void {
    const statement = this.#current;
    if (statement === null || statement.settled || isDomainThrown(error)) {
      print();
      return;
    }
    statement.settled = true;
    if (this.#isInterrupt(statement, error)) {
      this.#host.showInterrupt();
      this.#host.resetPrompt();
    } else {
      print();
    }
    this.#finish(statement, error, true);
  }

  /** Resolves once no statement runs or waits. */
  whenIdle(): Promise<void> {
    if (this.#current === null && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #next(): void {
    const statement = this.#queue.shift();
    if (statement === undefined) {
      this.#current = null;
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const wake of waiters) wake();
      return;
    }
    this.#current = statement;
    const { loop, context, evaluate } = this.#host;
    const body = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        statement.resolve = resolve;
        statement.reject = reject;
        // Called from inside the task's coroutine, so the statement (and every promise
        // continuation of its top-level await) runs as this task.
        evaluate(statement.code, statement.context, statement.file, (...args) =>
          this.#onCallback(statement, args),
        );
      });
    const task = loop.createTask(body, { name: `REPL-${++statementCounter}`, context });
    statement.task = task;
    task.addDoneCallback(() => this.#onTaskDone(statement, task));
  }

  #onCallback(statement: Statement, args: [] | [unknown] | [unknown, unknown]): void {
    if (statement.settled) return;
    statement.settled = true;
    const error = args[0] ?? null;
    if (error !== null && this.#isInterrupt(statement, error)) {
      this.#host.showInterrupt();
      statement.done(null);
    } else {
      statement.done(...args);
    }
    this.#finish(statement, error, error !== null, args[1]);
  }

  #onTaskDone(statement: Statement, task: AbstractTask<unknown>): void {
    // The REPL reported the statement's error itself: retrieving it keeps debug mode from
    // reporting "Task exception was never retrieved".
    if (!task.cancelled()) task.exception();
    if (statement.settled) return;
    // Ended without reaching Node's eval: cancelled before it started, or the eval threw.
    statement.settled = true;
    if (task.cancelled()) {
      if (statement.interrupts > 0) this.#host.showInterrupt();
      statement.done(null);
    } else {
      statement.done(task.exception());
    }
    this.#finish(statement, null, false);
  }

  #isInterrupt(statement: Statement, error: unknown): boolean {
    return (
      (statement.interrupts > 0 && isCancelledError(error)) || errorCode(error) === INTERRUPTED
    );
  }

  #finish(statement: Statement, error: unknown, failed: boolean, value?: unknown): void {
    if (failed) statement.reject(error);
    else statement.resolve(value);
    if (this.#current === statement) this.#next();
  }
}
