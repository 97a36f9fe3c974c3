import {
  CancelledError,
  NotImplementedError,
  RuntimeError,
  ValueError,
  type AbstractTask,
  type Coro,
  type Executor,
  type ExecutorJob,
  type TaskOptions,
} from '@tsio/core';
import { Future, Task } from '@tsio/futures';
import { runInThisContext } from 'node:vm';
import { BaseEventLoop } from '../../src/index.js';

let loop: BaseEventLoop;
beforeEach(() => {
  loop = new BaseEventLoop();
});
afterEach(() => {
  if (!loop.isRunning()) loop.close();
});

/** An executor that runs function jobs in this thread and records what happens to it. */
class InlineExecutor implements Executor {
  shutdowns: { wait?: boolean }[] = [];
  release: () => void = () => {};
  async submit<A extends unknown[], R>(job: ExecutorJob<A, R>, ...args: A): Promise<R> {
    if (typeof job !== 'function') throw new TypeError('function jobs only');
    return job(...args);
  }
  shutdown(options: { wait?: boolean } = {}): Promise<void> {
    this.shutdowns.push(options);
    if (options.wait !== true) return Promise.resolve();
    return new Promise((resolve) => (this.release = resolve));
  }
}

describe('futures and tasks', () => {
  it('createFuture returns a pending Future of this loop', () => {
    const future = loop.createFuture<number>();
    expect(future).toBeInstanceOf(Future);
    expect(future.getLoop()).toBe(loop);
    expect(future.done()).toBe(false);
  });

  it('createTask makes a Task with the given name (test_create_task, test_create_named_task_with_default_factory)', async () => {
    const task = loop.createTask(async () => 'ok', { name: 'worker' });
    expect(task).toBeInstanceOf(Task);
    expect(task.getName()).toBe('worker');
    await expect(loop.runUntilComplete(task)).resolves.toBe('ok');
  });

  it('createTask with a non-function -> TypeError', () => {
    expect(() => loop.createTask(Promise.resolve(1) as unknown as Coro<number>)).toThrow(TypeError);
  });

  it('uses the task factory, given the options (test_set_task_factory, test_create_named_task_with_custom_factory)', async () => {
    const calls: [BaseEventLoop, TaskOptions | undefined][] = [];
    const factory = <T>(l: unknown, coro: Coro<T>, options?: TaskOptions): AbstractTask<T> => {
      calls.push([l as BaseEventLoop, options]);
      return new Task(coro, { ...options, loop: l as BaseEventLoop });
    };
    expect(loop.getTaskFactory()).toBeNull();
    loop.setTaskFactory(factory);
    expect(loop.getTaskFactory()).toBe(factory);
    const task = loop.createTask(async () => 1, { name: 'made' });
    expect(calls).toEqual([[loop, { name: 'made' }]]);
    expect(task.getName()).toBe('made');
    await loop.runUntilComplete(task);
    loop.setTaskFactory(null);
    expect(loop.getTaskFactory()).toBeNull();
  });

  it('setTaskFactory with a non-function -> TypeError (test_set_task_factory_invalid)', () => {
    expect(() => loop.setTaskFactory(1 as never)).toThrow(TypeError);
    expect(() => loop.setTaskFactory(1 as never)).toThrow(
      /^task factory must be a function or null/,
    );
  });
});

describe('executors', () => {
  it('runInExecutor(null, fn) without a default executor -> TypeError from the worker pool, naming the fix', () => {
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(TypeError);
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(/\{ module: new URL/);
  });

  it('a rejection with CancelledError cancels the Future (wrap_future of a cancelled future)', async () => {
    const executor = new InlineExecutor();
    const future = loop.runInExecutor(executor, () => Promise.reject(new CancelledError()));
    await expect(loop.runUntilComplete(future)).rejects.toBeInstanceOf(CancelledError);
    expect(future.cancelled()).toBe(true);
  });

  it("cancelling the Future calls the promise's cancel() (as wrap_future cancels the concurrent future)", async () => {
    let cancels = 0;
    const executor: Executor = {
      submit: () => Object.assign(new Promise<never>(() => {}), { cancel: () => ++cancels > 0 }),
      shutdown: () => Promise.resolve(),
    };
    const future = loop.runInExecutor(executor, () => 1);
    future.cancel();
    await loop.runUntilComplete(async () => {});
    expect(cancels).toBe(1);
  });

  it('runInExecutor wraps the executor result in a Future of the loop', async () => {
    const executor = new InlineExecutor();
    const future = loop.runInExecutor(executor, (a: number, b: number) => a + b, 2, 3);
    expect(future.getLoop()).toBe(loop);
    await expect(loop.runUntilComplete(future)).resolves.toBe(5);
  });

  it('uses the default executor (test_set_default_executor)', async () => {
    const executor = new InlineExecutor();
    loop.setDefaultExecutor(executor);
    await expect(loop.runUntilComplete(loop.runInExecutor(null, () => 'dflt'))).resolves.toBe(
      'dflt',
    );
  });

  it('setDefaultExecutor rejects a non-executor (test_set_default_executor_error)', () => {
    expect(() => loop.setDefaultExecutor({} as Executor)).toThrow(TypeError);
  });

  it('runInExecutor rejects a bad job', () => {
    expect(() => loop.runInExecutor(new InlineExecutor(), 5 as never)).toThrow(TypeError);
  });

  it('shutdownDefaultExecutor waits, then runInExecutor(null) throws', async () => {
    const executor = new InlineExecutor();
    loop.setDefaultExecutor(executor);
    let finished = false;
    const shutdown = loop.shutdownDefaultExecutor().then(() => (finished = true));
    await Promise.resolve();
    expect(finished).toBe(false);
    executor.release();
    await shutdown;
    expect(executor.shutdowns).toEqual([{ wait: true }]);
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(
      new RuntimeError('Executor shutdown has been called'),
    );
  });

  it('shutdownDefaultExecutor resolves at once without a default executor', async () => {
    await expect(loop.shutdownDefaultExecutor()).resolves.toBeUndefined();
  });

  it('shutdownDefaultExecutor with a timeout warns and stops waiting (test_shutdown_default_executor_timeout)', async () => {
    const executor = new InlineExecutor();
    loop.setDefaultExecutor(executor);
    const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    await loop.runUntilComplete(() => loop.shutdownDefaultExecutor(0.01));
    expect(warning).toHaveBeenCalledWith(
      'The executor did not finish joining its jobs within 0.01 seconds.',
      'RuntimeWarning',
    );
    expect(executor.shutdowns).toEqual([{ wait: true }, { wait: false }]);
    warning.mockRestore();
  });

  it('close() shuts the default executor down without waiting (test_close)', () => {
    const executor = new InlineExecutor();
    loop.setDefaultExecutor(executor);
    loop.close();
    expect(executor.shutdowns).toEqual([{ wait: false }]);
  });
});

describe('signals', () => {
  // Jest gives each test file its own copy of `process` whose listeners never see real
  // signals; route the loop's process.on/off to the real process object.
  const realProcess = runInThisContext('process') as NodeJS.Process;
  beforeEach(() => {
    jest.spyOn(process, 'on').mockImplementation((event, listener) => {
      realProcess.on(event as NodeJS.Signals, listener);
      return process;
    });
    jest.spyOn(process, 'off').mockImplementation((event, listener) => {
      realProcess.off(event as NodeJS.Signals, listener);
      return process;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs the handler through the loop when the signal arrives (test_add_signal_handler, test_signal_handling_args)', async () => {
    const received: unknown[] = [];
    loop.addSignalHandler(
      'SIGUSR2',
      (tag: string) => {
        received.push(tag);
        loop.stop();
      },
      'usr2',
    );
    const running = loop.runForever();
    process.kill(process.pid, 'SIGUSR2');
    await running;
    expect(received).toEqual(['usr2']);
    expect(loop.removeSignalHandler('SIGUSR2')).toBe(true);
    expect(loop.removeSignalHandler('SIGUSR2')).toBe(false);
    expect(realProcess.listenerCount('SIGUSR2')).toBe(0);
  });

  it('bad signals and callbacks are rejected', () => {
    expect(() => loop.addSignalHandler('SIGNOPE' as NodeJS.Signals, () => {})).toThrow(ValueError);
    expect(() => loop.addSignalHandler(10 as unknown as NodeJS.Signals, () => {})).toThrow(
      TypeError,
    );
    expect(() => loop.addSignalHandler('SIGUSR2', 'x' as never)).toThrow(TypeError);
    expect(() => loop.addSignalHandler('SIGKILL', () => {})).toThrow(
      new RuntimeError('sig SIGKILL cannot be caught'),
    );
    expect(() => loop.removeSignalHandler('SIGNOPE' as NodeJS.Signals)).toThrow(ValueError);
  });

  it('close() removes the signal handlers', () => {
    const before = realProcess.listenerCount('SIGUSR2');
    loop.addSignalHandler('SIGUSR2', () => {});
    expect(realProcess.listenerCount('SIGUSR2')).toBe(before + 1);
    loop.close();
    expect(realProcess.listenerCount('SIGUSR2')).toBe(before);
  });
});

describe('I/O methods', () => {
  const calls: [string, (l: BaseEventLoop) => Promise<unknown>][] = [
    ['createConnection', (l) => l.createConnection(() => ({}) as never, 'localhost', 80)],
    ['createServer', (l) => l.createServer(() => ({}) as never, 'localhost', 80)],
    ['createUnixConnection', (l) => l.createUnixConnection(() => ({}) as never, 'tsio-test.sock')],
    ['createUnixServer', (l) => l.createUnixServer(() => ({}) as never, 'tsio-test.sock')],
    ['createDatagramEndpoint', (l) => l.createDatagramEndpoint(() => ({}) as never)],
    ['connectAcceptedSocket', (l) => l.connectAcceptedSocket(() => ({}) as never, null)],
    ['startTls', (l) => l.startTls({} as never, {} as never, null)],
    ['sendfile', (l) => l.sendfile({} as never, null)],
    ['subprocessExec', (l) => l.subprocessExec(() => ({}) as never, 'ls')],
    ['subprocessShell', (l) => l.subprocessShell(() => ({}) as never, 'ls')],
    ['connectReadPipe', (l) => l.connectReadPipe(() => ({}) as never, null)],
    ['connectWritePipe', (l) => l.connectWritePipe(() => ({}) as never, null)],
    ['getaddrinfo', (l) => l.getaddrinfo('localhost', 80)],
    ['getnameinfo', (l) => l.getnameinfo(['127.0.0.1', 80])],
  ];
  it.each(calls)(
    '%s rejects with NotImplementedError (test_not_implemented)',
    async (name, call) => {
      const error: unknown = await call(loop).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotImplementedError);
      expect((error as Error).message).toMatch(
        new RegExp(`^${name}\\(\\) is not implemented by BaseEventLoop.*use EventLoop`),
      );
    },
  );
});

describe('shutdownAsyncgens', () => {
  it('resolves (nothing to finalise in JavaScript)', async () => {
    await expect(loop.shutdownAsyncgens()).resolves.toBeUndefined();
  });
});
