// Parity of BaseEventLoop scheduling, stop/run and the exception handler with asyncio 3.13.
// Each expected trace is what the Python version printed under CPython 3.13.0.
import {
  BaseEventLoop,
  Context,
  ContextVar,
  copyContext,
  Future,
  RuntimeError,
  sleep,
  ValueError,
} from '../../src/index.js';
import { py, traceLoop } from './helpers.js';

const pushTo = (tr: string[]) => (s: string) => {
  tr.push(s);
};

/**
 * Stops the loop at its `n`th iteration from now, through a chain of callSoon. The Python
 * scenarios stop with call_later(0.001, loop.stop); in real time a loaded machine can make that
 * timer due in the first iteration and stop the loop before the callbacks being traced run.
 */
function stopAfterIterations(loop: BaseEventLoop, n: number): void {
  loop.callSoon(() => {
    if (n <= 1) loop.stop();
    else stopAfterIterations(loop, n - 1);
  });
}

describe('parity: loop', () => {
  // CPython: test_base_events.py test_call_later_negative_delays, test__run_once
  it('callLater(0), callAt(past) and callSoon order (test_call_later_negative_delays)', async () => {
    // Real time that stands still while the timers are scheduled: each callLater measures from
    // its own call, and a loaded machine can let more than 1 ms pass between the two calls,
    // which would put 'later2ms' before 'later1ms'.
    let frozenAt: number | null = null;
    const clock = { now: (): number => frozenAt ?? performance.now() / 1000 };
    const tr = await traceLoop(async (loop, tr) => {
      const push = pushTo(tr);
      frozenAt = clock.now();
      loop.callLater(0, push, 'later0');
      loop.callSoon(push, 'soon1');
      loop.callAt(loop.time() - 1, push, 'at-past');
      loop.callSoon(push, 'soon2');
      loop.callLater(0.002, push, 'later2ms');
      loop.callLater(0.001, push, 'later1ms');
      loop.callLater(0.005, () => loop.stop());
      frozenAt = null;
      await loop.runForever();
    }, clock);
    expect(tr).toEqual(['soon1', 'soon2', 'at-past', 'later0', 'later1ms', 'later2ms']);
  });

  // No exact CPython test (asyncio _run_once runs the whole ready batch; see test__run_once)
  it('stop() inside a callback finishes the iteration, keeps later callbacks queued', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const push = pushTo(tr);
      loop.callSoon(() => {
        tr.push('a');
        loop.callSoon(push, 'scheduled-by-a');
      });
      loop.callSoon(() => {
        tr.push('stop');
        loop.stop();
      });
      loop.callSoon(push, 'c');
      await loop.runForever();
      tr.push('run_forever returned');
      loop.callSoon(() => loop.stop());
      await loop.runForever();
      tr.push('second run returned');
    });
    expect(tr).toEqual([
      'a',
      'stop',
      'c',
      'run_forever returned',
      'scheduled-by-a',
      'second run returned',
    ]);
  });

  // CPython: test_base_events.py test_run_forever_pre_stopped
  it('stop() before runForever runs exactly one iteration (test_run_forever_pre_stopped)', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      loop.callSoon(() => {
        tr.push('a');
        loop.callSoon(pushTo(tr), 'next-iteration');
      });
      loop.stop();
      await loop.runForever();
      tr.push(`returned running ${py(loop.isRunning())}`);
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    });
    expect(tr).toEqual(['a', 'returned running False', 'next-iteration']);
  });

  // No exact CPython test; run_until_complete adds a done callback that calls stop().
  it('runUntilComplete on a future already done runs one iteration', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const fut = new Future<string>({ loop });
      fut.setResult('r');
      loop.callSoon(pushTo(tr), 'queued-before');
      loop.callSoon(() => {
        tr.push('b');
        loop.callSoon(pushTo(tr), 'queued-by-b');
      });
      tr.push(`result ${await loop.runUntilComplete(fut)}`);
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    });
    expect(tr).toEqual(['queued-before', 'b', 'result r', 'queued-by-b']);
  });

  // CPython: test_events.py test_run_until_complete_stopped
  it('runUntilComplete stopped before the future completes (test_run_until_complete_stopped)', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const fut = new Future<void>({ loop });
      loop.callSoon(() => loop.stop());
      try {
        await loop.runUntilComplete(fut);
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        tr.push(`RuntimeError ${e.message}`);
      }
      tr.push(`fut done ${py(fut.done())}`);
    });
    expect(tr).toEqual([
      'RuntimeError Event loop stopped before Future completed.',
      'fut done False',
    ]);
  });

  // CPython: test_base_events.py test_default_exc_handler_callback, test_set_exc_handler_custom
  it('callback and done-callback errors go to the exception handler (test_set_exc_handler_custom)', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      loop.setExceptionHandler((_l, ctx) => {
        const e = ctx.exception as Error;
        tr.push(`handler ${e.name} ${e.message} handle ${py('handle' in ctx)}`);
      });
      loop.callSoon(() => {
        throw new ValueError('boom');
      });
      loop.callSoon(pushTo(tr), 'after bad');
      const fut = new Future<number>({ loop });
      fut.addDoneCallback(() => {
        throw new TypeError('k');
      });
      fut.addDoneCallback(() => tr.push('second done cb'));
      loop.callSoon(() => fut.setResult(1));
      stopAfterIterations(loop, 5);
      await loop.runForever();
    });
    expect(tr).toEqual([
      'handler ValueError boom handle True',
      'after bad',
      'handler TypeError k handle True',
      'second done cb',
    ]);
  });

  // CPython: test_events.py test_handle; test_base_events.py test__run_once
  it('cancelled handles and timers are skipped, even when cancelled during the iteration', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const push = pushTo(tr);
      const h1 = loop.callSoon(push, 'h1');
      const h2 = loop.callSoon(push, 'h2');
      const t1 = loop.callLater(0, push, 't1');
      loop.callSoon(() => {
        tr.push('canceller');
        h3.cancel();
      });
      const h3 = loop.callSoon(push, 'h3');
      h1.cancel();
      t1.cancel();
      tr.push(`cancelled ${py(h1.cancelled())} ${py(h2.cancelled())} ${py(t1.cancelled())}`);
      stopAfterIterations(loop, 5);
      await loop.runForever();
    });
    expect(tr).toEqual(['cancelled True False True', 'h2', 'canceller']);
  });

  // No exact CPython test: ordering of callbacks scheduled from done callbacks.
  it('callbacks scheduled from inside done callbacks run after the ones already queued', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const push = pushTo(tr);
      const fut = new Future<number>({ loop });
      fut.addDoneCallback((f) => {
        tr.push('cb1');
        loop.callSoon(push, 'soon-from-cb1');
        f.addDoneCallback(() => tr.push('late-done-cb'));
      });
      fut.addDoneCallback(() => tr.push('cb2'));
      loop.callSoon(() => {
        fut.setResult(1);
        loop.callSoon(push, 'soon-after-set');
      });
      loop.callSoon(push, 'queued-with-setter');
      stopAfterIterations(loop, 5);
      await loop.runForever();
    });
    expect(tr).toEqual([
      'queued-with-setter',
      'cb1',
      'cb2',
      'soon-after-set',
      'soon-from-cb1',
      'late-done-cb',
    ]);
  });

  // CPython: test_context.py (Lib/test) test_context_run_5 / test_context_run_4 (re-entry)
  it('nested Context.run keeps each context separate and refuses re-entry', async () => {
    const tr = await traceLoop(async (_loop, tr) => {
      const v = new ContextVar<string>('v', { default: 'd' });
      const c1 = new Context();
      const c2 = new Context();
      c1.run(() => {
        v.set('1');
        c2.run(() => {
          tr.push(`inner sees ${v.get()}`);
          v.set('2');
        });
        tr.push(`outer sees ${v.get()}`);
        try {
          c1.run(() => undefined);
        } catch (e) {
          if (e instanceof RuntimeError) tr.push('reenter RuntimeError');
        }
      });
      tr.push(`c1 ${c1.get(v)} c2 ${c2.get(v)} top ${v.get()}`);
    });
    expect(tr).toEqual(['inner sees d', 'outer sees 1', 'reenter RuntimeError', 'c1 1 c2 2 top d']);
  });

  // No exact CPython test (context= of call_soon; cf. test_context.py)
  it('callSoon copies the current context; callSoonWithContext runs in the given one', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const v = new ContextVar<string>('v', { default: 'd' });
      new Context().run(() => {
        v.set('before');
        loop.callSoon(() => tr.push(`cb sees ${v.get()}`));
        v.set('after');
        const ctx = copyContext();
        loop.callSoonWithContext(ctx, () => {
          v.set('cb-set');
          tr.push(`ctx cb sees ${v.get()}`);
        });
        loop.callSoon(() => tr.push(`ctx now ${ctx.get(v)}`));
        loop.callSoon(() => loop.stop());
      });
      await loop.runForever();
    });
    expect(tr).toEqual(['cb sees before', 'ctx cb sees cb-set', 'ctx now cb-set']);
  });

  // No exact CPython test: the main task starts after what
  // was queued before it, and a callback queued by the task runs before its sleep(0) resumes.
  it('runUntilComplete(coroutine) ordering against queued callbacks', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      loop.callSoon(pushTo(tr), 'queued-first');
      const r = await loop.runUntilComplete(async () => {
        tr.push('main start');
        loop.callSoon(pushTo(tr), 'cb');
        await sleep(0);
        tr.push('main after sleep0');
        return 'm';
      });
      tr.push(`result ${r}`);
    });
    expect(tr).toEqual(['queued-first', 'main start', 'cb', 'main after sleep0', 'result m']);
  });
});
