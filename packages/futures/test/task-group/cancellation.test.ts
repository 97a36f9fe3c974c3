import { RuntimeError, ValueError } from '@tsio/core';
import { createTask, currentTask, Future, sleep, TaskGroup } from '../../src/index.js';
import { runOnNewLoop, spin } from '../helpers.js';
import { describeError, settle } from './trace.js';

/** A child that records its cancellation and, optionally, fails in its finally. */
function sleeper(out: string[], name: string, failInFinally = false) {
  return async (): Promise<void> => {
    try {
      await sleep(5);
    } catch (e) {
      out.push(`${name} ${describeError(e)}`);
      throw e;
    } finally {
      // eslint-disable-next-line no-unsafe-finally
      if (failInFinally) throw new ValueError(name);
    }
  };
}

describe('TaskGroup when the parent is cancelled', () => {
  it('cancels the children while waiting for them, and ends with CancelledError (test_cancellation, test_taskgroup_22)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const r = createTask(() =>
        TaskGroup.run((g) => {
          for (let i = 0; i < 3; i++) g.createTask(sleeper(out, `foo${i}`));
        }),
      );
      await spin(3); // the group and its children are running
      out.push(`r done=${r.done()}`);
      r.cancel('stop');
      out.push(await settle(r), `r cancelled=${r.cancelled()}`);
      return out;
    });
    expect(trace).toEqual([
      'r done=false',
      'foo0 CancelledError',
      'foo1 CancelledError',
      'foo2 CancelledError',
      'threw CancelledError',
      'r cancelled=true',
    ]);
  });

  it('cancels the body and the children (test_taskgroup_07, test_taskgroup_17)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      for (const children of [2, 0]) {
        const r = createTask(() =>
          TaskGroup.run(async (g) => {
            for (let i = 0; i < children; i++) g.createTask(sleeper(out, `foo${i}`));
            try {
              await sleep(10);
            } catch (e) {
              out.push(`body ${describeError(e)}`);
              throw e;
            }
          }),
        );
        await spin(3);
        r.cancel();
        out.push(await settle(r));
      }
      return out;
    });
    // The body gets the cancellation first; leaving the block with it cancels the children.
    expect(trace).toEqual([
      'body CancelledError',
      'foo0 CancelledError',
      'foo1 CancelledError',
      'threw CancelledError',
      'body CancelledError',
      'threw CancelledError',
    ]);
  });

  it('ends with an ExceptionGroup when children fail while being cancelled, and cancels the parent again (test_taskgroup_08)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const r = createTask(async () => {
        try {
          await TaskGroup.run(async (g) => {
            for (let i = 0; i < 2; i++) g.createTask(sleeper(out, `foo${i}`, true));
            await sleep(10);
          });
        } catch (e) {
          out.push(`group ${describeError(e)} cancelling=${currentTask()!.cancelling()}`);
        }
        // The outside cancellation is still requested: the next await gets it.
        await sleep(1);
        out.push('not reached');
      });
      await spin(3);
      r.cancel();
      out.push(await settle(r));
      return out;
    });
    expect(trace).toEqual([
      'foo0 CancelledError',
      'foo1 CancelledError',
      'group EG[ValueError(foo0), ValueError(foo1)] cancelling=1',
      'threw CancelledError',
    ]);
  });

  it('nests: errors of an inner group reach the outer one while both are cancelled (test_taskgroup_11, test_taskgroup_12)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      for (const outerChild of [false, true]) {
        const r = createTask(() =>
          TaskGroup.run(async (g1) => {
            if (outerChild) g1.createTask(() => sleep(10));
            await TaskGroup.run(async (g2) => {
              for (let i = 0; i < 2; i++) g2.createTask(sleeper([], `foo${i}`, true));
              await sleep(10);
            });
          }),
        );
        await spin(3);
        r.cancel();
        out.push(await settle(r));
      }
      return out;
    });
    expect(trace).toEqual([
      'threw EG[EG[ValueError(foo0), ValueError(foo1)]]',
      'threw EG[EG[ValueError(foo0), ValueError(foo1)]]',
    ]);
  });

  it('reports a child failing while the body, cancelled from outside, cleans up (test_taskgroup_15, test_taskgroup_16)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      for (const viaTask of [false, true]) {
        // The child crashes only once the body, cancelled from outside, is cleaning up.
        const crashNow = new Future<void>();
        const nested = () =>
          TaskGroup.run(async (g1) => {
            g1.createTask(async () => {
              await crashNow;
              out.push('crash');
              throw new ValueError('crash_soon');
            });
            try {
              await sleep(10);
            } catch (e) {
              out.push(`body ${describeError(e)}`);
              crashNow.setResult();
              await sleep(1); // cleanup, cut short when the child crashes
              throw e;
            }
          });
        const r = createTask(viaTask ? async () => createTask(nested).then(() => {}) : nested);
        await spin(3);
        r.cancel();
        out.push(await settle(r));
      }
      return out;
    });
    // The children are cancelled only when the body's error leaves it: the child crashes first,
    // and its error wins over the cancellation.
    expect(trace).toEqual([
      'body CancelledError',
      'crash',
      'threw EG[ValueError(crash_soon)]',
      'body CancelledError',
      'crash',
      'threw EG[ValueError(crash_soon)]',
    ]);
  });

  it('turns a body error raised on cancellation into an ExceptionGroup (test_taskgroup_18)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const r = createTask(() =>
        TaskGroup.run(async () => {
          try {
            await sleep(10);
          } catch {
            out.push('body cancelled');
            throw new ValueError('MyExc');
          }
        }),
      );
      await spin(3);
      r.cancel();
      out.push(await settle(r));
      return out;
    });
    expect(trace).toEqual(['body cancelled', 'threw EG[ValueError(MyExc)]']);
  });

  it('keeps the cancelling() counts of nested groups apart (test_nested_groups_both_cancelled)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const me = currentTask()!;
      const outer = await settle(
        TaskGroup.run(async (outerTg) => {
          const inner = await settle(
            TaskGroup.run((innerTg) => {
              innerTg.createTask(async () => {
                await sleep(0);
                throw new ValueError('inner');
              });
              outerTg.createTask(async () => {
                await sleep(0);
                throw new ValueError('outer');
              });
            }),
          );
          out.push(`inner ${inner} cancelling=${me.cancelling()}`);
        }),
      );
      out.push(`outer ${outer} cancelling=${me.cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'inner threw EG[ValueError(inner)] cancelling=1',
      'outer threw EG[ValueError(outer)] cancelling=0',
    ]);
  });

  it('keeps an outside cancellation that arrives while a child fails (test_error_and_cancel)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let started = false;
      const inner = createTask(async () => {
        const group = await settle(
          TaskGroup.run(async (tg) => {
            tg.createTask(async () => {
              started = true;
              await sleep(0);
              throw new RuntimeError('x');
            });
            await sleep(1);
            out.push('not reached: sleep in group');
          }),
        );
        out.push(`group ${group} cancelling=${currentTask()!.cancelling()}`);
        await sleep(1);
        out.push('not reached: sleep after group');
      });
      while (!started) await spin();
      out.push(`cancelling before=${inner.cancelling()}`);
      inner.cancel();
      out.push(`cancelling after=${inner.cancelling()}`);
      out.push(await settle(inner), `cancelled=${inner.cancelled()}`);
      return out;
    });
    expect(trace).toEqual([
      'cancelling before=0',
      'cancelling after=1',
      'group threw EG[RuntimeError(x)] cancelling=1',
      'threw CancelledError',
      'cancelled=true',
    ]);
  });
});
