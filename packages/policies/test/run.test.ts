import { BaseEventLoop } from '@tsio/event-loop';
import {
  CancelledError,
  getRunningLoop,
  isCancelledError,
  KeyboardInterrupt,
  RuntimeError,
  type AbstractEventLoop,
  type ExceptionContext,
} from '@tsio/core';
import { allTasks, createTask, sleep } from '@tsio/futures';
import { run } from '../src/index.js';

describe('run()', () => {
  it('runs main on a new loop and returns its result (test_asyncio_run_return)', async () => {
    expect(await run(async () => 42)).toBe(42);
  });

  it('rejects with the error main throws (test_asyncio_run_raises)', async () => {
    await expect(
      run(async () => {
        await sleep(0);
        throw new Error('spam');
      }),
    ).rejects.toThrow('spam');
  });

  it('passes a promise on with a TypeError that shows the fix (test_asyncio_run_only_coro)', async () => {
    const started = Promise.resolve(1);
    await expect(run(started as never)).rejects.toThrow(TypeError);
    await expect(run(started as never)).rejects.toThrow(/run\(\(\) => main\(\)\)/);
    await expect(run(null as never)).rejects.toThrow(TypeError);
  });

  it('refuses to run inside a running loop (test_asyncio_run_from_running_loop)', async () => {
    const message = await run(async () => {
      try {
        await run(async () => 1);
        return 'ran';
      } catch (e) {
        return e instanceof RuntimeError ? e.message : 'other';
      }
    });
    expect(message).toMatch(/cannot be called from a running event loop/);
  });

  it('cancels and awaits the tasks main left running (test_asyncio_run_cancels_hanging_tasks)', async () => {
    const trace: string[] = [];
    let loop: AbstractEventLoop | undefined;
    await run(async () => {
      loop = getRunningLoop();
      createTask(async () => {
        try {
          await sleep(3600);
        } catch (e) {
          trace.push(`leftover got ${(e as Error).name}`);
          await sleep(0); // cleanup that awaits still completes
          trace.push('leftover cleanup done');
          throw e;
        }
      });
      await sleep(0);
      trace.push('main returns');
    });
    expect(trace).toEqual(['main returns', 'leftover got CancelledError', 'leftover cleanup done']);
    expect(loop?.isClosed()).toBe(true);
  });

  it('reports a leftover task that fails while being cancelled (test_asyncio_run_reports_hanging_tasks_errors)', async () => {
    const reports: ExceptionContext[] = [];
    await run(
      async () => {
        createTask(async () => {
          try {
            await sleep(3600);
          } catch {
            throw new Error('failed during shutdown');
          }
        });
        await sleep(0);
      },
      {
        loopFactory: () => {
          const loop = new BaseEventLoop();
          loop.setExceptionHandler((_loop, context) => reports.push(context));
          return loop;
        },
      },
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.message).toBe('unhandled exception during run() shutdown');
    expect((reports[0]?.exception as Error).message).toBe('failed during shutdown');
  });

  it('uses loopFactory and the debug option (test_asyncio_run_debug / loop_factory)', async () => {
    const made: BaseEventLoop[] = [];
    const factory = (): BaseEventLoop => {
      const loop = new BaseEventLoop();
      made.push(loop);
      return loop;
    };
    const sawDebug = await run(async () => getRunningLoop().getDebug(), {
      debug: true,
      loopFactory: factory,
    });
    expect(sawDebug).toBe(true);
    expect(made).toHaveLength(1);
    expect(made[0]?.isClosed()).toBe(true);
    expect(await run(async () => getRunningLoop().getDebug(), { debug: false })).toBe(false);
  });

  it('leaves no task behind', async () => {
    let loop!: AbstractEventLoop;
    await run(async () => {
      loop = getRunningLoop();
      for (let i = 0; i < 5; i++) createTask(async () => sleep(10));
    });
    expect(allTasks(loop).size).toBe(0);
  });

  describe('Ctrl-C', () => {
    let saved: NodeJS.SignalsListener[];
    beforeEach(() => {
      saved = process.listeners('SIGINT') as NodeJS.SignalsListener[];
      process.removeAllListeners('SIGINT');
    });
    afterEach(() => {
      process.removeAllListeners('SIGINT');
      for (const listener of saved) process.on('SIGINT', listener);
      jest.restoreAllMocks();
    });

    it('cancels main on the first SIGINT and rejects with KeyboardInterrupt (test_asyncio_run_sigint)', async () => {
      const trace: string[] = [];
      const result = run(async () => {
        try {
          await sleep(0);
          process.emit('SIGINT', 'SIGINT');
          await sleep(3600);
        } catch (e) {
          trace.push(`main got ${(e as Error).name}`);
          throw e;
        }
      });
      await expect(result).rejects.toBeInstanceOf(KeyboardInterrupt);
      expect(trace).toEqual(['main got CancelledError']);
      expect(process.listenerCount('SIGINT')).toBe(0);
    });

    it('interrupts the process on the second SIGINT', async () => {
      const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
      const trace: string[] = [];
      // With process.kill mocked, the process survives: main swallows the cancellation and
      // returns, so run() resolves with its result (asyncio raises KeyboardInterrupt only when
      // main ends cancelled).
      const result = await run(async () => {
        process.emit('SIGINT', 'SIGINT');
        try {
          await sleep(3600);
          trace.push('not cancelled');
        } catch (e) {
          if (!isCancelledError(e)) throw e;
          trace.push('main got CancelledError');
          process.emit('SIGINT', 'SIGINT'); // main ignores the first and keeps going
        }
        return 'main returned';
      });
      expect(result).toBe('main returned');
      expect(trace).toEqual(['main got CancelledError']);
      expect(kill).toHaveBeenCalledTimes(1);
      expect(kill).toHaveBeenCalledWith(process.pid, 'SIGINT');
    });

    it('leaves SIGINT alone when the program has its own listener', async () => {
      const own = jest.fn();
      process.on('SIGINT', own);
      await run(async () => {
        process.emit('SIGINT', 'SIGINT');
        await sleep(0);
        return 'not cancelled';
      });
      expect(own).toHaveBeenCalledTimes(1);
    });
  });

  it('a cancelled main surfaces as CancelledError', async () => {
    await expect(
      run(async () => {
        throw new CancelledError('self');
      }),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
