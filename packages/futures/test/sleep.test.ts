import { getRunningLoop } from '@tsio/core';
import { createTask, sleep } from '../src/index.js';
import { runOnNewLoop } from './helpers.js';

describe('sleep', () => {
  it('resolves to the given result after the delay (test_sleep)', async () => {
    const [value, waited] = await runOnNewLoop(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const v = await sleep(0.02, 'hello');
      return [v, loop.time() - t0] as const;
    });
    expect(value).toBe('hello');
    expect(waited).toBeGreaterThanOrEqual(0.019);
  });

  it('yields exactly one iteration with sleep(0) and with a negative delay', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      getRunningLoop().callSoon(() => out.push('callback scheduled before'));
      await sleep(0);
      out.push('after sleep(0)');
      getRunningLoop().callSoon(() => out.push('callback 2'));
      out.push(`value ${await sleep(-1, 'neg')}`);
      return out;
    });
    expect(trace).toEqual([
      'callback scheduled before',
      'after sleep(0)',
      'callback 2',
      'value neg',
    ]);
  });

  it('orders sleepers by deadline', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: number[] = [];
      const sleeper = (d: number) => async () => {
        await sleep(d);
        out.push(d);
      };
      // Deadlines 0.1 s apart: the order holds even if the loop is slow to start the tasks.
      await Promise.all([0.25, 0.05, 0.15].map((d) => createTask(sleeper(d))));
      return out;
    });
    expect(trace).toEqual([0.05, 0.15, 0.25]);
  });

  it('rejects NaN and non-numbers with a TypeError', async () => {
    await runOnNewLoop(async () => {
      expect(() => sleep(Number.NaN)).toThrow(TypeError);
      expect(() => sleep('1' as never)).toThrow(TypeError);
    });
  });

  it('needs a running loop', () => {
    expect(() => sleep(0)).toThrow('no running event loop');
    expect(() => sleep(1)).toThrow('no running event loop');
  });

  it('works with .then outside a task', async () => {
    const v = await runOnNewLoop(async () => {
      return new Promise<string>((resolve) => {
        getRunningLoop().callSoon(() => {
          void sleep(0, 'x').then(resolve);
        });
      });
    });
    expect(v).toBe('x');
  });
});
