import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RuntimeError, type ExceptionContext } from '@tsio/core';
import { BaseEventLoop } from '@tsio/event-loop';
import { allTasks, createTask, Future, sleep, Task } from '../src/index.js';
import { spin } from './helpers.js';

// The debug reports come from a FinalizationRegistry: they need a garbage collection. Outside
// tests, run node with --expose-gc and call `global.gc()`; inside jest, get a gc function so:
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Labels of the objects this test watched that have been collected. */
const collected: string[] = [];
const watcher = new FinalizationRegistry<string>((label) => collected.push(label));

/** Makes `value` observable: its label joins `collected` once it is garbage-collected. */
function watch<T extends object>(value: T, label: string): T {
  watcher.register(value, label);
  return value;
}

/** Collects garbage until `done()` holds (bounded to 2 s), then lets pending callbacks run. */
async function collectUntil(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: collected ${collected}`);
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Each FinalizationRegistry runs its callbacks in its own task: give the others a turn.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const hasCollected =
  (...labels: string[]) =>
  () =>
    labels.every((l) => collected.includes(l));

/** A loop in debug mode (or not) whose exception handler records what it is told. */
function makeLoop(debug = true): { loop: BaseEventLoop; reports: ExceptionContext[] } {
  const loop = new BaseEventLoop();
  loop.setDebug(debug);
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => reports.push(context));
  return { loop, reports };
}

/** The observable part of a report. */
function summary(context: ExceptionContext): unknown {
  const { message, exception, taskName, futureRepr } = context;
  return {
    keys: Object.keys(context).sort(),
    message,
    ...(exception === undefined ? {} : { exception: String(exception) }),
    ...(taskName === undefined ? {} : { taskName }),
    ...(futureRepr === undefined ? {} : { futureRepr }),
  };
}

/** Runs `scenario` as the main task of `loop`, then closes the loop. */
async function runScenario(loop: BaseEventLoop, scenario: () => Promise<void>): Promise<void> {
  await loop.runUntilComplete(loop.createTask(scenario));
  loop.close();
}

/** An unretrieved failed future of a debug loop: its report proves a collection happened. */
function makeSentinel(): ExceptionContext[] {
  const { loop, reports } = makeLoop();
  watch(new Future({ loop }), 'sentinel').setException(new Error('sentinel'));
  return reports;
}

describe('Task exception was never retrieved', () => {
  it('is reported with the task name and creation stack once the task is collected', async () => {
    const { loop, reports } = makeLoop();
    await runScenario(loop, async () => {
      const task = createTask(
        async () => {
          throw new RuntimeError('boom');
        },
        { name: 'lost' },
      );
      watch(task, 'lost');
      task.setName('lost-renamed');
      await spin(2);
    });
    expect(reports).toEqual([]);
    await collectUntil(() => reports.length > 0);
    expect(collected).toContain('lost');
    expect(reports.map(summary)).toEqual([
      {
        keys: ['exception', 'message', 'sourceTraceback', 'taskName'],
        message: 'Task exception was never retrieved',
        exception: 'RuntimeError: boom',
        taskName: 'lost-renamed',
      },
    ]);
    // The creation stack starts at the caller of createTask, not inside the Task constructor.
    const stack = String(reports[0]?.sourceTraceback);
    expect(stack).toMatch(/debug-reports\.test/);
    expect(stack).not.toMatch(/new Task/);
  });

  it('covers a task created outside debug mode that fails in debug mode', async () => {
    const { loop, reports } = makeLoop(false);
    await runScenario(loop, async () => {
      watch(
        createTask(
          async () => {
            await sleep(0);
            throw new RuntimeError('late');
          },
          { name: 'late' },
        ),
        'late',
      );
      loop.setDebug(true);
      await spin(3);
    });
    await collectUntil(() => reports.length > 0);
    expect(reports.map(summary)).toEqual([
      {
        keys: ['exception', 'message', 'taskName'],
        message: 'Task exception was never retrieved',
        exception: 'RuntimeError: late',
        taskName: 'late',
      },
    ]);
  });
});

describe('Future exception was never retrieved', () => {
  it('is reported with the repr and creation stack (test_future_exception_never_retrieved_debug)', async () => {
    const { loop, reports } = makeLoop();
    await runScenario(loop, async () => {
      watch(new Future<number>(), 'future').setException(new RuntimeError('boom'));
      await spin(1);
    });
    await collectUntil(() => reports.length > 0);
    expect(reports.map(summary)).toEqual([
      {
        keys: ['exception', 'futureRepr', 'message', 'sourceTraceback'],
        message: 'Future exception was never retrieved',
        exception: 'RuntimeError: boom',
        futureRepr: '<Future finished exception=RuntimeError("boom")>',
      },
    ]);
    expect(String(reports[0]?.sourceTraceback)).toMatch(/debug-reports\.test/);
  });
});

describe('what counts as retrieving the exception', () => {
  it('result(), exception(), cancel(), await, then, a done callback: nothing is reported (test_tb_logger_exception_retrieved, test_tb_logger_exception_result_retrieved, test_tb_logger_not_called_after_cancel, test_tb_logger_result_unretrieved, test_tb_logger_abandoned)', async () => {
    const { loop, reports } = makeLoop();
    const trace: string[] = [];
    await runScenario(loop, async () => {
      const failed = (label: string) => {
        const f = watch(new Future<number>(), label);
        f.setException(new RuntimeError(label));
        return f;
      };
      trace.push(`exception() -> ${String(failed('exception()').exception())}`);
      try {
        failed('result()').result();
      } catch (error) {
        trace.push(`result() threw ${String(error)}`);
      }
      trace.push(`cancel() -> ${failed('cancel()').cancel()}`);
      try {
        await failed('await');
      } catch (error) {
        trace.push(`await threw ${String(error)}`);
      }
      await failed('then').then(undefined, (error: unknown) => {
        trace.push(`then handler got ${String(error)}`);
      });
      failed('done callback').addDoneCallback((f) => {
        trace.push(`done callback got ${String(f.exception())}`);
      });
      const withResult = watch(new Future<number>(), 'result unretrieved');
      withResult.setResult(42);
      watch(new Future<number>(), 'abandoned');
      const awaited = watch(
        createTask(async () => {
          throw new RuntimeError('awaited task');
        }),
        'awaited task',
      );
      try {
        await awaited;
      } catch (error) {
        trace.push(`await task threw ${String(error)}`);
      }
      const cancelledLater = watch(
        createTask(async () => {
          throw new TypeError('cancelled task');
        }),
        'cancelled task',
      );
      await spin(2);
      trace.push(`task cancel() after failing -> ${cancelledLater.cancel()}`);
      const cancelled = watch(
        createTask(() => sleep(10)),
        'cancelled pending task',
      );
      await spin(1);
      cancelled.cancel();
      await spin(2);
      trace.push(`cancelled task done: ${cancelled.cancelled()}`);
    });
    const labels = [
      'exception()',
      'result()',
      'cancel()',
      'await',
      'then',
      'done callback',
      'result unretrieved',
      'abandoned',
      'awaited task',
      'cancelled task',
      'cancelled pending task',
    ];
    const sentinel = makeSentinel();
    await collectUntil(() => hasCollected(...labels, 'sentinel')() && sentinel.length > 0);
    expect(trace).toEqual([
      'exception() -> RuntimeError: exception()',
      'result() threw RuntimeError: result()',
      'cancel() -> false',
      'await threw RuntimeError: await',
      'then handler got RuntimeError: then',
      'done callback got RuntimeError: done callback',
      'await task threw RuntimeError: awaited task',
      'task cancel() after failing -> false',
      'cancelled task done: true',
    ]);
    expect(reports).toEqual([]);
    expect(sentinel.map((c) => c.message)).toEqual(['Future exception was never retrieved']);
  });

  it('reports nothing when debug mode is off', async () => {
    const { loop, reports } = makeLoop(false);
    await runScenario(loop, async () => {
      watch(new Future<number>(), 'future off').setException(new RuntimeError('x'));
      watch(
        createTask(async () => {
          throw new RuntimeError('y');
        }),
        'task off',
      );
      await spin(2);
    });
    const sentinel = makeSentinel();
    await collectUntil(() => hasCollected('future off', 'task off')() && sentinel.length > 0);
    expect(reports).toEqual([]);
  });
});

describe('Task was destroyed but it is pending!', () => {
  it('is reported once an unreachable pending task is collected, which leaves allTasks (test_log_destroyed_pending_task)', async () => {
    const { loop, reports } = makeLoop();
    const trace: string[] = [];
    await runScenario(loop, async () => {
      watch(
        createTask(
          async () => {
            // Nothing else references this future: once the task waits on it, nothing
            // references the task either.
            await new Future<void>();
            trace.push('code never reached');
          },
          { name: 'kill_me' },
        ),
        'kill_me',
      );
      await spin(1);
      trace.push(`listed: ${[...allTasks()].map((t) => t.getName()).join(',')}`);
    });
    await collectUntil(() => reports.length > 0);
    trace.push(`listed after collection: ${[...allTasks(loop)].length}`);
    expect(trace).toEqual([
      expect.stringMatching(/^listed: Task-\d+,kill_me$/),
      'listed after collection: 0',
    ]);
    expect(collected).toContain('kill_me');
    expect(reports.map(summary)).toEqual([
      {
        keys: ['message', 'sourceTraceback', 'taskName'],
        message: 'Task was destroyed but it is pending!',
        taskName: 'kill_me',
      },
    ]);
    expect(String(reports[0]?.sourceTraceback)).toMatch(/debug-reports\.test/);
  });

  it('is not reported for a task whose report was disabled, as gather does (_log_destroy_pending)', async () => {
    const { loop, reports } = makeLoop();
    await runScenario(loop, async () => {
      const task = createTask(() => new Future<void>(), { name: 'quiet' });
      task._disableDestroyPendingReport();
      watch(task, 'quiet');
      await spin(1);
    });
    const sentinel = makeSentinel();
    await collectUntil(() => hasCollected('quiet')() && sentinel.length > 0);
    expect(reports).toEqual([]);
  });

  it('never drops a pending task that is still reachable from allTasks', async () => {
    const { loop, reports } = makeLoop();
    let release!: () => void;
    const held = new Future<void>({ loop });
    const nativeGate = new Promise<void>((resolve) => (release = resolve));
    const trace: string[] = [];
    const names = () => [...allTasks(loop)].map((t) => t.getName()).sort();
    const main = loop.createTask(async () => {
      createTask(() => sleep(10), { name: 'sleeper' });
      createTask(
        async () => {
          await held;
        },
        { name: 'on held future' },
      );
      createTask(
        async () => {
          await nativeGate;
          await sleep(0);
          trace.push('native waiter resumed');
        },
        { name: 'on native promise' },
      );
      await spin(1);
      const sentinel = makeSentinel();
      await collectUntil(() => sentinel.length > 0);
      trace.push(`after gc: ${names().join(',')}`);
      release();
      held.setResult();
      await spin(3);
      for (const task of allTasks()) if (task.getName() === 'sleeper') task.cancel();
      await spin(2);
      trace.push(`at the end: ${names().join(',')}`);
    });
    await loop.runUntilComplete(main);
    loop.close();
    expect(trace).toEqual([
      `after gc: ${main.getName()},on held future,on native promise,sleeper`,
      'native waiter resumed',
      `at the end: ${main.getName()}`,
    ]);
    expect(reports).toEqual([]);
  });

  it('is not reported outside debug mode: the registry keeps the task', async () => {
    const { loop, reports } = makeLoop(false);
    await runScenario(loop, async () => {
      createTask(() => new Future<void>(), { name: 'kept' });
      await spin(1);
    });
    const sentinel = makeSentinel();
    await collectUntil(() => sentinel.length > 0);
    const kept = [...allTasks(loop)];
    expect(kept.map((t) => `${t.getName()} ${t.done()}`)).toEqual(['kept false']);
    expect(reports).toEqual([]);
  });
});

describe('the creation stack', () => {
  it('is recorded in debug mode only, starting at the code that created the future', async () => {
    const { loop } = makeLoop();
    const stacks = await loop.runUntilComplete(
      loop.createTask(async () => {
        const task = createTask(async () => undefined);
        const direct = new Task(async () => undefined);
        await task;
        await direct;
        return [task.getStack()[0], direct.getStack()[0]];
      }),
    );
    loop.close();
    expect(stacks.map((line) => /^at .*debug-reports\.test/.test(String(line)))).toEqual([
      false, // createTask's own frame comes first
      true,
    ]);
    const { loop: plain } = makeLoop(false);
    const none = await plain.runUntilComplete(
      plain.createTask(async () => new Future()._sourceTraceback),
    );
    plain.close();
    expect(none).toBeUndefined();
  });
});
