import {
  _captureFrame,
  _contextFrame,
  _switchToFrame,
  Context,
  ContextVar,
  copyContext,
  type ExecutionFrame,
} from '@tsio/core';
import { allTasks, createTask, currentTask, sleep, type Task } from '../../src/index.js';
import { runOnNewLoop, spin } from '../helpers.js';

describe('Task context and currentTask', () => {
  it('runs in a copy of the creator context: changes stay in the task (test_context_1)', async () => {
    const v = new ContextVar<string>('v', { default: 'nothing' });
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      v.set('creator');
      const child = (name: string) => async () => {
        out.push(`${name} sees ${v.get()}`);
        v.set(name);
        await sleep(0);
        out.push(`${name} still sees ${v.get()}`);
      };
      await Promise.all([createTask(child('a')), createTask(child('b'))]);
      out.push(`creator sees ${v.get()}`);
      return out;
    });
    expect(trace).toEqual([
      'a sees creator',
      'b sees creator',
      'a still sees a',
      'b still sees b',
      'creator sees creator',
    ]);
  });

  it('runs in the Context passed as an option (test_context_3)', async () => {
    const v = new ContextVar<number>('n', { default: 0 });
    const [inTask, inCtx] = await runOnNewLoop(async () => {
      const ctx = copyContext();
      ctx.run(() => v.set(7));
      const task = createTask(
        async () => {
          const seen = v.get();
          v.set(8);
          return seen;
        },
        { context: ctx },
      );
      return [await task, ctx.get(v)];
    });
    expect(inTask).toBe(7);
    expect(inCtx).toBe(8);
  });

  it('exposes its Context with getContext()', async () => {
    await runOnNewLoop(async () => {
      const ctx = new Context();
      const task = createTask(async () => undefined, { context: ctx });
      expect(task.getContext()).toBe(ctx);
      await task;
    });
  });

  it('names the current task in nested async functions and after native awaits (test_current_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      // Wrapped in an array: an async function returning a Task would adopt it (a thenable).
      const nested = async (): Promise<[Task<unknown> | null]> => {
        await Promise.resolve();
        await new Promise((r) => setTimeout(r, 1));
        return [currentTask()];
      };
      const task = createTask(async () => {
        const first = currentTask();
        const [deep] = await nested();
        await sleep(0);
        const afterSleep = currentTask();
        out.push(`first=${first === task} deep=${deep === task} afterSleep=${afterSleep === task}`);
      });
      await task;
      return out;
    });
    expect(trace).toEqual(['first=true deep=true afterSleep=true']);
  });

  it('tells interleaving tasks apart (test_current_task_with_interleaving_tasks)', async () => {
    const ok = await runOnNewLoop(async () => {
      const results: boolean[] = [];
      const check = (): Promise<void> => {
        let self!: Task<void>;
        self = createTask(async () => {
          for (let i = 0; i < 3; i++) {
            results.push(currentTask() === self);
            await sleep(0);
            await Promise.resolve();
          }
        });
        return self.then(() => undefined);
      };
      await Promise.all([check(), check(), check()]);
      return results;
    });
    expect(ok).toHaveLength(9);
    expect(ok.every(Boolean)).toBe(true);
  });

  it('returns null in a plain callback, and throws without a running loop', async () => {
    const inCallback = await runOnNewLoop(async () => {
      const { getRunningLoop } = await import('@tsio/core');
      return new Promise((resolve) => getRunningLoop().callSoon(() => resolve(currentTask())));
    });
    expect(inCallback).toBeNull();
    expect(() => currentTask()).toThrow('no running event loop');
  });

  it('lists the pending tasks of the loop (test_all_tasks)', async () => {
    const [sizes, containsSelf] = await runOnNewLoop(async () => {
      const before = allTasks().size;
      const t = createTask(async () => sleep(0.01));
      const during = allTasks().size;
      const self = allTasks().has(currentTask() as Task<unknown>);
      await t;
      await spin();
      const after = allTasks().size;
      return [[before, during, after], self] as const;
    });
    expect(sizes).toEqual([1, 2, 1]);
    expect(containsSelf).toBe(true);
    expect(() => allTasks()).toThrow('no running event loop');
  });
});

describe('Task outcome when the coroutine leaves its frame synchronously', () => {
  // A task finds itself through its frame when its coroutine's promise settles, unless the
  // coroutine left that frame before returning the promise.
  it('settles the task itself, not the task whose frame the coroutine switched to', async () => {
    const trace = await runOnNewLoop(async () => {
      let frameOfA: ExecutionFrame | undefined;
      let releaseA!: (value: string) => void;
      const a = createTask(async () => {
        frameOfA = _captureFrame();
        return await new Promise<string>((resolve) => (releaseA = resolve));
      });
      await spin();
      const b = createTask(() => {
        const promise = (async () => {
          await null;
          return 'b';
        })();
        _switchToFrame(frameOfA);
        return promise;
      });
      const c = createTask(async () => {
        _switchToFrame(_contextFrame(new Context()));
        throw new Error('c');
      });
      const out = [
        `b: ${await b}`,
        `c: ${await c.then(String, (e: unknown) => (e as Error).message)}`,
      ];
      out.push(`a done: ${a.done()}`);
      releaseA('a');
      out.push(`a: ${await a}`);
      return out;
    });
    expect(trace).toEqual(['b: b', 'c: c', 'a done: false', 'a: a']);
  });
});
