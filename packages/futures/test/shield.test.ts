import { getRunningLoop, RuntimeError } from '@tsio/core';
import { createTask, Future, gather, shield, sleep } from '../src/index.js';
import { runOnNewLoop, spin, outcome } from './helpers.js';

describe('shield', () => {
  it("reflects the inner future's result (test_shield_result)", async () => {
    const trace = await runOnNewLoop(async () => {
      const inner = new Future<number>();
      const outer = shield(inner);
      const out = [`same object: ${outer === inner}`];
      inner.setResult(42);
      out.push(await outcome(outer));
      return out;
    });
    expect(trace).toEqual(['same object: false', 'result 42']);
  });

  it("reflects the inner future's error (test_shield_exception)", async () => {
    const same = await runOnNewLoop(async () => {
      const inner = new Future<number>();
      const outer = shield(inner);
      await spin();
      const error = new RuntimeError('expected');
      inner.setException(error);
      await spin();
      return outer.exception() === error;
    });
    expect(same).toBe(true);
  });

  it('is cancelled when the inner future is (test_shield_cancel_inner)', async () => {
    const cancelled = await runOnNewLoop(async () => {
      const inner = new Future<number>();
      const outer = shield(inner);
      await spin();
      inner.cancel();
      await spin();
      return outer.cancelled();
    });
    expect(cancelled).toBe(true);
  });

  it('leaves the inner future alone when cancelled (test_shield_cancel_outer)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const inner = new Future<number>();
      const outer = shield(inner);
      await spin();
      out.push(`outer.cancel() -> ${outer.cancel()}`);
      await spin();
      out.push(`outer cancelled=${outer.cancelled()} inner cancelled=${inner.cancelled()}`);
      inner.setResult(1);
      await spin();
      out.push(`outer still cancelled=${outer.cancelled()}, inner: ${await outcome(inner)}`);
      return out;
    });
    expect(trace).toEqual([
      'outer.cancel() -> true',
      'outer cancelled=true inner cancelled=false',
      'outer still cancelled=true, inner: result 1',
    ]);
  });

  it('returns a finished argument as it is (test_shield_shortcut)', async () => {
    const [same, value] = await runOnNewLoop(async () => {
      const fut = new Future<number>();
      fut.setResult(42);
      const shielded = shield(fut);
      return [shielded === fut, await shielded] as const;
    });
    expect(same).toBe(true);
    expect(value).toBe(42);
  });

  it('keeps the inner task running when the awaiting task is cancelled (test_shield_effect)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const waiter = new Future<void>();
      const outer = createTask(async () => {
        try {
          await shield(async () => {
            await waiter;
            out.push('inner finished');
          });
          out.push('outer not reached');
        } catch (e) {
          out.push(`outer got ${String(e)} at its await`);
          throw e;
        }
      });
      await spin();
      outer.cancel('stop');
      out.push(`outer: ${await outcome(outer)}`);
      waiter.setResult();
      await spin(2);
      return out;
    });
    expect(trace).toEqual([
      'outer got CancelledError: stop at its await',
      'outer: CancelledError(stop)',
      'inner finished',
    ]);
  });

  it('shields a gather: cancelling the shield does not cancel the gather (test_shield_gather)', async () => {
    const trace = await runOnNewLoop(async () => {
      const [child1, child2] = [new Future<number>(), new Future<number>()];
      const parent = gather(child1, child2);
      const outer = shield(parent);
      await spin();
      outer.cancel();
      await spin();
      const out = [`outer cancelled=${outer.cancelled()}`];
      child1.setResult(1);
      child2.setResult(2);
      out.push(`parent: ${await outcome(parent)}`);
      return out;
    });
    expect(trace).toEqual(['outer cancelled=true', 'parent: result [1,2]']);
  });

  it('lets a gather of shields be cancelled without cancelling the children (test_gather_shield)', async () => {
    const trace = await runOnNewLoop(async () => {
      const [child1, child2] = [new Future<number>(), new Future<number>()];
      const [inner1, inner2] = [shield(child1), shield(child2)];
      const parent = gather(inner1, inner2);
      await spin();
      parent.cancel();
      await spin();
      const out = [
        `parent: ${await outcome(parent)}`,
        `shields cancelled=${inner1.cancelled()} ${inner2.cancelled()}`,
        `children cancelled=${child1.cancelled()} ${child2.cancelled()}`,
      ];
      child1.setResult(1);
      child2.setResult(2);
      await spin();
      return out;
    });
    expect(trace).toEqual([
      'parent: CancelledError()',
      'shields cancelled=true true',
      'children cancelled=false false',
    ]);
  });

  it('wraps a coroutine function or a promise in a task of the running loop (test_shield_coroutine_use_running_loop)', async () => {
    const trace = await runOnNewLoop(async () => {
      const outer = shield(async () => 42);
      const fromPromise = shield(sleep(0.001, 'slept'));
      return [outer.getLoop() === getRunningLoop(), await outer, await fromPromise];
    });
    expect(trace).toEqual([true, 42, 'slept']);
  });

  it('needs a loop to wrap a coroutine function (test_shield_coroutine_without_loop)', () => {
    expect(() => shield(async () => 42)).toThrow(RuntimeError);
    expect(() => shield(async () => 42)).toThrow('no running event loop');
  });

  it('rejects what cannot be awaited with a TypeError', async () => {
    await runOnNewLoop(async () => {
      expect(() => shield(42 as never)).toThrow(
        new TypeError(
          'shield(): the argument is not awaitable (got number 42); pass a Future, a Task, ' +
            'a promise or a coroutine function',
        ),
      );
    });
  });
});
