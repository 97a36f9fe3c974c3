// Parity of Future with asyncio 3.13 (the C Future, asyncio's default). Each expected trace is
// what the Python version printed under CPython 3.13.0.
import {
  BaseEventLoop,
  createTask,
  Future,
  InvalidStateError,
  isCancelledError,
  sleep,
  ValueError,
} from '../../src/index.js';
import { msg, py, trace, traceLoop } from './helpers.js';

describe('parity: futures', () => {
  // CPython: test_futures.py test_callbacks_remove_first_and_second_callback,
  // test_remove_done_callback
  it('done callbacks run in order; remove counts every registration (test_remove_done_callback)', async () => {
    const tr = await traceLoop(async (loop: BaseEventLoop, tr) => {
      const fut = new Future<number>({ loop });
      const a = () => {
        tr.push('a');
      };
      const b = () => {
        tr.push('b');
      };
      fut.addDoneCallback(a);
      fut.addDoneCallback(b);
      fut.addDoneCallback(a);
      tr.push(`removed ${fut.removeDoneCallback(a)}`);
      fut.addDoneCallback(a);
      fut.setResult(1);
      tr.push('set');
      fut.addDoneCallback(() => tr.push('added-after-done'));
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    });
    expect(tr).toEqual(['removed 2', 'set', 'b', 'a', 'added-after-done']);
  });

  // CPython: test_futures.py test_future_cancel_message_getter, test_cancel
  it('a cancelled future rethrows its message every time (test_future_cancel_message_getter)', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const fut = new Future<number>({ loop });
      tr.push(`cancel ${py(fut.cancel('m'))} again ${py(fut.cancel('n'))}`);
      for (let i = 0; i < 2; i++) {
        try {
          fut.result();
        } catch (e) {
          tr.push(`result ${msg(e)}`);
        }
      }
      try {
        fut.exception();
      } catch (e) {
        tr.push(`exception ${msg(e)}`);
      }
      try {
        fut.setResult(1);
      } catch (e) {
        if (e instanceof InvalidStateError) tr.push('InvalidStateError');
      }
    });
    expect(tr).toEqual([
      'cancel True again False',
      'result m',
      'result m',
      'exception m',
      'InvalidStateError',
    ]);
  });

  // CPython: test_futures.py test_result / test_exception / test_exception_class.
  // tsio uses the text of the C Future (asyncio's default in 3.13): "Result is not set.".
  it('result(), exception() and setException(class) by state (test_exception_class)', async () => {
    const tr = await traceLoop(async (loop, tr) => {
      const fut = new Future<number>({ loop });
      try {
        fut.result();
      } catch (e) {
        tr.push(`pending ${(e as Error).message}`);
      }
      try {
        fut.exception();
      } catch (e) {
        tr.push(`pending exc ${(e as Error).message}`);
      }
      fut.setException(new ValueError('v'));
      tr.push(`exception ${(fut.exception() as Error).message} cancel ${py(fut.cancel())}`);
      try {
        fut.result();
      } catch (e) {
        tr.push(`result raises ${(e as Error).message}`);
      }
      const f2 = new Future<number>({ loop });
      f2.setException(ValueError);
      tr.push(`class instantiated ${(f2.exception() as Error).name}`);
    });
    expect(tr).toEqual([
      'pending Result is not set.',
      'pending exc Exception is not set.',
      'exception v cancel False',
      'result raises v',
      'class instantiated ValueError',
    ]);
  });

  // CPython: test_tasks.py test_cancel_inner_future (shared future variant)
  it('cancelling one of two tasks awaiting the same future cancels it for both', async () => {
    const tr = await trace(async (loop, tr) => {
      const fut = new Future<string>({ loop });
      const w = (n: string) =>
        createTask(async () => {
          try {
            tr.push(`${n} got ${await fut}`);
          } catch (e) {
            if (!isCancelledError(e)) throw e;
            tr.push(`${n} cancelled ${e.message}`);
          }
        });
      const t1 = w('w1');
      const t2 = w('w2');
      await sleep(0);
      t1.cancel('one');
      await sleep(0);
      await sleep(0);
      tr.push(`fut cancelled ${py(fut.cancelled())}`);
      await t1;
      await t2;
    });
    expect(tr).toEqual(['w1 cancelled one', 'w2 cancelled one', 'fut cancelled True']);
  });
});
