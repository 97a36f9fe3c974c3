import { getRunningLoop, RuntimeError, ValueError } from '@tsio/core';
import { createTask, Future, sleep } from '@tsio/futures';
import { RunVirtualError, runVirtual, VirtualTimeLoop } from '../src/index.js';

describe('runVirtual', () => {
  it('returns what main returns, on a VirtualTimeLoop that is closed afterwards', async () => {
    let seen: unknown;
    const result = await runVirtual(async () => {
      seen = getRunningLoop();
      await sleep(3600);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toBeInstanceOf(VirtualTimeLoop);
    expect((seen as VirtualTimeLoop).isClosed()).toBe(true);
  });

  it('throws what main throws, unchanged', async () => {
    const boom = new Error('boom');
    await expect(
      runVirtual(async () => {
        await sleep(1);
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it('fails when main leaves a task running, naming it, and cancels it', async () => {
    let leaked: ReturnType<typeof createTask> | undefined;
    const failure = runVirtual(async () => {
      leaked = createTask(() => sleep(60), { name: 'forgotten-worker' });
      await sleep(1);
      return 'finished';
    });
    await expect(failure).rejects.toThrow(RunVirtualError);
    await expect(failure).rejects.toThrow(/1 task\(s\) still running.*\n.*forgotten-worker/);
    const error = (await failure.catch((e: unknown) => e)) as RunVirtualError;
    expect(error.leakedTasks).toHaveLength(1);
    expect(error.reports).toEqual([]);
    expect(leaked?.cancelled()).toBe(true);
  });

  it('fails when a task exception is never retrieved (debug mode collects it)', async () => {
    const failure = runVirtual(async () => {
      createTask(
        async () => {
          throw new Error('lost error');
        },
        { name: 'careless' },
      );
      await sleep(1);
    });
    await expect(failure).rejects.toThrow(RunVirtualError);
    const error = (await failure.catch((e: unknown) => e)) as RunVirtualError;
    expect(error.message).toContain(
      'Task exception was never retrieved (task careless): Error: lost error',
    );
    expect(error.leakedTasks).toEqual([]);
    expect(error.reports[0]?.exception).toEqual(new Error('lost error'));
  });

  it('fails when a future exception is never retrieved', async () => {
    const failure = runVirtual(async () => {
      new Future<number>().setException(new RangeError('nobody looked'));
      await sleep(1);
    });
    await expect(failure).rejects.toThrow(
      /Future exception was never retrieved: RangeError: nobody looked/,
    );
  });

  it('fails when a callback throws (the loop reports it, nobody else sees it)', async () => {
    const failure = runVirtual(
      async () => {
        getRunningLoop().callSoon(() => {
          throw new TypeError('bad callback');
        });
        await sleep(1);
      },
      { debug: false },
    );
    await expect(failure).rejects.toThrow(/1 error\(s\) reported.*\n.*TypeError: bad callback/);
  });

  it('passes when every error is retrieved', async () => {
    const message = await runVirtual(async () => {
      const task = createTask(async () => {
        throw new Error('handled');
      });
      await sleep(1);
      return task.exception() instanceof Error ? 'retrieved' : 'no';
    });
    expect(message).toBe('retrieved');
  });

  it('names the seed in the message of a shuffled run', async () => {
    await expect(
      runVirtual(
        async () => {
          createTask(() => sleep(5));
        },
        { seed: 99, debug: false },
      ),
    ).rejects.toThrow('pass { seed: 99 } to replay');
  });

  it('with autojump off, main drives time with advance()', async () => {
    const time = await runVirtual(
      async () => {
        const loop = getRunningLoop() as VirtualTimeLoop;
        const sleeper = createTask(() => sleep(30));
        await loop.advance(30);
        await sleeper;
        return loop.time();
      },
      { autojump: false },
    );
    expect(time).toBe(30);
  });

  describe('bad input', () => {
    it('rejects a promise instead of a function, showing the fix', async () => {
      const started = Promise.resolve(1);
      await expect(runVirtual(started as never)).rejects.toThrow(
        'write runVirtual(() => main()) instead of runVirtual(main())',
      );
    });

    it('rejects bad options with TypeError / ValueError', async () => {
      await expect(runVirtual(async () => 1, { debug: 1 as never })).rejects.toThrow(TypeError);
      await expect(runVirtual(async () => 1, { seed: -5 })).rejects.toThrow(ValueError);
    });

    it('rejects a call from a running loop with RuntimeError', async () => {
      const inner = await runVirtual(async () => {
        try {
          await runVirtual(async () => 1);
          return 'ran';
        } catch (error) {
          return error;
        }
      });
      expect(inner).toBeInstanceOf(RuntimeError);
    });
  });
});
