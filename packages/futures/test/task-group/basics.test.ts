import { ContextVar, copyContext, RuntimeError } from '@tsio/core';
import { currentTask, sleep, TaskGroup, type Task } from '../../src/index.js';
import { runOnNewLoop, spin } from '../helpers.js';
import { describeError, settle } from './trace.js';

function settleSync(fn: () => unknown): string {
  try {
    return `ok ${String(fn())}`;
  } catch (e) {
    return `threw ${describeError(e)}`;
  }
}

describe('TaskGroup basics', () => {
  it('waits for every child and resolves to the body result (test_taskgroup_01)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let t1!: Task<number>;
      let t2!: Task<number>;
      const result = await TaskGroup.run(async (tg) => {
        t1 = tg.createTask(async () => {
          await sleep(0.01);
          out.push('foo1 done');
          return 42;
        });
        t2 = tg.createTask(async () => {
          await sleep(0.02);
          out.push('foo2 done');
          return 11;
        });
        out.push('body done');
        return 'body result';
      });
      out.push(`run -> ${result}`, `t1=${t1.result()} t2=${t2.result()}`);
      return out;
    });
    expect(trace).toEqual([
      'body done',
      'foo1 done',
      'foo2 done',
      'run -> body result',
      't1=42 t2=11',
    ]);
  });

  it('accepts tasks created after the body awaited (test_taskgroup_02)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      await TaskGroup.run(async (tg) => {
        // Loop iterations, not real time: foo1 ends before the body wakes on any machine.
        tg.createTask(async () => {
          await spin(1);
          out.push('foo1 done');
        });
        await spin(5);
        out.push('body woke');
        tg.createTask(async () => {
          await spin(1);
          out.push('foo2 done');
        });
      });
      out.push('group done');
      return out;
    });
    expect(trace).toEqual(['foo1 done', 'body woke', 'foo2 done', 'group done']);
  });

  it('lets a child be cancelled on its own, without failing the group (test_taskgroup_03)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let t1!: Task<number>;
      let t2!: Task<number>;
      const outcome = await settle(
        TaskGroup.run(async (tg) => {
          t1 = tg.createTask(async () => {
            await sleep(10);
            return 42;
          });
          await sleep(0.01);
          t1.cancel();
          t2 = tg.createTask(async () => {
            await sleep(0.01);
            return 11;
          });
        }),
      );
      out.push(outcome, `t1 cancelled=${t1.cancelled()}`, `t2=${t2.result()}`);
      out.push(`cancelling=${currentTask()?.cancelling()}`);
      return out;
    });
    expect(trace).toEqual(['ok undefined', 't1 cancelled=true', 't2=11', 'cancelling=0']);
  });

  it('lets children add tasks while the group is exiting (test_taskgroup_24)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      await TaskGroup.run((tg) => {
        tg.createTask(async () => {
          await sleep(0.01);
          out.push('root adds');
          tg.createTask(async () => {
            await sleep(0.01);
            out.push('child 1 done');
          });
          tg.createTask(async () => {
            await sleep(0.02);
            out.push('child 2 done');
          });
        });
      });
      out.push('group done');
      return out;
    });
    expect(trace).toEqual(['root adds', 'child 1 done', 'child 2 done', 'group done']);
  });

  it('forgets finished children while running (test_taskgroup_23)', async () => {
    const sizes = await runOnNewLoop(async () => {
      const out: string[] = [];
      await TaskGroup.run(async (tg) => {
        for (let i = 0; i < 3; i++) {
          tg.createTask(() => sleep(0));
          out.push(String(tg));
          await spin(5); // the child ends, and the group forgets it, well within these iterations
        }
        out.push(String(tg));
      });
      return out;
    });
    expect(sizes).toEqual([
      '<TaskGroup tasks=1 entered>',
      '<TaskGroup tasks=1 entered>',
      '<TaskGroup tasks=1 entered>',
      '<TaskGroup entered>',
    ]);
  });

  it('names tasks and runs them in a given Context (test_taskgroup_task_name, test_taskgroup_task_context)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const cvar = new ContextVar<number | null>('cvar', { default: null });
      await TaskGroup.run(async (tg) => {
        const named = tg.createTask(() => sleep(0), { name: 'yolo' });
        out.push(named.getName());
        const ctx = copyContext();
        const t1 = tg.createTask(
          async () => {
            await sleep(0);
            cvar.set(1);
          },
          { context: ctx },
        );
        await t1;
        out.push(`after t1: ${ctx.get(cvar)} here: ${cvar.get()}`);
        const t2 = tg.createTask(
          async () => {
            cvar.set(2);
          },
          { context: ctx },
        );
        await t2;
        out.push(`after t2: ${ctx.get(cvar)}`);
      });
      return out;
    });
    expect(trace).toEqual(['yolo', 'after t1: 1 here: null', 'after t2: 2']);
  });

  it('runs the body in the calling task, which is the parent', async () => {
    const same = await runOnNewLoop(async () => {
      const me = currentTask();
      return TaskGroup.run(async () => {
        await sleep(0);
        return currentTask() === me;
      });
    });
    expect(same).toBe(true);
  });

  it('accepts a synchronous body', async () => {
    const result = await runOnNewLoop(() => TaskGroup.run(() => 7));
    expect(result).toBe(7);
  });

  it('describes itself as asyncio does (repr)', async () => {
    const trace = await runOnNewLoop(async () => {
      const tg = new TaskGroup();
      const out = [String(tg)];
      await settle(
        tg
          .run(async () => {
            tg.createTask(() => sleep(10));
            tg.createTask(async () => {
              throw new RuntimeError('boom');
            });
            out.push(String(tg));
            await sleep(1);
          })
          .finally(() => out.push(String(tg))),
      );
      return out;
    });
    expect(trace).toEqual(['<TaskGroup>', '<TaskGroup tasks=2 entered>', '<TaskGroup cancelling>']);
  });
});

describe('TaskGroup misuse', () => {
  it('refuses to be entered twice, nested or after it finished (test_taskgroup_already_entered, test_taskgroup_double_enter)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const tg = new TaskGroup();
      await tg.run(async () => {
        out.push(await settle(tg.run(() => 'inner')));
      });
      out.push(await settle(tg.run(() => 'again')));
      return out;
    });
    expect(trace).toEqual([
      'threw RuntimeError(TaskGroup <TaskGroup entered> has already been entered)',
      'threw RuntimeError(TaskGroup <TaskGroup entered> has already been entered)',
    ]);
  });

  it('refuses createTask after the group finished (test_taskgroup_finished)', async () => {
    const message = await runOnNewLoop(async () => {
      let saved!: TaskGroup;
      await TaskGroup.run((tg) => {
        saved = tg;
      });
      let ran = false;
      try {
        saved.createTask(async () => {
          ran = true;
        });
      } catch (e) {
        await sleep(0);
        return `${(e as Error).name}: ${(e as Error).message} ran=${ran}`;
      }
      return 'no error';
    });
    expect(message).toBe('RuntimeError: TaskGroup <TaskGroup entered> is finished ran=false');
  });

  it('refuses createTask before it was entered, outside a task (test_taskgroup_not_entered)', () => {
    const tg = new TaskGroup();
    expect(() => tg.createTask(async () => {})).toThrow(RuntimeError);
    expect(() => tg.createTask(async () => {})).toThrow(
      'TaskGroup <TaskGroup> has not been entered',
    );
  });

  it('cannot run outside a task (test_taskgroup_without_parent_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = currentTask()!.getLoop();
      await new Promise<void>((resolve) => {
        loop.callSoon(() => {
          // A plain callback: no task runs here, so the group has no parent.
          const tg = new TaskGroup();
          void settle(tg.run(() => 1)).then((s) => {
            out.push(s);
            out.push(`${settleSync(() => tg.createTask(async () => {}))}`);
            resolve();
          });
        });
      });
      return out;
    });
    expect(trace).toEqual([
      'threw RuntimeError(TaskGroup <TaskGroup> cannot determine the parent task)',
      'threw RuntimeError(TaskGroup <TaskGroup> has not been entered)',
    ]);
  });

  it('rejects a body that is not a function, and a promise passed to createTask', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      out.push(await settle(TaskGroup.run(42 as never)));
      out.push(
        await settle(
          TaskGroup.run((tg) => {
            tg.createTask(sleep(1) as never);
          }),
        ),
      );
      return out;
    });
    expect(trace[0]).toBe(
      'threw TypeError(TaskGroup.run() expects a function (tg) => ..., got number)',
    );
    expect(trace[1]).toMatch(
      /^threw EG\[TypeError\(tg\.createTask\(\) expects a function returning a promise.*write tg\.createTask\(\(\) => work\(\)\)/,
    );
  });
});
