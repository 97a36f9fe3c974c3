import { readFileSync } from 'node:fs';
import { start, type REPLEval, type REPLServer } from 'node:repl';
import type { EventEmitter } from 'node:events';
import * as tsio from './index.js';
import { historyPath } from './internal/repl/history-path.js';
import { addToScope } from './internal/repl/scope.js';
import { trimStatementStack } from './internal/repl/trim-stack.js';
import { tsioWriter, type Writer } from './internal/repl/writer.js';
import {
  StatementRunner,
  type EvalCallback,
  type Evaluate,
} from './internal/repl/statement-runner.js';

/** Options of `startRepl(options)`; every one has a default fit for a terminal session. */
export interface ReplOptions {
  /** Where statements are read from (default: `process.stdin`). */
  input?: NodeJS.ReadableStream;
  /** Where results, errors and the prompt go (default: `process.stdout`). */
  output?: NodeJS.WritableStream;
  /** Treat the streams as a terminal: line editing, colours (default: `output.isTTY`). */
  terminal?: boolean;
  /**
   * The history file, or `null` for none (default: `TSIO_REPL_HISTORY`, else
   * `~/.tsio_repl_history` unless `NODE_REPL_HISTORY` is empty). Used only on a terminal.
   */
  historyFile?: string | null;
  /** The prompt (default `'tsio> '`). */
  prompt?: string;
}

/** The version of this package, for the banner. */
function packageVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Starts an interactive session on a running tsio loop and resolves with the process exit
 * code once it ends (Ctrl-D or `.exit`).
 *
 * Node's REPL (history, tab completion, multi-line input, `.help`) with every public name of
 * `tsio` in scope (and the namespace as `tsio`). The session's loop runs from start to end, so
 * tasks made with `createTask` keep running between prompts. Each statement runs as the body
 * of its own Task on that loop, in one Context shared by all statements: top-level `await`
 * works on tsio awaitables, and `currentTask()` is the statement's task. Ctrl-C while a
 * statement runs cancels its task and prints "KeyboardInterrupt"; at the prompt it does what
 * it does in Node's REPL. At the end, the tasks still running are cancelled and awaited and
 * the loop is closed, as `Runner.close()` does.
 *
 * `run()` cannot be called inside the session (a loop is running): `await` the coroutine.
 *
 * @throws Nothing: an error while shutting down is printed and gives exit code 1.
 *
 * The `tsio` command (bin.ts) calls it and exits with the code it resolves to.
 *
 * Python parity: `python -m asyncio`
 */
export async function startRepl(options: ReplOptions = {}): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const terminal = options.terminal ?? (output as { isTTY?: boolean }).isTTY === true;

  const runner = new tsio.Runner();
  const loop = runner.getLoop();
  let loopError: unknown = undefined;
  const running = loop.runForever().catch((error: unknown) => {
    loopError = error;
  });

  // A Ctrl-C can come as soon as the banner shows, before the REPL is wired up below:
  // without a listener the signal would end the process. It is held and handled once wired.
  let earlySignals = 0;
  const holdSignal = (): void => {
    earlySignals++;
  };
  process.on('SIGINT', holdSignal);
  output.write(
    `tsio REPL ${packageVersion()} on Node ${process.version}, with a tsio event loop running.\n` +
      `Use "await" directly instead of "run()"; every tsio name is in scope.\n` +
      `Type ".help" for more information.\n`,
  );

  const server = start({
    input,
    output,
    terminal,
    prompt: options.prompt ?? 'tsio> ',
    useGlobal: true,
    // Lets Ctrl-C stop a statement stuck in synchronous code; see also wireInterrupts.
    breakEvalOnSigint: true,
  });
  addToScope(server.context, tsio as unknown as Record<string, unknown>);
  (server as { writer: Writer }).writer = tsioWriter(server.writer as Writer);

  const nodeEval = server.eval.bind(server) as unknown as Evaluate;
  const statements = new StatementRunner({
    loop,
    context: tsio.copyContext(),
    evaluate: (code, context, file, done) => {
      // While the statement's synchronous part runs, Node's SIGINT watchdog (breakEvalOnSigint)
      // owns the signal. A process 'SIGINT' listener must not exist then: vm removes it for
      // the run, which resets the signal to its default action behind the watchdog's back,
      // and a Ctrl-C there would kill the process.
      unlistenSignal();
      try {
        nodeEval(code, context, file, done);
      } finally {
        listenSignal();
      }
    },
    showInterrupt: () => output.write('KeyboardInterrupt\n'),
    resetPrompt: () => {
      server.clearBufferedCommand();
      server.displayPrompt();
    },
    forceInterrupt: () => forceInterrupt(),
  });
  (server as { eval: REPLEval }).eval = (code, context, file, done) =>
    statements.submit(code, context, file, done as EvalCallback);
  const { forceInterrupt, listenSignal, unlistenSignal } = wireInterrupts(server, statements);
  process.removeListener('SIGINT', holdSignal);
  for (; earlySignals > 0; earlySignals--) server.emit('SIGINT');
  routeErrors(server, statements);

  const file = options.historyFile === undefined ? historyPath() : options.historyFile;
  if (terminal && file !== null) {
    server.setupHistory(file, (error) => {
      if (error !== null) output.write(`History is not saved: ${error.message}\n`);
    });
  }

  await new Promise<void>((resolve) => server.once('exit', resolve));
  // Piped input can end while statements still wait in the queue: they run first.
  await statements.whenIdle();
  unlistenSignal();
  try {
    loop.stop();
    await running;
    await runner.close();
  } catch (error) {
    output.write(`Error while closing the event loop: ${String(error)}\n`);
    return 1;
  }
  if (loopError !== undefined) {
    output.write(`The event loop failed: ${String(loopError)}\n`);
    return 1;
  }
  return 0;
}

/**
 * Ctrl-C goes to the running statement first (its task is cancelled) and to Node's REPL only
 * when none runs. On a terminal readline turns Ctrl-C into the REPL's 'SIGINT' event; on piped
 * input it arrives as the process signal, which is turned into the same event.
 */
function wireInterrupts(
  server: REPLServer,
  statements: StatementRunner,
): { forceInterrupt: () => void; listenSignal: () => void; unlistenSignal: () => void } {
  const nodeHandlers = server.listeners('SIGINT') as ((this: REPLServer) => void)[];
  server.removeAllListeners('SIGINT');
  const forceInterrupt = (): void => {
    for (const handler of nodeHandlers) handler.call(server);
  };
  server.on('SIGINT', () => {
    if (!statements.interrupt()) forceInterrupt();
  });
  const onSignal = (): void => {
    server.emit('SIGINT');
  };
  const listenSignal = (): void => {
    process.on('SIGINT', onSignal);
  };
  const unlistenSignal = (): void => {
    process.removeListener('SIGINT', onSignal);
  };
  listenSignal();
  return { forceInterrupt, listenSignal, unlistenSignal };
}

/**
 * Node's REPL (20 and 24) reports a statement's runtime error through its domain instead of
 * the eval callback; the runner must see it to end the statement. A REPL without a domain
 * (a later Node) passes errors to the callback, which the runner handles already.
 */
function routeErrors(server: REPLServer, statements: StatementRunner): void {
  const domain = (server as unknown as { _domain?: EventEmitter })._domain;
  if (domain === undefined) return;
  const printers = domain.listeners('error') as ((error: unknown) => void)[];
  domain.removeAllListeners('error');
  domain.on('error', (error: unknown) => {
    statements.handleRoutedError(error, () => {
      trimStatementStack(error);
      for (const print of printers) print.call(domain, error);
    });
  });
}
