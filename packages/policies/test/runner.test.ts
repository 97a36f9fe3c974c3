import { BaseEventLoop } from '@tsio/event-loop';
import { ContextVar, copyContext, getRunningLoop, RuntimeError } from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { getEventLoop, Runner, setEventLoop } from '../src/index.js';

describe('Runner', () => {
  afterEach(() => setEventLoop(null));

  it('runs several coroutines on one loop (test_run_many)', async () => {
    const runner = new Runner();
    const a = await runner.run(async () => getRunningLoop());
    const b = await runner.run(async () => getRunningLoop());
    expect(a).toBe(b);
    expect(runner.getLoop()).toBe(a);
    await runner.close();
    expect(a.isClosed()).toBe(true);
  });

  it('shares one Context between runs (test_run_keeps_context)', async () => {
    const v = new ContextVar<number>('count', { default: 0 });
    const runner = new Runner();
    await runner.run(async () => {
      v.set(v.get() + 1);
    });
    const seen = await runner.run(async () => v.get());
    await runner.close();
    expect(seen).toBe(1);
  });

  it('runs in an explicit context (test_explicit_context)', async () => {
    const v = new ContextVar<string>('who', { default: 'none' });
    const ctx = copyContext();
    ctx.run(() => v.set('explicit'));
    const runner = new Runner();
    expect(await runner.run(async () => v.get(), { context: ctx })).toBe('explicit');
    await runner.close();
  });

  it('sets its loop as the current loop while open, and clears it on close (test_set_event_loop_called_once)', async () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    expect(getEventLoop()).toBe(loop);
    await runner.close();
    expect(() => getEventLoop()).toThrow(RuntimeError);
  });

  it('does not set a factory-made loop as current (test_custom_factory)', async () => {
    const custom = new BaseEventLoop();
    const runner = new Runner({ loopFactory: () => custom });
    expect(await runner.run(async () => getRunningLoop())).toBe(custom);
    await runner.close();
    expect(custom.isClosed()).toBe(true);
  });

  it('refuses to run after close and tolerates a second close (test_double_close / test_run_after_close)', async () => {
    const runner = new Runner();
    await runner.run(async () => undefined);
    await runner.close();
    await runner.close();
    await expect(runner.run(async () => 1)).rejects.toThrow(new RuntimeError('Runner is closed'));
    expect(() => runner.getLoop()).toThrow('Runner is closed');
  });

  it('closes a never-used runner without creating a loop (test_close_without_run)', async () => {
    let made = 0;
    const runner = new Runner({
      loopFactory: () => {
        made += 1;
        return new BaseEventLoop();
      },
    });
    await runner.close();
    expect(made).toBe(0);
  });

  it('closes with await using, cancelling leftover tasks', async () => {
    const trace: string[] = [];
    let loop!: ReturnType<Runner['getLoop']>;
    {
      await using runner = new Runner();
      loop = runner.getLoop();
      await runner.run(async () => {
        createTask(async () => {
          try {
            await sleep(3600);
          } finally {
            trace.push('leftover cleaned up');
          }
        });
        await sleep(0);
      });
      trace.push('block ends');
    }
    expect(trace).toEqual(['block ends', 'leftover cleaned up']);
    expect(loop.isClosed()).toBe(true);
  });

  it('rejects a non-function loopFactory and a promise as coroutine', async () => {
    expect(() => new Runner({ loopFactory: 5 as never })).toThrow(TypeError);
    const runner = new Runner();
    await expect(runner.run(Promise.resolve(1) as never)).rejects.toThrow(TypeError);
    await expect(runner.run(Promise.resolve(1) as never)).rejects.toThrow(/\(\) => main\(\)/);
    expect(() => new Runner({ loopFactory: 5 as never })).toThrow(/loopFactory must be a function/);
    await runner.close();
  });

  it('refuses to run from a running loop (test_run_non_coro / nested)', async () => {
    const outer = new Runner();
    const inner = new Runner();
    const message = await outer.run(async () =>
      inner
        .run(async () => 1)
        .then(
          () => 'ran',
          (e: unknown) => (e as Error).message,
        ),
    );
    await outer.close();
    await inner.close();
    expect(message).toMatch(/cannot be called from a running event loop/);
  });
});

describe('Runner with using', () => {
  it('closes a runner whose tasks are all done', async () => {
    let loop!: ReturnType<Runner['getLoop']>;
    {
      using runner = new Runner();
      loop = runner.getLoop();
      expect(await runner.run(async () => 'ok')).toBe('ok');
    }
    expect(loop.isClosed()).toBe(true);
  });

  it('refuses to close synchronously while tasks run, and says to use await using', async () => {
    const runner = new Runner();
    await runner.run(async () => {
      createTask(async () => sleep(3600));
      await sleep(0);
    });
    expect(() => runner[Symbol.dispose]()).toThrow(/use 'await using'/);
    expect(runner.getLoop().isClosed()).toBe(false);
    await runner.close();
    expect(() => runner.getLoop()).toThrow('Runner is closed');
  });
});
