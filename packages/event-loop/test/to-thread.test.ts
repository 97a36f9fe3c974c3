import { CancelledError, RuntimeError } from '@tsio/core';
import { sleep } from '@tsio/futures';
import { BaseEventLoop, toThread, WorkerPoolExecutor } from '../src/index.js';
import type { WorkerJobThis } from '../src/index.js';
import { Flags, job, JOBS } from './helpers/flags.js';

let loop: BaseEventLoop;
beforeEach(() => {
  loop = new BaseEventLoop();
});
afterEach(async () => {
  if (loop.isClosed()) return;
  // Waits for the default pool's workers to exit, so that none is left over for the next test.
  await loop.runUntilComplete(() => loop.shutdownDefaultExecutor());
  loop.close();
});

describe('toThread', () => {
  it('runs an export on a worker of the default executor, created lazily (test_to_thread)', async () => {
    const future = loop.runUntilComplete(async () => {
      const result = toThread(JOBS, 'add', 2, 3);
      expect(result.getLoop()).toBe(loop);
      return await result;
    });
    await expect(future).resolves.toBe(5);
  });

  it('types arguments and result from the job function type', async () => {
    // The type of `add` in fixtures/jobs.mjs.
    type Add = (this: WorkerJobThis, a: number, b: number) => Promise<number>;
    const sum: number = await loop.runUntilComplete(async () => {
      // @ts-expect-error a string is not a number
      void toThread<Add>(JOBS, 'echo', 'one', 2).cancel();
      return await toThread<Add>(JOBS, 'add', 1, 2);
    });
    expect(sum).toBe(3);
  });

  it('rethrows the error the job threw (test_to_thread_exception)', async () => {
    const future = loop.runUntilComplete(() => toThread(JOBS, 'throwTypeError', 'nope'));
    await expect(future).rejects.toThrow(new TypeError('nope'));
  });

  it('without a running loop -> RuntimeError', () => {
    expect(() => toThread(JOBS, 'echo', 1)).toThrow(new RuntimeError('no running event loop'));
  });

  it('uses the executor set with setDefaultExecutor', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    loop.setDefaultExecutor(pool);
    const ids = await loop.runUntilComplete(async () => [
      await toThread(JOBS, 'whoAmI'),
      await pool.submit(job('whoAmI')),
    ]);
    expect(ids[0]).toBe(ids[1]);
  });

  it('cancelling the awaiting task aborts this.signal of the running job', async () => {
    const flags = new Flags();
    await loop.runUntilComplete(async () => {
      const task = loop.createTask(
        async () => await toThread(JOBS, 'waitForAbort', flags.array, 0, 1),
      );
      await flags.until(0);
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      // The worker saw the abort (this never resolves if it does not).
      await flags.until(1);
    });
    expect(flags.get(1)).toBe(1);
  });

  it('cancelling the Future drops the queued job: it never runs', async () => {
    loop.setDefaultExecutor(new WorkerPoolExecutor({ maxWorkers: 1 }));
    const flags = new Flags();
    await loop.runUntilComplete(async () => {
      const blocker = toThread(JOBS, 'block', flags.array, 0, 1);
      await flags.until(0);
      const queued = toThread(JOBS, 'count', flags.array, 2);
      expect(queued.cancel()).toBe(true);
      await sleep(0); // the done callback that cancels the job runs
      flags.set(1);
      expect(await blocker).toBe('released');
      // A later job has run, so the dropped one would have run before it.
      expect(await toThread(JOBS, 'count', flags.array, 3)).toBe(1);
    });
    expect(flags.get(2)).toBe(0);
  });
});

describe('default executor (runInExecutor(null, …))', () => {
  it('is a worker pool created on first use', async () => {
    const future = loop.runUntilComplete(() => loop.runInExecutor(null, job('add'), 20, 22));
    await expect(future).resolves.toBe(42);
  });

  it('rejects a function job with TypeError showing the { module, exportName } fix', () => {
    function parse(): number {
      return 1;
    }
    expect(() => loop.runInExecutor(null, parse)).toThrow(TypeError);
    expect(() => loop.runInExecutor(null, parse)).toThrow(
      "{ module: new URL('./jobs.js', import.meta.url), exportName: 'parse' }",
    );
  });

  it('shutdownDefaultExecutor waits for the running job, then runInExecutor(null) -> RuntimeError', async () => {
    const flags = new Flags();
    await loop.runUntilComplete(async () => {
      const running = toThread(JOBS, 'block', flags.array, 0, 1);
      await flags.until(0);
      let finished = false;
      const shutdown = loop.createTask(async () => {
        await loop.shutdownDefaultExecutor();
        finished = true;
      });
      await sleep(0);
      await sleep(0);
      expect(finished).toBe(false);
      flags.set(1);
      await shutdown;
      expect(finished).toBe(true);
      expect(await running).toBe('released');
    });
    const shutdownError = new RuntimeError('Executor shutdown has been called');
    expect(() => loop.runInExecutor(null, job('echo'), 1)).toThrow(shutdownError);
    await expect(loop.runUntilComplete(async () => toThread(JOBS, 'echo', 1))).rejects.toThrow(
      shutdownError,
    );
  });

  it('shutdownDefaultExecutor(timeout) warns when a job outlives it (test_shutdown_default_executor_timeout)', async () => {
    const flags = new Flags();
    const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      await loop.runUntilComplete(async () => {
        const running = toThread(JOBS, 'block', flags.array, 0, 1);
        await flags.until(0);
        // The job is blocked until the flag is set below, so the timeout always expires.
        await loop.shutdownDefaultExecutor(0.05);
        expect(warning).toHaveBeenCalledWith(
          'The executor did not finish joining its jobs within 0.05 seconds.',
          'RuntimeWarning',
        );
        flags.set(1);
        expect(await running).toBe('released');
      });
    } finally {
      warning.mockRestore();
    }
  });
});
