import * as core from '@tsio/core';
import * as eventLoop from '@tsio/event-loop';
import * as futures from '@tsio/futures';
import * as policies from '@tsio/policies';
import * as queues from '@tsio/queues';
import * as sync from '@tsio/sync';
import * as streams from '@tsio/streams';
import * as transports from '@tsio/transports';
import * as tsio from '../src/index.js';

const layers = {
  '@tsio/core': core,
  '@tsio/futures': futures,
  '@tsio/transports': transports,
  '@tsio/event-loop': eventLoop,
  '@tsio/policies': policies,
  '@tsio/sync': sync,
  '@tsio/queues': queues,
  '@tsio/streams': streams,
};

/**
 * asyncio 3.13 names (from `asyncio.__all__` and the loop/task/future methods) that tsio
 * provides so far, under their TypeScript names. Later layers add theirs here.
 */
const ASYNCIO_NAMES: Record<string, string> = {
  CancelledError: 'CancelledError',
  InvalidStateError: 'InvalidStateError',
  TimeoutError: 'TimeoutError',
  IncompleteReadError: 'IncompleteReadError',
  LimitOverrunError: 'LimitOverrunError',
  SendfileNotAvailableError: 'SendfileNotAvailableError',
  QueueEmpty: 'QueueEmpty',
  QueueFull: 'QueueFull',
  QueueShutDown: 'QueueShutDown',
  BrokenBarrierError: 'BrokenBarrierError',
  Future: 'Future',
  Task: 'Task',
  Handle: 'Handle',
  TimerHandle: 'TimerHandle',
  BaseEventLoop: 'BaseEventLoop',
  EventLoop: 'EventLoop',
  to_thread: 'toThread',
  StreamReader: 'StreamReader',
  StreamWriter: 'StreamWriter',
  StreamReaderProtocol: 'StreamReaderProtocol',
  open_connection: 'openConnection',
  start_server: 'startServer',
  open_unix_connection: 'openUnixConnection',
  start_unix_server: 'startUnixServer',
  create_subprocess_exec: 'createSubprocessExec',
  create_subprocess_shell: 'createSubprocessShell',
  'subprocess.Process': 'Process',
  'subprocess.PIPE': 'PIPE',
  'subprocess.STDOUT': 'STDOUT',
  'subprocess.DEVNULL': 'DEVNULL',
  BaseTransport: 'BaseTransport',
  ReadTransport: 'ReadTransport',
  WriteTransport: 'WriteTransport',
  Transport: 'Transport',
  DatagramTransport: 'DatagramTransport',
  SubprocessTransport: 'SubprocessTransport',
  BaseProtocol: 'BaseProtocol',
  Protocol: 'Protocol',
  BufferedProtocol: 'BufferedProtocol',
  DatagramProtocol: 'DatagramProtocol',
  SubprocessProtocol: 'SubprocessProtocol',
  Runner: 'Runner',
  DefaultEventLoopPolicy: 'DefaultEventLoopPolicy',
  create_task: 'createTask',
  current_task: 'currentTask',
  all_tasks: 'allTasks',
  ensure_future: 'ensureFuture',
  isfuture: 'isFuture',
  wrap_future: 'wrapFuture',
  sleep: 'sleep',
  gather: 'gather',
  shield: 'shield',
  wait: 'wait',
  wait_for: 'waitFor',
  as_completed: 'asCompleted',
  timeout: 'timeout',
  timeout_at: 'timeoutAt',
  Timeout: 'Timeout',
  TaskGroup: 'TaskGroup',
  FIRST_COMPLETED: 'FIRST_COMPLETED',
  FIRST_EXCEPTION: 'FIRST_EXCEPTION',
  ALL_COMPLETED: 'ALL_COMPLETED',
  eager_task_factory: 'eagerTaskFactory',
  create_eager_task_factory: 'createEagerTaskFactory',
  Lock: 'Lock',
  Event: 'Event',
  Condition: 'Condition',
  Semaphore: 'Semaphore',
  BoundedSemaphore: 'BoundedSemaphore',
  Barrier: 'Barrier',
  Queue: 'Queue',
  PriorityQueue: 'PriorityQueue',
  LifoQueue: 'LifoQueue',
  run: 'run',
  get_running_loop: 'getRunningLoop',
  _get_running_loop: '_getRunningLoop',
  _set_running_loop: '_setRunningLoop',
  _register_task: '_registerTask',
  _unregister_task: '_unregisterTask',
  get_event_loop: 'getEventLoop',
  set_event_loop: 'setEventLoop',
  new_event_loop: 'newEventLoop',
  get_event_loop_policy: 'getEventLoopPolicy',
  set_event_loop_policy: 'setEventLoopPolicy',
};

describe('tsio meta-package', () => {
  it.each(Object.entries(layers))(
    're-exports every public name of %s, as the same object',
    (_name, layer) => {
      for (const [key, value] of Object.entries(layer)) {
        expect(tsio).toHaveProperty(key);
        expect((tsio as Record<string, unknown>)[key]).toBe(value);
      }
    },
  );

  it('exports nothing that no layer exports', () => {
    const fromLayers = new Set(Object.values(layers).flatMap((layer) => Object.keys(layer)));
    expect(Object.keys(tsio).filter((key) => !fromLayers.has(key))).toEqual([]);
  });

  it.each(Object.entries(ASYNCIO_NAMES))('provides asyncio.%s as %s', (_python, name) => {
    expect(tsio).toHaveProperty(name);
  });

  it('exports the interfaces as types (compile-time check)', () => {
    const useTypes = (
      _loop: tsio.AbstractEventLoop,
      _handle: tsio.Handle,
      _timer: tsio.TimerHandle,
      _policy: tsio.AbstractEventLoopPolicy,
      _executor: tsio.Executor,
      _server: tsio.AbstractServer,
      _transport: tsio.Transport,
      _protocol: tsio.Protocol,
      _coro: tsio.Coro<number>,
    ): void => undefined;
    expect(typeof useTypes).toBe('function');
  });
});
