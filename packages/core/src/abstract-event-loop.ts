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

/** Options for the I/O methods; each implementation documents the keys it reads. */
export type IoOptions = Readonly<Record<string, unknown>>;

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
  runForever(): Promise<void>;
  runUntilComplete<T>(future: PromiseLike<T>): Promise<T>;
  stop(): void;
  isRunning(): boolean;
  isClosed(): boolean;
  close(): void;
  shutdownAsyncgens(): Promise<void>;
  shutdownDefaultExecutor(timeout?: number | null): Promise<void>;

  // Scheduling callbacks
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoonWithContext<A extends unknown[]>(
    context: Context,
    callback: (...args: A) => unknown,
    ...args: A
  ): Handle;
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  callLaterWithContext<A extends unknown[]>(
    context: Context,
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  callAtWithContext<A extends unknown[]>(
    context: Context,
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  time(): number;

  // Futures and tasks
  createFuture<T>(): AbstractFuture<T>;
  createTask<T>(coro: Coro<T>, options?: TaskOptions): AbstractTask<T>;
  setTaskFactory(factory: TaskFactory | null): void;
  getTaskFactory(): TaskFactory | null;

  // Executors
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    job: ExecutorJob<A, R>,
    ...args: A
  ): AbstractFuture<R>;
  setDefaultExecutor(executor: Executor): void;

  // Errors and debugging
  setExceptionHandler(handler: ExceptionHandler | null): void;
  getExceptionHandler(): ExceptionHandler | null;
  defaultExceptionHandler(context: ExceptionContext): void;
  callExceptionHandler(context: ExceptionContext): void;
  getDebug(): boolean;
  setDebug(enabled: boolean): void;
  slowCallbackDuration: number;

  // Signals
  addSignalHandler<A extends unknown[]>(
    signal: NodeJS.Signals,
    callback: (...args: A) => unknown,
    ...args: A
  ): void;
  removeSignalHandler(signal: NodeJS.Signals): boolean;

  // Network and process I/O (EventLoop; BaseEventLoop throws NotImplementedError)
  createConnection<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    host?: string | null,
    port?: number | string | null,
    options?: IoOptions,
  ): Promise<[Transport, P]>;
  createServer(
    protocolFactory: ProtocolFactory<Protocol>,
    host?: string | readonly string[] | null,
    port?: number | string | null,
    options?: IoOptions,
  ): Promise<AbstractServer>;
  createUnixConnection<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    path?: string | null,
    options?: IoOptions,
  ): Promise<[Transport, P]>;
  createUnixServer(
    protocolFactory: ProtocolFactory<Protocol>,
    path?: string | null,
    options?: IoOptions,
  ): Promise<AbstractServer>;
  createDatagramEndpoint<P extends DatagramProtocol>(
    protocolFactory: ProtocolFactory<P>,
    options?: IoOptions,
  ): Promise<[DatagramTransport, P]>;
  connectAcceptedSocket<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    socket: unknown,
    options?: IoOptions,
  ): Promise<[Transport, P]>;
  startTls(
    transport: Transport,
    protocol: BaseProtocol,
    sslContext: unknown,
    options?: IoOptions,
  ): Promise<Transport>;
  sendfile(
    transport: WriteTransport,
    file: unknown,
    offset?: number,
    count?: number | null,
  ): Promise<number>;
  subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    program: string,
    args?: readonly string[],
    options?: IoOptions,
  ): Promise<[SubprocessTransport, P]>;
  subprocessShell<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    command: string,
    options?: IoOptions,
  ): Promise<[SubprocessTransport, P]>;
  connectReadPipe<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    pipe: unknown,
  ): Promise<[ReadTransport, P]>;
  connectWritePipe<P extends BaseProtocol>(
    protocolFactory: ProtocolFactory<P>,
    pipe: unknown,
  ): Promise<[WriteTransport, P]>;
  getaddrinfo(
    host: string | null,
    port: number | string | null,
    options?: IoOptions,
  ): Promise<unknown[]>;
  getnameinfo(
    sockaddr: readonly [string, number, ...number[]],
    flags?: number,
  ): Promise<[string, string]>;
}
