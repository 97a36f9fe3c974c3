import { CancelledError, getRunningLoop } from '@tsio/core';
import { createTask, Future, _suspendOn } from '../src/index.js';
import { runOnNewLoop, settle, spin } from './helpers.js';

describe('_suspendOn(future)', () => {
  it('gives the future result, or throws its exception', async () => {
    const outcomes = await runOnNewLoop(async () => {
      const loop = getRunningLoop();
      const ok = new Future<number>();
      const failed = new Future<number>();
      loop.callSoon(() => ok.setResult(42));
      loop.callSoon(() => failed.setException(new RangeError('no')));
      return [await settle(_suspendOn(ok)), await settle(_suspendOn(failed))];
    });
    expect(outcomes).toEqual(['value 42', 'RangeError']);
  });

  it('makes the future the waiter of the task: cancelling the task cancels it', async () => {
    const trace = await runOnNewLoop(async () => {
      const waiter = new Future<void>();
      const task = createTask(async () => {
        try {
          await _suspendOn(waiter);
          return 'resumed';
        } catch (error) {
          return error instanceof CancelledError ? `cancelled: ${error.message}` : 'other';
        }
      });
      await spin();
      task.cancel('stop');
      return [await task, waiter.cancelled()];
    });
    expect(trace).toEqual(['cancelled: stop', true]);
  });

  it('applies a cancellation requested before the task suspended', async () => {
    const trace = await runOnNewLoop(async () => {
      const waiter = new Future<void>();
      const task = createTask(async () => {
        task.cancel(); // the task is running: nothing to cancel yet, so it is pending
        try {
          await _suspendOn(waiter);
          return 'resumed';
        } catch (error) {
          return error instanceof CancelledError ? 'cancelled' : 'other';
        }
      });
      return [await task, waiter.cancelled()];
    });
    expect(trace).toEqual(['cancelled', true]);
  });

  it.each([
    ['plain await first', ['await', 'suspendOn']],
    ['suspendOn first', ['suspendOn', 'await']],
  ])('resumes the task at the same point as `await future` (%s)', async (_name, order) => {
    const resumed = await runOnNewLoop(async () => {
      const log: string[] = [];
      const futures = { await: new Future<void>(), suspendOn: new Future<void>() };
      const tasks = [
        createTask(async () => {
          await futures.await;
          log.push('await');
        }),
        createTask(async () => {
          await _suspendOn(futures.suspendOn);
          log.push('suspendOn');
        }),
      ];
      await spin();
      getRunningLoop().callSoon(() => {
        for (const name of order as (keyof typeof futures)[]) futures[name].setResult();
      });
      for (const task of tasks) await task;
      return log;
    });
    expect(resumed).toEqual(order);
  });
});
