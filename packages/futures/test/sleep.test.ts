import { getRunningLoop } from '@tsio/core';
import { createTask, sleep } from '../src/index.js';
import { runVirtual } from '@tsio/testing';
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

  it('orders sleepers by deadline, waking each exactly at its deadline', async () => {
    // Virtual time: exact deadlines, however slow the machine, and no real waiting.
    const trace = await runVirtual(async () => {
      const loop = getRunningLoop();
      const out: [number, number][] = [];
      const sleeper = (d: number) => async () => {
        await sleep(d);
        out.push([d, loop.time()]);
      };
      await Promise.all([25, 5, 15, 5.5].map((d) => createTask(sleeper(d))));
      return out;
    });
    expect(trace).toEqual([
      [5, 5],
      [5.5, 5.5],
      [15, 15],
      [25, 25],
    ]);
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
