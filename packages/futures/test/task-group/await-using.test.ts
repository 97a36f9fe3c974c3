import {
  ExceptionGroup,
  getRunningLoop,
  isCancelledError,
  ValueError,
  type ExceptionContext,
} from '@tsio/core';
import { createTask, currentTask, sleep, TaskGroup } from '../../src/index.js';
import { runOnNewLoop, spin } from '../helpers.js';
import { describeError, settle } from './trace.js';

// @swc/jest's `await using` helper calls `new _SuppressedError(...)` while it defines
// `_SuppressedError1` (a renaming bug of the transpiler), so a disposer that throws while the
// block threw ends in a ReferenceError. Give the helper the name it looks for: native
// SuppressedError where it exists (Node 24), else the same stand-in the helper would build.
const g = globalThis as { _SuppressedError?: unknown; SuppressedError?: unknown };
g._SuppressedError ??=
  g.SuppressedError ??
  function SuppressedError(error: unknown, suppressed: unknown, message: string) {
    return Object.assign(new Error(message), { name: 'SuppressedError', error, suppressed });
  };

/** `SuppressedError` is what JavaScript throws when a disposer throws while the block threw. */
function describeOutcome(e: unknown): string {
  if (e instanceof Error && e.name === 'SuppressedError') {
    const s = e as Error & { error: unknown; suppressed: unknown };
    return `SuppressedError(error=${describeError(s.error)}, suppressed=${describeError(s.suppressed)})`;
  }
  return describeError(e);
}

describe('TaskGroup with await using', () => {
  it('waits for the children when the block ends', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      {
        await using tg = new TaskGroup();
        tg.createTask(async () => {
          await sleep(0.01);
          out.push('a done');
        });
        tg.createTask(async () => {
          await sleep(0.02);
          out.push('b done');
        });
        out.push(`block ends ${String(tg)}`);
      }
      out.push('after block');
      return out;
    });
    expect(trace).toEqual([
      'block ends <TaskGroup tasks=2 entered>',
      'a done',
      'b done',
      'after block',
    ]);
  });

  it('throws the ExceptionGroup when a child fails after a block that did not throw', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      try {
        await using tg = new TaskGroup();
        tg.createTask(() => sleep(1));
        tg.createTask(async () => {
          await sleep(0.01);
          throw new ValueError('child');
        });
      } catch (e) {
        out.push(`caught ${describeOutcome(e)} group=${e instanceof ExceptionGroup}`);
      }
      out.push(`cancelling=${currentTask()!.cancelling()}`);
      return out;
    });
    expect(trace).toEqual(['caught EG[ValueError(child)] group=true', 'cancelling=0']);
  });

  it('wraps the group in a SuppressedError when a child fails while the block awaits (documented)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      try {
        await using tg = new TaskGroup();
        tg.createTask(async () => {
          await sleep(0.01);
          throw new ValueError('child');
        });
        await sleep(1); // the group cancels the parent here: the block throws CancelledError
        out.push('not reached');
      } catch (e) {
        out.push(`caught ${describeOutcome(e)}`);
      }
      out.push(`cancelling=${currentTask()!.cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'caught SuppressedError(error=EG[ValueError(child)], suppressed=CancelledError)',
      'cancelling=0',
    ]);
  });

  it('does not see an error of the block: the children run on, then the error propagates (documented)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      try {
        await using tg = new TaskGroup();
        tg.createTask(async () => {
          await sleep(0.02);
          out.push('child finished normally');
        });
        await sleep(0.01);
        throw new ValueError('block');
      } catch (e) {
        out.push(`caught ${describeOutcome(e)}`);
      }
      return out;
    });
    expect(trace).toEqual(['child finished normally', 'caught ValueError(block)']);
  });

  it('throws a SuppressedError when the block threw and a child failed after (documented)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      try {
        await using tg = new TaskGroup();
        tg.createTask(async () => {
          await sleep(0.01);
          throw new ValueError('child');
        });
        throw new TypeError('block');
      } catch (e) {
        out.push(`caught ${describeOutcome(e)}`);
      }
      return out;
    });
    expect(trace).toEqual([
      'caught SuppressedError(error=EG[ValueError(child)], suppressed=TypeError(block))',
    ]);
  });

  it('cancels the children when the parent is cancelled from outside (tsio: reads cancelling())', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const r = createTask(async () => {
        await using tg = new TaskGroup();
        tg.createTask(async () => {
          try {
            await sleep(10);
          } catch (e) {
            out.push(`child ${describeError(e)}`);
            throw e;
          }
        });
        await sleep(10);
      });
      await spin(3); // the block and the child are waiting
      r.cancel();
      out.push(await settle(r), `cancelled=${r.cancelled()}`);
      return out;
    });
    expect(trace).toEqual(['child CancelledError', 'threw CancelledError', 'cancelled=true']);
  });

  it('delivers a cancellation still pending when the block ends', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const r = createTask(async () => {
        try {
          await using tg = new TaskGroup();
          tg.createTask(async () => {
            try {
              await sleep(10);
            } finally {
              out.push('child cancelled');
            }
          });
          await spin(); // let the child start
          currentTask()!.cancel('self'); // requested, not yet delivered: no await follows
          out.push('block ends');
        } catch (e) {
          out.push(`caught ${describeOutcome(e)} cancelled=${isCancelledError(e)}`);
          throw e;
        }
      });
      out.push(await settle(r));
      return out;
    });
    expect(trace).toEqual([
      'block ends',
      'child cancelled',
      'caught CancelledError cancelled=true',
      'threw CancelledError',
    ]);
  });

  it('refuses createTask after the block, and disposing again does nothing', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let saved!: TaskGroup;
      {
        await using tg = new TaskGroup();
        saved = tg;
        tg.createTask(() => sleep(0));
      }
      await saved[Symbol.asyncDispose]();
      out.push('disposed twice');
      try {
        saved.createTask(() => sleep(0));
      } catch (e) {
        out.push(describeError(e));
      }
      out.push(await settle(saved.run(() => 1)));
      return out;
    });
    expect(trace).toEqual([
      'disposed twice',
      'RuntimeError(TaskGroup <TaskGroup entered> is finished)',
      'threw RuntimeError(TaskGroup <TaskGroup entered> has already been entered)',
    ]);
  });

  it('does nothing for a block that created no task', async () => {
    const trace = await runOnNewLoop(async () => {
      {
        await using tg = new TaskGroup();
        void tg;
      }
      return 'ok';
    });
    expect(trace).toBe('ok');
  });

  it('reports a child that fails after its parent finished (a forgotten await using)', async () => {
    const reports = await runOnNewLoop(async () => {
      const seen: ExceptionContext[] = [];
      getRunningLoop().setExceptionHandler((_loop, ctx) => seen.push(ctx));
      const parent = createTask(async () => {
        const tg = new TaskGroup(); // no `await using`: nothing waits for the children
        tg.createTask(async () => {
          await sleep(0);
          throw new ValueError('late');
        });
      });
      await parent;
      await spin(5); // the child fails, and is reported, meanwhile
      return seen.map((ctx) => [
        ctx.message.replace(/<Task[^>]*>>/g, '<Task>'),
        describeError(ctx.exception),
      ]);
    });
    expect(reports).toEqual([
      [
        'Task <Task> has errored out but its parent task <Task> is already completed',
        'ValueError(late)',
      ],
    ]);
  });
});
