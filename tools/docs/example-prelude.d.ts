// What the TSDoc examples may use without declaring it: tools/docs/check-tsdoc-examples.mjs
// type-checks every example with these in scope. Keep it short: an example that needs
// anything else declares it in its own first lines (`declare const port: number;`), where the
// reader sees it too. An example may shadow any of these with its own declaration.
import type {
  AbstractEventLoop,
  Condition,
  Lock,
  Queue,
  Semaphore,
  StreamReader,
  StreamWriter,
  Task,
} from 'tsio';

declare global {
  // An instance of the class being documented, named after it (in a method's example).

  /** The running loop, as `getRunningLoop()` returns it inside `run()`. */
  const loop: AbstractEventLoop;
  /** A queue of jobs. */
  const queue: Queue<string>;
  /** A lock. */
  const lock: Lock;
  /** A condition. */
  const cond: Condition;
  /** A semaphore. */
  const semaphore: Semaphore;
  /** The reading half of a connection. */
  const reader: StreamReader;
  /** The writing half of a connection. */
  const writer: StreamWriter;
  /** Tasks already started. */
  const tasks: Task<string>[];

  // The application's own code, which the example calls.

  /** Some asynchronous work. */
  function work(): Promise<void>;
  /** Handles one job taken from a queue. */
  function handle(job: string): Promise<void>;
  /** Writes a log line. */
  function log(...values: unknown[]): void;
  /** A URL to download. */
  const url: string;
  /** Several URLs to download. */
  const urls: string[];
  /** Downloads a URL, stopping early when `signal` aborts. */
  function download(url: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** Some bytes. */
  const data: Uint8Array;
}

export {};
