import { ExceptionGroup, KeyboardInterrupt, RuntimeError, ValueError } from '@tsio/core';
import { createTask, currentTask, sleep, TaskGroup, type Task } from '../../src/index.js';
import { runOnNewLoop, spin } from '../helpers.js';
import { describeError, settle } from './trace.js';

class MyExc extends Error {
  override name = 'MyExc';
}

describe('TaskGroup when a child fails', () => {
  it('cancels the siblings and the body, then throws an ExceptionGroup (test_taskgroup_04, test_cancel_children_on_child_error)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let t2!: Task<void>;
      const runner = createTask(async () => {
        await TaskGroup.run(async (tg) => {
          for (let i = 0; i < 3; i++) {
            tg.createTask(async () => {
              await sleep(0);
              out.push(`foo1 #${i} raises`);
              throw new ValueError(`division ${i}`);
            });
          }
          t2 = tg.createTask(async () => {
            try {
              await sleep(5);
            } catch (e) {
              out.push(`foo2 ${describeError(e)}`);
              throw e;
            }
          });
          try {
            await sleep(10);
          } catch (e) {
            out.push(`runner ${describeError(e)}`);
            throw e;
          }
        });
        out.push('not reached');
      });
      const outcome = await settle(runner);
      out.push(
        outcome,
        `t2 cancelled=${t2.cancelled()}`,
        `runner cancelling=${runner.cancelling()}`,
      );
      return out;
    });
    // The three foo1 wake in the same iteration: all three fail before anything is cancelled.
    expect(trace).toEqual([
      'foo1 #0 raises',
      'foo1 #1 raises',
      'foo1 #2 raises',
      'foo2 CancelledError',
      'runner CancelledError',
      'threw EG[ValueError(division 0), ValueError(division 1), ValueError(division 2)]',
      't2 cancelled=true',
      'runner cancelling=0',
    ]);
  });

  it('waits for a sibling whose finally awaits after the failure (issue 3 edge case)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const outcome = await settle(
        TaskGroup.run(async (tg) => {
          tg.createTask(async () => {
            await sleep(0.01);
            out.push('child raises');
            throw new ValueError('child');
          });
          tg.createTask(async () => {
            try {
              await sleep(1);
            } finally {
              out.push('finally starts');
              // The group is shutting down: no new task (test_taskgroup_no_create_task_after_failure).
              try {
                tg.createTask(() => sleep(0));
              } catch (e) {
                out.push(`createTask ${describeError(e)}`);
              }
              await spin(5); // the body gets its cancellation meanwhile
              out.push('finally ends');
            }
          });
          try {
            await sleep(1);
          } catch (e) {
            out.push(`body ${describeError(e)}`);
            throw e;
          }
        }),
      );
      out.push(outcome, `cancelling=${currentTask()!.cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'child raises',
      'finally starts',
      'createTask RuntimeError(TaskGroup <TaskGroup tasks=1 errors=1 cancelling> is shutting down)',
      'body CancelledError',
      'finally ends',
      'threw EG[ValueError(child)]',
      'cancelling=0',
    ]);
  });

  it('adds the body error after the children errors when the body raises after children failed (issue 3 edge case; test_taskgroup_19)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let group: unknown;
      try {
        await TaskGroup.run(async (tg) => {
          tg.createTask(async () => {
            await sleep(0.01);
            out.push('child raises');
            throw new ValueError('child');
          });
          tg.createTask(async () => {
            try {
              await sleep(1);
            } finally {
              out.push('sibling finally');
              await spin(5); // the body gets its cancellation meanwhile
              out.push('sibling done');
            }
          });
          try {
            await sleep(1);
          } catch {
            out.push(`body cancelled, cancelling=${currentTask()!.cancelling()}`);
            throw new MyExc('body');
          }
        });
      } catch (e) {
        group = e;
      }
      out.push(describeError(group), `message=${(group as Error).message}`);
      out.push(`cancelling=${currentTask()!.cancelling()}`);
      out.push(`is ExceptionGroup=${group instanceof ExceptionGroup}`);
      return out;
    });
    expect(trace).toEqual([
      'child raises',
      'sibling finally',
      'body cancelled, cancelling=1',
      'sibling done',
      'EG[ValueError(child), MyExc(body)]',
      'message=unhandled errors in a TaskGroup',
      'cancelling=0',
      'is ExceptionGroup=true',
    ]);
  });

  it('collects a failing child and an error the body raises in a finally (test_taskgroup_context_manager_exit_raises)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const outcome = await settle(
        TaskGroup.run(async (tg) => {
          try {
            tg.createTask(async () => {
              throw new MyExc('task');
            });
            await sleep(1);
          } finally {
            // eslint-disable-next-line no-unsafe-finally
            throw new MyExc('database');
          }
        }),
      );
      out.push(outcome, `cancelling=${currentTask()!.cancelling()}`);
      return out;
    });
    expect(trace).toEqual(['threw EG[MyExc(task), MyExc(database)]', 'cancelling=0']);
  });

  it('cancels the children when the body raises, and throws the body error in a group (test_taskgroup_09, test_taskgroup_10)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const tasks: Task<number>[] = [];
      for (const delayBeforeRaise of [0.01, null]) {
        const outcome = await settle(
          TaskGroup.run(async (tg) => {
            tasks.push(tg.createTask(() => sleep(1, 42)));
            tasks.push(tg.createTask(() => sleep(2, 11)));
            if (delayBeforeRaise !== null) await sleep(delayBeforeRaise);
            throw new ValueError('body');
          }),
        );
        out.push(outcome);
      }
      out.push(`all cancelled=${tasks.every((t) => t.cancelled())}`);
      return out;
    });
    expect(trace).toEqual([
      'threw EG[ValueError(body)]',
      'threw EG[ValueError(body)]',
      'all cancelled=true',
    ]);
  });

  it('nests: an outer child failing cancels the inner group (test_taskgroup_13)', async () => {
    const outcome = await runOnNewLoop(() =>
      settle(
        TaskGroup.run(async (g1) => {
          g1.createTask(async () => {
            await sleep(0.01);
            throw new ValueError('0.01');
          });
          await TaskGroup.run((g2) => {
            g2.createTask(async () => {
              await sleep(10);
              throw new ValueError('10');
            });
          });
        }),
      ),
    );
    expect(outcome).toBe('threw EG[ValueError(0.01)]');
  });

  it('nests: an inner group error joins the outer group as a group (test_taskgroup_14)', async () => {
    const outcome = await runOnNewLoop(() =>
      settle(
        TaskGroup.run(async (g1) => {
          g1.createTask(async () => {
            await sleep(10);
            throw new ValueError('10');
          });
          await TaskGroup.run((g2) => {
            g2.createTask(async () => {
              await sleep(0.01);
              throw new ValueError('0.01');
            });
          });
        }),
      ),
    );
    expect(outcome).toBe('threw EG[EG[ValueError(0.01)]]');
  });

  it('keeps going while a child spawns many tasks, until a sibling fails (test_taskgroup_25)', async () => {
    const [outcome, hydras] = await runOnNewLoop(async () => {
      let nhydras = 0;
      const outcome = await settle(
        TaskGroup.run((g) => {
          const hydra = async (): Promise<void> => {
            nhydras += 1;
            await sleep(0.001);
            g.createTask(hydra);
            g.createTask(hydra);
          };
          g.createTask(hydra);
          g.createTask(async () => {
            while (nhydras < 10) await sleep(0.002);
            throw new ValueError('hercules');
          });
        }),
      );
      return [outcome, nhydras] as const;
    });
    expect(outcome).toBe('threw EG[ValueError(hercules)]');
    expect(hydras).toBeGreaterThanOrEqual(10);
  });

  it('throws a KeyboardInterrupt as is, after waiting for the children (test_taskgroup_20)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const outcome = await settle(
        TaskGroup.run(async (g) => {
          g.createTask(async () => {
            await sleep(0.01);
            throw new ValueError('crash');
          });
          try {
            await sleep(10);
          } finally {
            out.push('body interrupted');
            // eslint-disable-next-line no-unsafe-finally
            throw new KeyboardInterrupt();
          }
        }),
      );
      out.push(outcome);
      return out;
    });
    expect(trace).toEqual(['body interrupted', 'threw KeyboardInterrupt']);
  });

  it('throws a child KeyboardInterrupt as is (the disabled CPython _test_taskgroup_21)', async () => {
    const outcome = await runOnNewLoop(() =>
      settle(
        TaskGroup.run(async (g) => {
          g.createTask(async () => {
            await sleep(0.01);
            throw new KeyboardInterrupt();
          });
          try {
            await sleep(10);
          } finally {
            // eslint-disable-next-line no-unsafe-finally
            throw new TypeError('nested');
          }
        }),
      ),
    );
    expect(outcome).toBe('threw KeyboardInterrupt');
  });

  it('counts a child that throws null or undefined-like values as failed', async () => {
    const outcome = await runOnNewLoop(() =>
      settle(
        TaskGroup.run((g) => {
          g.createTask(async () => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            throw null;
          });
        }),
      ),
    );
    expect(outcome).toBe('threw EG[thrown null]');
  });

  it('restores the cancelling() level of the parent (test_cancelling_level_preserved)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      out.push(
        await settle(
          TaskGroup.run((tg) => {
            tg.createTask(async () => {
              await sleep(0);
              throw new RuntimeError('x');
            });
          }),
        ),
      );
      out.push(`cancelling=${currentTask()!.cancelling()}`);
      // The parent is not cancelled again: its next await works.
      await sleep(0.001);
      out.push('next await ok');
      return out;
    });
    expect(trace).toEqual(['threw EG[RuntimeError(x)]', 'cancelling=0', 'next await ok']);
  });
});
