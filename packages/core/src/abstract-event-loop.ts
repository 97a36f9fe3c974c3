import type {
  AbstractFuture,
  AbstractTask,
  Coro,
  TaskFactory,
  TaskOptions,
} from './abstract-future.js';
import type { Context } from './context.js';
import type { Executor, ExecutorJob } from './executor.js';
import type { Handle, TimerHandle } from './handle.js';
import type { BaseProtocol, DatagramProtocol, Protocol, SubprocessProtocol } from './protocols.js';
import type {
  BaseTransport,
  DatagramTransport,
  ReadTransport,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from './transports.js';
import type { AbstractServer } from './abstract-server.js';

/**
 * What the loop passes to an exception handler. `message` is always there; the other keys
 * depend on where the error came from.
 *
 * Python parity: the `context` dict of `loop.call_exception_handler`
 */
export interface ExceptionContext {
  /** What happened, for humans. */
  message: string;
  /** The error, if there is one. */
  exception?: unknown;
  /** The future involved, if any. */
  future?: AbstractFuture<unknown>;
  /** The task involved, if any. */
  task?: AbstractTask<unknown>;
  /** The handle whose callback failed, if any. */
  handle?: Handle;
  /** The protocol involved, if any. */
  protocol?: BaseProtocol;
  /** The transport involved, if any. */
  transport?: BaseTransport;
  /** Where the failing object was created (debug mode). */
  sourceTraceback?: string;
  /** Where the failing handle was created (debug mode). */
  handleTraceback?: string;
  /** Anything else a caller wants to report. */
  [key: string]: unknown;
}

/** An exception handler: `(loop, context) => void`. */
export type ExceptionHandler = (loop: AbstractEventLoop, context: ExceptionContext) => void;

/**
 * Options for the I/O methods: an object whose keys each implementation documents (for
 * `EventLoop`, `CreateConnectionOptions` and the other option interfaces of
 * `@tsio/transports`). Plain `object`, so that those interfaces are assignable to it.
 */
export type IoOptions = object;

/** Makes a protocol for each new connection or endpoint. */
export type ProtocolFactory<P extends BaseProtocol> = () => P;

/**
 * The event loop contract: what tasks, futures, high-level packages and policies rely on.
 * `BaseEventLoop` (scheduling) and `EventLoop` (with I/O) in `@tsio/event-loop` implement it;
 * so can a framework's own loop.
 *
 * All times are in seconds.
 *
 * Python parity: `asyncio.AbstractEventLoop`
 */
export interface AbstractEventLoop {
  // Running and stopping
  /** Runs until `stop()`; resolves then. */
  runForever(): Promise<void>;
  /** Runs until `future` (or the task made of a coroutine function) is done; resolves to its result. */
  runUntilComplete<T>(future: PromiseLike<T> | Coro<T>): Promise<T>;
  /** Stops the loop after the current iteration. */
  stop(): void;
  /** Tells whether the loop is running. */
  isRunning(): boolean;
  /** Tells whether the loop was closed. */
  isClosed(): boolean;
  /** Closes the loop, dropping pending callbacks; throws if it is running. */
  close(): void;
  /** Finalises open async generators (a no-op in tsio's loops). */
  shutdownAsyncgens(): Promise<void>;
  /** Shuts the default executor down, waiting at most `timeout` seconds. */
  shutdownDefaultExecutor(timeout?: number | null): Promise<void>;

  // Scheduling callbacks
  /** Schedules `callback(...args)` for the next iteration, in a copy of the current Context. */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  /** Schedules `callback(...args)` for the next iteration, in `context`. */
  callSoonWithContext<A extends unknown[]>(
    context: Context,
    callback: (...args: A) => unknown,
    ...args: A
  ): Handle;
  /** `callSoon` that also wakes a sleeping loop. */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  /** Schedules `callback(...args)` in `delay` seconds. */
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  /** Schedules `callback(...args)` in `delay` seconds, in `context`. */
  callLaterWithContext<A extends unknown[]>(
    context: Context,
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  /** Schedules `callback(...args)` at loop time `when`. */
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  /** Schedules `callback(...args)` at loop time `when`, in `context`. */
  callAtWithContext<A extends unknown[]>(
    context: Context,
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  /** The loop's monotonic time, in seconds. */
  time(): number;

  // Futures and tasks
  /** Creates a Future attached to this loop. */
  createFuture<T>(): AbstractFuture<T>;
  /** Wraps `coro` in a Task on this loop (through the task factory, if set). */
  createTask<T>(coro: Coro<T>, options?: TaskOptions): AbstractTask<T>;
  /** Sets the factory `createTask` uses (`null`: the default). */
  setTaskFactory(factory: TaskFactory | null): void;
  /** The task factory, or `null`. */
  getTaskFactory(): TaskFactory | null;

  // Executors
  /** Runs `job(...args)` in `executor` (or the default one); returns a Future of its result. */
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    job: ExecutorJob<A, R>,
    ...args: A
  ): AbstractFuture<R>;
  /** Sets the executor `runInExecutor(null, ...)` uses. */
  setDefaultExecutor(executor: Executor): void;

  // Errors and debugging
  /** Sets the handler of errors nobody else handles (`null`: the default). */
  setExceptionHandler(handler: ExceptionHandler | null): void;
  /** The custom exception handler, or `null`. */
  getExceptionHandler(): ExceptionHandler | null;
  /** Logs `context`: what happens when no custom handler is set. */
  defaultExceptionHandler(context: ExceptionContext): void;
  /** Reports an error to the exception handler; never throws. */
  callExceptionHandler(context: ExceptionContext): void;
  /** Tells whether debug mode is on. */
  getDebug(): boolean;
  /** Turns debug mode on or off. */
  setDebug(enabled: boolean): void;
  /** In debug mode, callbacks slower than this (seconds) are logged. */
  slowCallbackDuration: number;

  // Signals
  /** Calls `callback(...args)` through the loop when the process receives `signal`. */
  addSignalHandler<A extends unknown[]>(
    signal: NodeJS.Signals,
    callback: (...args: A) => unknown,
    ...args: A
  ): void;
  /** Removes the handler of `signal`; true if there was one. */
  removeSignalHandler(signal: NodeJS.Signals): boolean;

  // Network and process I/O (EventLoop; BaseEventLoop throws NotImplementedError)
  /** Opens a TCP (or TLS) connection; resolves to `[transport, protocol]`. */
  createConnection<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    host?: string | null,
    port?: number | string | null,
    options?: IoOptions,
  ): Promise<[Transport, P]>;
  /** Starts a TCP (or TLS) server. */
  createServer(
    protocolFactory: ProtocolFactory<Protocol>,
    host?: string | readonly string[] | null,
    port?: number | string | null,
    options?: IoOptions,
  ): Promise<AbstractServer>;
  /** Opens a Unix socket connection. */
  createUnixConnection<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    path?: string | null,
    options?: IoOptions,
  ): Promise<[Transport, P]>;
  /** Starts a Unix socket server. */
  createUnixServer(
    protocolFactory: ProtocolFactory<Protocol>,
    path?: string | null,
    options?: IoOptions,
  ): Promise<AbstractServer>;
  /** Opens a UDP endpoint. */
  createDatagramEndpoint<P extends DatagramProtocol>(
    protocolFactory: ProtocolFactory<P>,
    options?: IoOptions,
  ): Promise<[DatagramTransport, P]>;
  /** Wraps an accepted socket in a transport. */
  connectAcceptedSocket<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    socket: unknown,
    options?: IoOptions,
  ): Promise<[Transport, P]>;
  /** Upgrades a connection to TLS; resolves to the new transport. */
  startTls(
    transport: Transport,
    protocol: BaseProtocol,
    sslContext: unknown,
    options?: IoOptions,
  ): Promise<Transport>;
  /** Sends a file over a transport; resolves to the bytes sent. */
  sendfile(
    transport: WriteTransport,
    file: unknown,
    offset?: number,
    count?: number | null,
    options?: IoOptions,
  ): Promise<number>;
  /** Starts a program with arguments. */
  subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    program: string,
    args?: readonly string[],
    options?: IoOptions,
  ): Promise<[SubprocessTransport, P]>;
  /** Starts a shell command. */
  subprocessShell<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    command: string,
    options?: IoOptions,
  ): Promise<[SubprocessTransport, P]>;
  /** Reads from a pipe through a protocol. */
  connectReadPipe<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    pipe: unknown,
  ): Promise<[ReadTransport, P]>;
  /** Writes to a pipe through a transport. */
  connectWritePipe<P extends BaseProtocol>(
    protocolFactory: ProtocolFactory<P>,
    pipe: unknown,
  ): Promise<[WriteTransport, P]>;
  /** Resolves a host and port to addresses. */
  getaddrinfo(
    host: string | null,
    port: number | string | null,
    options?: IoOptions,
  ): Promise<unknown[]>;
  /** Resolves an address to a host and service name. */
  getnameinfo(
    sockaddr: readonly [string, number, ...number[]],
    flags?: number,
  ): Promise<[string, string]>;
}
