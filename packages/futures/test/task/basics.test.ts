import { BaseEventLoop } from '@tsio/event-loop';
import { getRunningLoop, RuntimeError } from '@tsio/core';
import { createTask, Future, sleep, Task } from '../../src/index.js';
import { runOnNewLoop, spin } from '../helpers.js';

describe('Task basics', () => {
  it('runs the function on the next iteration and resolves to its result', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const task = createTask(async () => {
        out.push('task body');
        return 42;
      });
      out.push('created');
      out.push(`result ${await task}`);
      return out;
    });
    expect(trace).toEqual(['created', 'task body', 'result 42']);
  });

  it('stores the exception the function throws', async () => {
    const [caught, same] = await runOnNewLoop(async () => {
      const error = new Error('failed');
      const task = createTask(async () => {
        await sleep(0);
        throw error;
      });
      try {
        await task;
        return ['no', false];
      } catch (e) {
        return [(e as Error).message, task.exception() === error];
      }
    });
    expect(caught).toBe('failed');
    expect(same).toBe(true);
  });

  it('rejects a promise with a TypeError that shows the fix (test_create_task_with_noncoroutine)', async () => {
    await runOnNewLoop(async () => {
      const started = Promise.resolve(1);
      expect(() => createTask(started as never)).toThrow(TypeError);
      expect(() => createTask(started as never)).toThrow(/createTask\(\(\) => work\(\)\)/);
      expect(() => createTask(42 as never)).toThrow(/expects a coroutine function/);
    });
  });

  it('needs a running loop (test_create_task_without_loop)', () => {
    expect(() => createTask(async () => 1)).toThrow(RuntimeError);
    expect(() => createTask(async () => 1)).toThrow('no running event loop');
  });

  it('fails with a TypeError when the function does not return a promise', async () => {
    const message = await runOnNewLoop(async () => {
      const task = createTask((() => 5) as never);
      try {
        await task;
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    });
    expect(message).toMatch(/^TypeError: .*declare it async/);
  });

  it('fails with the error a non-async function throws synchronously', async () => {
    const message = await runOnNewLoop(async () => {
      const task = createTask((() => {
        throw new Error('sync');
      }) as never);
      return task.then(
        () => 'resolved',
        (e: unknown) => (e as Error).message,
      );
    });
    expect(message).toBe('sync');
  });

  it('has names Task-<n> by default, and set/get (test_task_set_name)', async () => {
    const names = await runOnNewLoop(async () => {
      const a = createTask(async () => undefined);
      const b = createTask(async () => undefined, { name: 'worker' });
      b.setName('renamed');
      await Promise.all([a, b]);
      return [a.getName(), b.getName()];
    });
    expect(names[0]).toMatch(/^Task-\d+$/);
    expect(names[1]).toBe('renamed');
  });

  it('returns its coroutine function (test_get_coro)', async () => {
    await runOnNewLoop(async () => {
      const fn = async (): Promise<number> => 1;
      const task = createTask(fn);
      expect(task.getCoro()).toBe(fn);
      await task;
    });
  });

  it('refuses setResult and setException (test_task_set_methods)', async () => {
    await runOnNewLoop(async () => {
      const task = createTask(async () => 1);
      expect(() => task.setResult(2)).toThrow(
        new RuntimeError('Task does not support set_result operation'),
      );
      expect(() => task.setException(new Error())).toThrow(
        new RuntimeError('Task does not support set_exception operation'),
      );
      expect(await task).toBe(1);
    });
  });

  it('describes itself like asyncio repr', async () => {
    await runOnNewLoop(async () => {
      const task = createTask(
        async function work() {
          await sleep(1);
        },
        { name: 'T' },
      );
      expect(String(task)).toBe("<Task pending name='T' coro=<work>>");
      task.cancel();
      expect(String(task)).toBe("<Task cancelling name='T' coro=<work>>");
      await task.then(undefined, () => undefined);
      expect(String(task)).toBe("<Task cancelled name='T' coro=<work>>");
    });
  });

  it('refuses to await itself (test_task_awaits_on_itself)', async () => {
    const message = await runOnNewLoop(async () => {
      let task!: Task<unknown>;
      task = createTask(async () => {
        await task;
      });
      return task.then(
        () => 'no',
        (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`,
      );
    });
    expect(message).toMatch(/^RuntimeError: Task cannot await on itself/);
  });

  it('refuses a Future of another loop (test_step_result_future / different loop)', async () => {
    const other = new BaseEventLoop();
    const message = await runOnNewLoop(async () => {
      const foreign = new Future<number>({ loop: other });
      const task = createTask(async () => foreign);
      return task.then(
        () => 'no',
        (e: unknown) => (e as Error).message,
      );
    });
    other.close();
    expect(message).toMatch(/attached to a different loop/);
  });

  it('starts eagerly when asked, on a running loop', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const task = new Task(
        async () => {
          out.push('eager body');
          await sleep(0);
          out.push('after first await');
        },
        { loop: getRunningLoop(), eagerStart: true },
      );
      out.push('constructor returned');
      await task;
      return out;
    });
    expect(trace).toEqual(['eager body', 'constructor returned', 'after first await']);
  });

  it('returns the creation stack in debug mode and nothing otherwise', async () => {
    const loop = new BaseEventLoop();
    loop.setDebug(true);
    const stack = await loop.runUntilComplete(
      loop.createTask(async () => {
        const t = createTask(async () => undefined);
        await t;
        return t.getStack();
      }),
    );
    loop.close();
    expect(stack.length).toBeGreaterThan(0);
    expect(stack.join('\n')).toMatch(/basics\.test/);
    const plain = await runOnNewLoop(async () => {
      const t = createTask(async () => undefined);
      await t;
      return t.getStack();
    });
    expect(plain).toEqual([]);
  });

  it('lets many tasks interleave through sleep(0) in FIFO order', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const worker = (name: string) => async () => {
        for (let i = 0; i < 3; i++) {
          out.push(`${name}${i}`);
          await sleep(0);
        }
      };
      await Promise.all([createTask(worker('a')), createTask(worker('b'))]);
      return out;
    });
    expect(trace).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('spin helper lets a created task start', async () => {
    const started = await runOnNewLoop(async () => {
      let flag = false;
      createTask(async () => {
        flag = true;
      });
      await spin();
      return flag;
    });
    expect(started).toBe(true);
  });
});

describe('Task after its loop is closed', () => {
  it('reports a coroutine that finishes after the loop closed, instead of crashing', async () => {
    const loop = new BaseEventLoop();
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => reports.push(context.message));
    let release!: () => void;
    const native = new Promise<void>((resolve) => (release = resolve));
    let task!: Task<string>;
    await loop.runUntilComplete(
      loop.createTask(async () => {
        task = createTask(async () => {
          await native;
          return 'late';
        });
        task.addDoneCallback(() => reports.push('done callback ran (must not)'));
        await spin();
      }),
    );
    loop.close();
    release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(task.done()).toBe(true);
    expect(task.result()).toBe('late');
    expect(reports).toEqual([
      expect.stringMatching(
        /^<Task finished result="late" .*> finished after its event loop was closed$/,
      ),
    ]);
  });
});
