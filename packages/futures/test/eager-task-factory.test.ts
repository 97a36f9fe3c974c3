import { getRunningLoop } from '@tsio/core';
import { BaseEventLoop } from '@tsio/event-loop';
import {
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  Future,
  sleep,
  Task,
  TaskGroup,
} from '../src/index.js';
import { runOnNewLoop } from './helpers.js';

/** Runs `main` on a new loop whose task factory is `eagerTaskFactory`. */
function runEager<T>(main: () => Promise<T>): Promise<T> {
  return runOnNewLoop(async () => {
    getRunningLoop().setTaskFactory(eagerTaskFactory);
    return main();
  });
}

describe('eagerTaskFactory', () => {
  it('is installed with setTaskFactory and builds Tasks (test_eager_task_factory_set)', async () => {
    const [same, isTask] = await runEager(async () => {
      const t = createTask(async () => {});
      await t;
      return [getRunningLoop().getTaskFactory() === eagerTaskFactory, t instanceof Task];
    });
    expect(same).toBe(true);
    expect(isTask).toBe(true);
  });

  it('runs the coroutine synchronously in createTask, up to its first suspension (test_current_task)', async () => {
    const trace = await runEager(async () => {
      const out: string[] = [];
      let seen: unknown = null;
      out.push('before createTask');
      const t = createTask(async () => {
        seen = currentTask();
        out.push('child first step');
        await sleep(0.01);
        out.push(`child resumed as itself=${currentTask() === seen}`);
      });
      out.push(`after createTask current=${seen === t}`);
      await t;
      return out;
    });
    expect(trace).toEqual([
      'before createTask',
      'child first step',
      'after createTask current=true',
      'child resumed as itself=true',
    ]);
  });

  it('finishes a task that never suspends without scheduling it (test_eager_completion)', async () => {
    const trace = await runEager(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      // A callback queued before the task: with a lazy task, it would run before the task's step.
      loop.callSoon(() => out.push(`callback sees done=${t.done()}`));
      const t = createTask(async () => 'hello');
      // tsio: an async function settles in a microtask, so not done yet (python-differences 10).
      out.push(`done right after createTask=${t.done()}`);
      await Promise.resolve();
      out.push(`done after a microtask=${t.done()} result=${t.result()}`);
      await sleep(0);
      return out;
    });
    expect(trace).toEqual([
      'done right after createTask=false',
      'done after a microtask=true result=hello',
      'callback sees done=true',
    ]);
  });

  it('sets a future during the eager step (test_await_future_during_eager_step)', async () => {
    const trace = await runEager(async () => {
      const fut = new Future<string>();
      const t = createTask(async () => fut.setResult('my message'));
      const fromSync = fut.done();
      return [fromSync, await fut, await t.then(() => t.done())];
    });
    expect(trace).toEqual([true, 'my message', true]);
  });

  it('ignores cancel() of a task that finished eagerly (test_cancellation_after_eager_completion)', async () => {
    const trace = await runEager(async () => {
      const t = createTask(async () => 'finished without blocking');
      await Promise.resolve();
      const cancelled = t.cancel();
      return [cancelled, await t, t.cancelled()];
    });
    expect(trace).toEqual([false, 'finished without blocking', false]);
  });

  it('cancels a task blocked after its eager step (test_cancellation_after_eager_step_blocks, test_block_after_eager_step)', async () => {
    const trace = await runEager(async () => {
      const out: string[] = [];
      const t = createTask(async () => {
        await sleep(0.1);
        return 'finished after blocking';
      });
      out.push(`done=${t.done()}`);
      t.cancel('cancellation message');
      out.push(`cancelling=${t.cancelling()}`);
      try {
        await t;
      } catch (e) {
        out.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
      const u = createTask(() => sleep(0.01, 'done later'));
      out.push(await u);
      return out;
    });
    expect(trace).toEqual([
      'done=false',
      'cancelling=1',
      'CancelledError: cancellation message',
      'done later',
    ]);
  });

  it('lists an eager task in allTasks only while it runs (test_all_tasks_with_eager_completion, test_all_tasks_with_blocking)', async () => {
    const trace = await runEager(async () => {
      let inside = false;
      const t = createTask(async () => {
        inside = allTasks().has(currentTask()!);
      });
      await t;
      const fut = new Future<void>();
      const u = createTask(async () => {
        await fut;
      });
      const whileBlocked = allTasks().has(u);
      fut.setResult();
      await u;
      return [inside, allTasks().has(t), whileBlocked, allTasks().has(u)];
    });
    expect(trace).toEqual([true, false, true, false]);
  });

  it('starts normally when the loop is not running', async () => {
    const loop = new BaseEventLoop();
    try {
      loop.setTaskFactory(eagerTaskFactory);
      const out: string[] = [];
      const t = loop.createTask(async () => {
        out.push('ran');
      });
      out.push('created');
      await loop.runUntilComplete(t);
      expect(out).toEqual(['created', 'ran']);
    } finally {
      loop.close();
    }
  });

  it('works with a TaskGroup: a child runs at once in createTask', async () => {
    const trace = await runEager(async () => {
      const out: string[] = [];
      await TaskGroup.run((tg) => {
        tg.createTask(async () => {
          out.push('child step 1');
          await sleep(0);
          out.push('child step 2');
        });
        out.push('body after createTask');
      });
      return out;
    });
    expect(trace).toEqual(['child step 1', 'body after createTask', 'child step 2']);
  });
});

describe('createEagerTaskFactory', () => {
  it('builds tasks with the given class, passing the options on', async () => {
    const trace = await runOnNewLoop(async () => {
      const created: string[] = [];
      class CountingTask<T> extends Task<T> {
        constructor(
          coro: ConstructorParameters<typeof Task<T>>[0],
          options: ConstructorParameters<typeof Task<T>>[1],
        ) {
          super(coro, options);
          created.push(`${this.getName()} eager=${String(options?.eagerStart)}`);
        }
      }
      getRunningLoop().setTaskFactory(createEagerTaskFactory(CountingTask));
      const t = createTask(async () => 'x', { name: 'counted' });
      await t;
      return [...created, `instance=${t instanceof CountingTask}`];
    });
    expect(trace).toEqual(['counted eager=true', 'instance=true']);
  });

  it('rejects a non-constructor with TypeError', () => {
    expect(() => createEagerTaskFactory(null as never)).toThrow(
      'createEagerTaskFactory() expects a Task class, got null',
    );
  });
});
