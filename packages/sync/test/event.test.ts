import { getRunningLoop } from '@tsio/core';
import { createTask, gather } from '@tsio/futures';
import { Event } from '../src/index.js';
import { outcome, runOnNewLoop, spin } from './helpers.js';

describe('Event', () => {
  it('shows its state (test_repr)', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const out = [String(ev)];
      createTask(() => ev.wait());
      await spin();
      out.push(String(ev));
      ev.set();
      await spin(2);
      out.push(String(ev));
      return out;
    });
    expect(trace).toEqual(['<Event [unset]>', '<Event [unset, waiters:1]>', '<Event [set]>']);
  });

  it('wakes every waiter on set (test_wait)', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const result: number[] = [];
      const tasks = [1, 2, 3].map((n) =>
        createTask(async () => {
          await ev.wait();
          result.push(n);
          return true;
        }),
      );
      await spin();
      const out = [`[${result.join()}] isSet=${ev.isSet()}`];
      ev.set();
      const values = await gather(...tasks);
      out.push(`[${result.join()}] ${values.join()}`);
      return out;
    });
    expect(trace).toEqual(['[] isSet=false', '[1,2,3] true,true,true']);
  });

  it('returns at once when set (test_wait_on_set)', async () => {
    const ev = new Event();
    ev.set();
    await expect(ev.wait()).resolves.toBe(true);
  });

  it('removes a cancelled waiter (test_wait_cancel)', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const wait = createTask(() => ev.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      return [await outcome(wait), `waiters=${ev.statistics().waiters}`];
    });
    expect(trace).toEqual(['CancelledError', 'waiters=0']);
  });

  it('clears (test_clear)', () => {
    const ev = new Event();
    ev.set();
    ev.clear();
    expect(ev.isSet()).toBe(false);
  });

  it('wakes a waiter even if cleared right after set (test_clear_with_waiters)', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const t = createTask(() => ev.wait());
      await spin();
      ev.set();
      ev.clear();
      ev.set();
      ev.set();
      ev.clear();
      return [await outcome(t), `isSet=${ev.isSet()} waiters=${ev.statistics().waiters}`];
    });
    expect(trace).toEqual(['result true', 'isSet=false waiters=0']);
  });

  it('refuses to be used from a second loop', async () => {
    const ev = new Event();
    await runOnNewLoop(async () => {
      const t = createTask(() => ev.wait());
      await spin();
      ev.set();
      await t;
      ev.clear();
    });
    const second = await runOnNewLoop(() => outcome(ev.wait()));
    expect(second).toBe('RuntimeError(<Event [unset]> is bound to a different event loop)');
  });
});
