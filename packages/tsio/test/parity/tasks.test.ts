// Parity of Task ordering and cancellation with asyncio 3.13. Each expected trace is what the
// Python version of the scenario printed under CPython 3.13.0.
import {
  allTasks,
  Context,
  ContextVar,
  copyContext,
  createTask,
  currentTask,
  Future,
  isCancelledError,
  sleep,
  type Task,
} from '../../src/index.js';
import { msg, py, trace } from './helpers.js';

describe('parity: tasks', () => {
  // CPython: test_tasks.py test_cancel_with_message_then_future_exception. asyncio's __step
  // keeps a delivered exception that is already a CancelledError (its message wins).
  it('cancel twice with different messages: the awaiting coroutine sees the first (test_cancel_with_message_then_future_exception)', async () => {
    const tr = await trace(async (loop, tr) => {
      const fut = new Future<void>({ loop });
      const t = createTask(async () => {
        try {
          await fut;
        } catch (e) {
          tr.push(`caught ${msg(e)}`);
        }
        return 'ret';
      });
      await sleep(0);
      tr.push(`c1 ${py(t.cancel('m1'))}`);
      tr.push(`c2 ${py(t.cancel('m2'))}`);
      tr.push(`cancelling ${t.cancelling()}`);
      tr.push(`fut cancelled ${py(fut.cancelled())}`);
      const r = await t;
      tr.push(`result ${r} cancelling ${t.cancelling()}`);
    });
    expect(tr).toEqual([
      'c1 True',
      'c2 True',
      'cancelling 2',
      'fut cancelled True',
      'caught m1',
      'result ret cancelling 2',
    ]);
  });

  // CPython: test_tasks.py test_cancel_yield
  it('cancels a task blocked in sleep(0) (test_cancel_yield)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const t = createTask(async () => {
        tr.push('start');
        try {
          await sleep(0);
          tr.push('after sleep');
        } catch (e) {
          tr.push(`caught ${msg(e)}`);
          throw e;
        }
      });
      await sleep(0);
      tr.push(`cancel ${py(t.cancel('stop'))}`);
      try {
        await t;
      } catch (e) {
        tr.push(`awaiter ${msg(e)}`);
      }
      tr.push(`cancelled ${py(t.cancelled())}`);
    });
    expect(tr).toEqual(['start', 'cancel True', 'caught stop', 'awaiter stop', 'cancelled True']);
  });

  // No exact CPython test (closest: test_tasks.py test_cancel_yield)
  it('cancel in the iteration where the awaited future completes wins over the result', async () => {
    const tr = await trace(async (loop, tr) => {
      const fut = new Future<number>({ loop });
      const t = createTask(async () => {
        try {
          const v = await fut;
          tr.push(`got ${v}`);
        } catch (e) {
          tr.push(`caught ${msg(e)}`);
          throw e;
        }
      });
      await sleep(0);
      loop.callSoon(() => {
        fut.setResult(1);
        tr.push(`cancel ${py(t.cancel('late'))}`);
      });
      try {
        await t;
      } catch (e) {
        tr.push(`awaiter ${msg(e)}`);
      }
      tr.push(`fut ${fut.result()} task cancelled ${py(t.cancelled())}`);
    });
    expect(tr).toEqual(['cancel True', 'caught late', 'awaiter late', 'fut 1 task cancelled True']);
  });

  // CPython: test_tasks.py test_cancel_inner_future / test_cancel_both_task_and_inner_future
  it('a task awaiting a task that swallows the cancellation gets its result', async () => {
    const tr = await trace(async (_loop, tr) => {
      const outer = createTask(async () => {
        const inner = createTask(async () => {
          try {
            await sleep(10);
          } catch (e) {
            tr.push(`inner caught ${msg(e)}`);
            return 'inner-result';
          }
          return 'not cancelled';
        });
        const r = await inner;
        tr.push(`outer got ${r}`);
        await sleep(0);
        tr.push('outer continues');
        return 'outer-result';
      });
      await sleep(0);
      await sleep(0);
      tr.push(`cancel ${py(outer.cancel('x'))}`);
      const r = await outer;
      tr.push(`result ${r} cancelled ${py(outer.cancelled())} cancelling ${outer.cancelling()}`);
    });
    expect(tr).toEqual([
      'cancel True',
      'inner caught x',
      'outer got inner-result',
      'outer continues',
      'result outer-result cancelled False cancelling 1',
    ]);
  });

  // CPython: test_tasks.py test_uncancel_basic
  it('uncancel inside except lets the task go on (test_uncancel_basic)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const t = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          if (!isCancelledError(e)) throw e;
          tr.push(`caught cancelling ${(currentTask() as Task<unknown>).cancelling()}`);
          tr.push(`uncancel ${(currentTask() as Task<unknown>).uncancel()}`);
        }
        await sleep(0);
        tr.push('survived');
        return 'ok';
      });
      await sleep(0);
      t.cancel();
      tr.push(`result ${await t} cancelling ${t.cancelling()}`);
    });
    expect(tr).toEqual(['caught cancelling 1', 'uncancel 0', 'survived', 'result ok cancelling 0']);
  });

  // CPython: test_tasks.py test_uncancel_resets_must_cancel
  it('uncancel to zero drops a cancellation not yet delivered (test_uncancel_resets_must_cancel)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const t = createTask(async () => {
        tr.push('start');
        await sleep(0);
        tr.push('after sleep');
        return 'ok';
      });
      await sleep(0);
      tr.push(`cancel ${py(t.cancel())} uncancel ${t.uncancel()}`);
      tr.push(`result ${await t} cancelled ${py(t.cancelled())}`);
    });
    expect(tr).toEqual([
      'start',
      'cancel True uncancel 0',
      'after sleep',
      'result ok cancelled False',
    ]);
  });

  // CPython: test_tasks.py test_cancel_with_message_before_starting_task
  it('a task cancelled before it starts never runs and keeps the message (test_cancel_with_message_before_starting_task)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const t = createTask(async () => {
        tr.push('body ran');
      });
      tr.push(`cancel ${py(t.cancel('early'))} cancelling ${t.cancelling()}`);
      try {
        await t;
      } catch (e) {
        tr.push(`awaiter ${msg(e)}`);
      }
      tr.push(`cancelled ${py(t.cancelled())}`);
    });
    expect(tr).toEqual(['cancel True cancelling 1', 'awaiter early', 'cancelled True']);
  });

  // CPython 3.13 hands the task's CancelledError (with its message) over once: the first
  // awaiter gets it, later awaiters and result() calls get CancelledError() without the
  // message. tsio keeps the message for every one: docs/python-differences.md item 34.
  it('every awaiter of a cancelled task gets the cancel message (difference 34)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const t = createTask(async () => {
        await sleep(10);
      });
      const waiter = (n: string) =>
        createTask(async () => {
          try {
            await t;
          } catch (e) {
            tr.push(`${n} ${msg(e)}`);
          }
        });
      const w1 = waiter('w1');
      const w2 = waiter('w2');
      await sleep(0);
      t.cancel('bye');
      await w1;
      await w2;
      for (let i = 0; i < 2; i++) {
        try {
          t.result();
        } catch (e) {
          tr.push(`result() ${msg(e)}`);
        }
      }
    });
    expect(tr).toEqual(['w1 bye', 'w2 bye', 'result() bye', 'result() bye']);
  });

  // CPython: test_tasks.py test_cancel_at_end
  it('a task that cancels itself and returns ends cancelled (test_cancel_at_end)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const t = createTask(async () => {
        (currentTask() as Task<unknown>).cancel('self');
        tr.push('returning');
        return 5;
      });
      try {
        await t;
      } catch (e) {
        tr.push(`awaiter ${msg(e)}`);
      }
      tr.push(`cancelled ${py(t.cancelled())}`);
    });
    expect(tr).toEqual(['returning', 'awaiter self', 'cancelled True']);
  });

  // Python: ['a1', 'a got d', 'b1', 'b2', 'a got p'] — awaiting a done future does not
  // suspend. tsio resumes in a microtask after the iteration that started both tasks, so b
  // runs first: docs/python-differences.md item 7.
  it('a task awaiting a done future then a pending one (difference 7)', async () => {
    const tr = await trace(async (loop, tr) => {
      const done = new Future<string>({ loop });
      done.setResult('d');
      const pend = new Future<string>({ loop });
      const ta = createTask(async () => {
        tr.push('a1');
        tr.push(`a got ${await done}`);
        tr.push(`a got ${await pend}`);
      });
      const tb = createTask(async () => {
        tr.push('b1');
        pend.setResult('p');
        tr.push('b2');
      });
      await ta;
      await tb;
    });
    expect(tr).toEqual(['a1', 'b1', 'b2', 'a got d', 'a got p']);
  });

  // Python: ['cb1', 'task resumed', 'cb2'] — the resumption is a done callback like the others.
  // tsio resumes the coroutine after the iteration's callbacks: difference 7.
  it('done callbacks and an await resumption of one future (difference 7)', async () => {
    const tr = await trace(async (loop, tr) => {
      const fut = new Future<number>({ loop });
      fut.addDoneCallback(() => tr.push('cb1'));
      const t = createTask(async () => {
        await fut;
        tr.push('task resumed');
      });
      await sleep(0);
      fut.addDoneCallback(() => tr.push('cb2'));
      loop.callSoon(() => fut.setResult(1));
      await t;
      await sleep(0);
    });
    expect(tr).toEqual(['cb1', 'cb2', 'task resumed']);
  });

  // CPython: test_tasks.py test_sleep (sleep(0) round-robin)
  it('tasks interleave through sleep(0) in FIFO order', async () => {
    const tr = await trace(async (_loop, tr) => {
      const tasks = ['a', 'b', 'c'].map((n) =>
        createTask(async () => {
          for (let i = 0; i < 3; i++) {
            tr.push(`${n}${i}`);
            await sleep(0);
          }
        }),
      );
      for (const t of tasks) await t;
    });
    expect(tr).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
  });

  // CPython: test_tasks.py test_current_task
  it('currentTask and allTasks across completion (test_current_task)', async () => {
    const tr = await trace(async (loop, tr) => {
      const main = currentTask();
      const tq: Task<void> = createTask(async () => {
        tr.push(`in quick current is quick ${py(currentTask() === tq)}`);
      });
      const ts = createTask(async () => {
        await sleep(10);
      });
      tr.push(`all ${allTasks().size}`);
      await tq;
      const all = allTasks();
      tr.push(
        `all after quick ${all.size} has main ${py(all.has(main as Task<unknown>))} has quick ${py(all.has(tq))}`,
      );
      loop.callSoon(() =>
        tr.push(`callback current ${currentTask() === null ? 'None' : 'a task'}`),
      );
      await sleep(0);
      ts.cancel();
      try {
        await ts;
      } catch (e) {
        tr.push(`ts cancelled ${msg(e)}`);
      }
      tr.push(`all end ${allTasks().size}`);
    });
    expect(tr).toEqual([
      'all 3',
      'in quick current is quick True',
      'all after quick 2 has main True has quick False',
      'callback current None',
      'ts cancelled ',
      'all end 1',
    ]);
  });

  // CPython: test_tasks.py test_cancel_with_message_then_future_result
  it('cancel passes its message to the awaited future', async () => {
    const tr = await trace(async (loop, tr) => {
      const fut = new Future<void>({ loop });
      const t = createTask(async () => {
        await fut;
      });
      await sleep(0);
      t.cancel('why');
      tr.push(`fut cancelled ${py(fut.cancelled())}`);
      try {
        fut.result();
      } catch (e) {
        tr.push(`fut msg ${msg(e)}`);
      }
      try {
        await t;
      } catch (e) {
        tr.push(`task msg ${msg(e)}`);
      }
      tr.push(`cancel done task ${py(t.cancel())}`);
    });
    expect(tr).toEqual([
      'fut cancelled True',
      'fut msg why',
      'task msg why',
      'cancel done task False',
    ]);
  });

  // CPython: test_tasks.py test_context_1 / test_context_2
  it('each task sees a copy of its creator context (test_context_1)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const v = new ContextVar<string>('v', { default: 'd' });
      v.set('main');
      const a = createTask(async () => {
        tr.push(`a sees ${v.get()}`);
        v.set('a');
        await sleep(0);
        tr.push(`a after ${v.get()}`);
      });
      const b = createTask(async () => {
        tr.push(`b sees ${v.get()}`);
        await sleep(0);
        tr.push(`b after ${v.get()}`);
      });
      await a;
      await b;
      tr.push(`main ${v.get()}`);
    });
    expect(tr).toEqual(['a sees main', 'b sees main', 'a after a', 'b after main', 'main main']);
  });

  // CPython: test_context.py (Lib/test) test_context_getset_4
  it('a ContextVar token cannot reset in another task; a used token cannot reset twice', async () => {
    const tr = await trace(async (_loop, tr) => {
      const v = new ContextVar<string>('v', { default: 'd' });
      let tok: ReturnType<typeof v.set> | null = null;
      await createTask(async () => {
        tok = v.set('a');
      });
      await createTask(async () => {
        try {
          v.reset(tok as never);
          tr.push('reset ok');
        } catch (e) {
          tr.push((e as Error).name);
        }
      });
      await createTask(async () => {
        const t = v.set('c');
        await sleep(0);
        v.reset(t);
        tr.push(`c reset to ${v.get()}`);
        try {
          v.reset(t);
        } catch (e) {
          tr.push((e as Error).name);
        }
      });
    });
    expect(tr).toEqual(['ValueError', 'c reset to d', 'RuntimeError']);
  });

  // CPython: test_tasks.py test_context_3
  it('a task created with an explicit context runs in that very context (test_context_3)', async () => {
    const tr = await trace(async (_loop, tr) => {
      const v = new ContextVar<string>('v', { default: 'd' });
      const ctx: Context = copyContext();
      const a = async () => {
        v.set('set-in-task');
      };
      await createTask(a, { context: ctx });
      tr.push(`ctx ${ctx.get(v)} main ${v.get()}`);
      await createTask(a);
      tr.push(`main after copy-task ${v.get()}`);
    });
    expect(tr).toEqual(['ctx set-in-task main d', 'main after copy-task d']);
  });

  // Python: create_task(asyncio.sleep(0.2)) is cancelled at once. The tsio equivalent is a task
  // function that returns the tsio awaitable itself instead of awaiting it.
  it('a task whose function returns sleep() directly is cancelled at once', async () => {
    const tr = await trace(async (loop, tr) => {
      const ts = createTask(() => sleep(0.2));
      await sleep(0);
      tr.push(`cancel ${py(ts.cancel())}`);
      loop.callLater(0.1, () => tr.push(`done at 0.1 ${py(ts.done())}`));
      try {
        await ts;
      } catch (e) {
        tr.push(`awaiter ${msg(e)}`);
      }
      await sleep(0.15);
    });
    expect(tr).toEqual(['cancel True', 'awaiter ', 'done at 0.1 True']);
  });
});
