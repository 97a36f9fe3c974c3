import { getRunningLoop } from '@tsio/core';
import { createTask, currentTask, Future, gather, sleep } from '@tsio/futures';
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

  it('removes a cancelled waiter and still wakes the others in order', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const woken: string[] = [];
      const tasks = ['a', 'b', 'c', 'd'].map((name) =>
        createTask(async () => {
          await ev.wait();
          woken.push(name);
        }),
      );
      await spin();
      const out = [`waiters=${ev.statistics().waiters}`];
      tasks[1]?.cancel();
      await spin();
      out.push(`after cancel: waiters=${ev.statistics().waiters} ${String(ev)}`);
      ev.set();
      await gather(tasks, { returnExceptions: true });
      out.push(`woken=${woken.join()} waiters=${ev.statistics().waiters}`);
      out.push(`b: ${await outcome(tasks[1] as PromiseLike<unknown>)}`);
      return out;
    });
    expect(trace).toEqual([
      'waiters=4',
      'after cancel: waiters=3 <Event [unset, waiters:3]>',
      'woken=a,c,d waiters=0',
      'b: CancelledError',
    ]);
  });

  it('lists a woken waiter until its task resumes, as asyncio does', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const tasks = [1, 2].map(() => createTask(() => ev.wait()));
      await spin();
      ev.set();
      const out = [String(ev)];
      await gather(tasks);
      out.push(String(ev));
      return out;
    });
    expect(trace).toEqual(['<Event [set, waiters:2]>', '<Event [set]>']);
  });

  it('returns a promise while set, and an awaitable Future while unset', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const unset = ev.wait();
      const out = [`unset: Future=${unset instanceof Future} Promise=${unset instanceof Promise}`];
      const settled = unset.finally(() => out.push('finally'));
      const wrapped = Promise.resolve(unset);
      ev.set();
      out.push(`then: ${await unset.then((v) => `got ${v}`)}`);
      out.push(`finally resolves to ${await settled}, Promise.resolve to ${await wrapped}`);
      const set = ev.wait();
      out.push(`set: Promise=${set instanceof Promise} ${await set}`);
      out.push(`waiters=${ev.statistics().waiters}`);
      return out;
    });
    expect(trace).toEqual([
      'unset: Future=true Promise=false',
      'finally',
      'then: got true',
      'finally resolves to true, Promise.resolve to true',
      'set: Promise=true true',
      'waiters=0',
    ]);
  });

  it('removes a waiter that is cancelled without being awaited', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      const waiter = ev.wait();
      const out = [`waiters=${ev.statistics().waiters}`];
      if (waiter instanceof Future) waiter.cancel();
      out.push(`cancelled: waiters=${ev.statistics().waiters}`);
      const other = createTask(() => ev.wait());
      await spin();
      ev.set();
      out.push(`other: ${await outcome(other)} waiters=${ev.statistics().waiters}`);
      return out;
    });
    expect(trace).toEqual(['waiters=1', 'cancelled: waiters=0', 'other: result true waiters=0']);
  });

  it('does not suspend while set, so a pending cancellation waits for the next suspension', async () => {
    const trace = await runOnNewLoop(async () => {
      const ev = new Event();
      ev.set();
      const task = createTask(async () => {
        const out: string[] = [];
        currentTask()?.cancel();
        out.push(`wait: ${await outcome(ev.wait())}`);
        out.push(`sleep: ${await outcome(sleep(0))}`);
        return out;
      });
      return await task;
    });
    expect(trace).toEqual(['wait: result true', 'sleep: CancelledError']);
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
