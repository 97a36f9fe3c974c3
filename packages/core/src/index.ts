// Errors
export {
  CancelledError,
  InvalidStateError,
  isCancelledError,
  KeyboardInterrupt,
  LookupError,
  NotImplementedError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from './errors.js';
export {
  BrokenBarrierError,
  EOFError,
  IncompleteReadError,
  LimitOverrunError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  SendfileNotAvailableError,
} from './errors.js';
export {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileNotFoundError,
  OSError,
  PermissionError,
  toOSError,
} from './os-errors.js';
export type { OSErrorOptions } from './os-errors.js';

// ExceptionGroup
export { ExceptionGroup } from './exception-group.js';
export type { ErrorClass, ExceptionGroupCondition } from './exception-group.js';

// Context variables
export { Context, ContextVar, Token, copyContext, _currentContext } from './context.js';
export type { ContextVarOptions } from './context.js';

// The running loop
export { _LoopBinding } from './loop-binding.js';
export {
  getRunningLoop,
  _getRunningLoop,
  _setRunningLoop,
  _setCurrentLoopResolver,
  _currentLoop,
} from './running-loop.js';

// Tasks, for loop and task implementers
export {
  _runInTaskFrame,
  _currentTaskOrNull,
  _registerTask,
  _unregisterTask,
  _registeredTasks,
  _captureFrame,
  _runInFrame,
  _switchToFrame,
  _contextFrame,
  _setFramesRestoredByLoop,
  _enterFrameFromHandle,
  _SELF_FRAMED_CONTEXT,
  _taskFrame,
} from './task-frame.js';
export type { ExecutionFrame } from './task-frame.js';

// Host I/O events, for transport and loop implementers
export { _noteIoEvent, _ioEventCount } from './io-events.js';

// Interfaces
export type {
  AbstractFuture,
  AbstractTask,
  Awaitable,
  Coro,
  DoneCallback,
  TaskFactory,
  TaskOptions,
} from './abstract-future.js';
export type { Handle, TimerHandle } from './handle.js';
export type {
  AbstractEventLoop,
  ExceptionContext,
  ExceptionHandler,
  IoOptions,
  ProtocolFactory,
} from './abstract-event-loop.js';
export type { AbstractEventLoopPolicy } from './abstract-event-loop-policy.js';
export type { Executor, ExecutorJob } from './executor.js';
export type {
  BaseTransport,
  DatagramTransport,
  ReadTransport,
  SocketAddress,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from './transports.js';
export type {
  BaseProtocol,
  BufferedProtocol,
  DatagramProtocol,
  Protocol,
  SubprocessProtocol,
} from './protocols.js';
export type { AbstractServer } from './abstract-server.js';
