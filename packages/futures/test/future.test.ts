import { BaseEventLoop } from '@tsio/event-loop';
import {
  CancelledError,
  Context,
  ContextVar,
  getRunningLoop,
  InvalidStateError,
  RuntimeError,
} from '@tsio/core';
import { Future } from '../src/index.js';
import { runOnNewLoop } from './helpers.js';

describe('Future', () => {
  let loop: BaseEventLoop;
  beforeEach(() => {
    loop = new BaseEventLoop();
  });
  afterEach(() => {
    if (!loop.isRunning()) loop.close();
  });

  it('starts pending (test_initial_state)', () => {
    const f = new Future<number>({ loop });
    expect(f.done()).toBe(false);
    expect(f.cancelled()).toBe(false);
    expect(f.getLoop()).toBe(loop);
    expect(() => f.result()).toThrow(new InvalidStateError('Result is not set.'));
    expect(() => f.exception()).toThrow(new InvalidStateError('Exception is not set.'));
  });

  it('needs a loop when none is running and no policy is installed (test_constructor_without_loop)', () => {
    expect(() => new Future()).toThrow(RuntimeError);
    expect(() => new Future()).toThrow('no running event loop');
  });

  it('uses the running loop by default (test_constructor_use_running_loop)', async () => {
    const inside = await runOnNewLoop(async () => new Future().getLoop() === getRunningLoop());
    expect(inside).toBe(true);
  });

  it('holds a result (test_result)', () => {
    const f = new Future<number>({ loop });
    f.setResult(42);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(42);
    expect(f.exception()).toBeNull();
    expect(f.cancel()).toBe(false);
  });

  it('holds an exception (test_exception)', () => {
    const f = new Future<number>({ loop });
    const error = new Error('boom');
    f.setException(error);
    expect(() => f.result()).toThrow(error);
    expect(f.exception()).toBe(error);
  });

  it('instantiates an exception class (test_exception_class)', () => {
    const f = new Future<number>({ loop });
    f.setException(RangeError);
    expect(f.exception()).toBeInstanceOf(RangeError);
  });

  it('rejects setException(undefined) with a TypeError and stays pending', () => {
    const f = new Future<number>({ loop });
    expect(() => f.setException(undefined)).toThrow(TypeError);
    expect(f.done()).toBe(false);
  });

  it('cancels with a message (test_future_cancel_message_getter)', () => {
    const f = new Future<number>({ loop });
    expect(f.cancel('stop now')).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    expect(() => f.result()).toThrow(new CancelledError('stop now'));
    expect(() => f.exception()).toThrow(CancelledError);
    expect(f.cancel()).toBe(false);
  });

  it('refuses a second completion with InvalidStateError naming the state', () => {
    const f = new Future<number>({ loop });
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setResult(2)).toThrow(/^FINISHED: <Future finished result=1>$/);
    expect(() => f.setException(new Error('x'))).toThrow(InvalidStateError);
    expect(() => f.setException(new Error('x'))).toThrow(/^FINISHED: <Future finished result=1>$/);
    const c = new Future<number>({ loop });
    c.cancel();
    expect(() => c.setResult(1)).toThrow(/^CANCELLED: /);
    expect(f.result()).toBe(1);
  });

  it('describes itself like asyncio repr (test_future_repr)', () => {
    const f = new Future<string>({ loop });
    expect(String(f)).toBe('<Future pending>');
    f.setResult('ok');
    expect(String(f)).toBe('<Future finished result="ok">');
    const e = new Future<string>({ loop });
    e.setException(new TypeError('bad'));
    expect(String(e)).toBe('<Future finished exception=TypeError("bad")>');
    const c = new Future<string>({ loop });
    c.cancel();
    expect(String(c)).toBe('<Future cancelled>');
  });

  it('runs done callbacks through the loop, in order, never inline (test_callbacks_invoked_on_set_result)', async () => {
    const f = new Future<number>({ loop });
    const trace: string[] = [];
    f.addDoneCallback((fut) => trace.push(`a:${fut.result()}`));
    f.addDoneCallback(() => trace.push('b'));
    f.setResult(7);
    trace.push('after setResult');
    f.addDoneCallback(() => trace.push('c (added when done)'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(trace).toEqual(['after setResult', 'a:7', 'b', 'c (added when done)']);
  });

  it('removes every registration of a callback (test_remove_done_callback)', async () => {
    const f = new Future<number>({ loop });
    const trace: string[] = [];
    const cb = (): void => {
      trace.push('removed one ran');
    };
    f.addDoneCallback(cb);
    f.addDoneCallback(() => trace.push('kept'));
    f.addDoneCallback(cb);
    expect(f.removeDoneCallback(cb)).toBe(2);
    expect(f.removeDoneCallback(cb)).toBe(0);
    f.setResult(1);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(trace).toEqual(['kept']);
  });

  it('rejects a non-function done callback', () => {
    const f = new Future<number>({ loop });
    expect(() => f.addDoneCallback(42 as never)).toThrow(TypeError);
  });

  it('runs a done callback in the context it was given (test_future_callbacks_context)', async () => {
    const v = new ContextVar<string>('v', { default: 'outer' });
    const ctx = new Context();
    ctx.run(() => v.set('inner'));
    const f = new Future<number>({ loop });
    const seen: string[] = [];
    f.addDoneCallback(() => seen.push(v.get()), { context: ctx });
    f.addDoneCallback(() => seen.push(v.get()));
    f.setResult(1);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(seen).toEqual(['inner', 'outer']);
  });

  it('is awaitable: resolves with the result and rejects with the exception', async () => {
    const result = await runOnNewLoop(async () => {
      const f = new Future<number>();
      getRunningLoop().callLater(0.001, () => f.setResult(5));
      const g = new Future<number>();
      getRunningLoop().callSoon(() => g.setException(new Error('nope')));
      const caught = await g.then(
        () => 'no',
        (e: unknown) => (e as Error).message,
      );
      return [await f, caught];
    });
    expect(result).toEqual([5, 'nope']);
  });

  it('delivers a cancelled future as CancelledError with its message at the await', async () => {
    const message = await runOnNewLoop(async () => {
      const f = new Future<number>();
      getRunningLoop().callSoon(() => f.cancel('bye'));
      try {
        await f;
        return 'not cancelled';
      } catch (e) {
        return e instanceof CancelledError ? `cancelled: ${e.message}` : 'other';
      }
    });
    expect(message).toBe('cancelled: bye');
  });

  it('supports catch and finally like a promise', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const f = new Future<number>();
      f.setException(new Error('x'));
      await f.catch((e: unknown) => out.push(`caught ${(e as Error).message}`));
      const g = new Future<number>();
      g.setResult(3);
      out.push(`finally value ${await g.finally(() => out.push('finally ran'))}`);
      return out;
    });
    expect(trace).toEqual(['caught x', 'finally ran', 'finally value 3']);
  });

  it('settles the promise then returns as a native then does, whichever handlers it got', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const show = (p: PromiseLike<unknown>): Promise<string> =>
        Promise.resolve(p).then(
          (v) => `value ${String(v)}`,
          (e: unknown) => `error ${(e as Error).message}`,
        );
      const ok = new Future<number>();
      const failed = new Future<number>();
      const cancelled = new Future<number>();
      const pending = [
        show(ok.then((v) => v + 1)),
        show(ok.then(undefined, () => 'unused')),
        show(
          ok.then(
            () => {
              throw new Error('thrown by onFulfilled');
            },
            () => 'unused',
          ),
        ),
        show(ok.catch(() => 'unused')),
        show(failed.then((v) => v)),
        show(failed.then(undefined, (e: unknown) => `handled ${(e as Error).message}`)),
        show(
          failed.then(
            () => 'unused',
            () => {
              throw new Error('thrown by onRejected');
            },
          ),
        ),
        show(failed.finally(() => out.push('finally ran'))),
        show(
          failed.finally(() => {
            throw new Error('thrown by onFinally');
          }),
        ),
        show(
          cancelled.then(
            () => 'unused',
            () => 'cancel handled',
          ),
        ),
        show(cancelled.finally(() => undefined)),
      ];
      ok.setResult(1);
      failed.setException(new Error('failed'));
      cancelled.cancel('stop');
      out.push(...(await Promise.all(pending)));
      return out;
    });
    expect(trace).toEqual([
      'finally ran',
      'value 2',
      'value 1',
      'error thrown by onFulfilled',
      'value 1',
      'error failed',
      'value handled failed',
      'error thrown by onRejected',
      'error failed',
      'error thrown by onFinally',
      'value cancel handled',
      'error stop',
    ]);
  });

  it('keeps the order of one, two and three callbacks through removals', async () => {
    const trace: string[] = [];
    const futures = [1, 2, 3].map(() => new Future<number>({ loop }));
    const cb = (name: string) => (): void => {
      trace.push(name);
    };
    const [one, two, three] = futures as [Future<number>, Future<number>, Future<number>];
    const a = cb('one:a');
    one.addDoneCallback(a);
    expect(one.removeDoneCallback(a)).toBe(1);
    one.addDoneCallback(cb('one:b'));
    const b = cb('two:b');
    two.addDoneCallback(cb('two:a'));
    two.addDoneCallback(b);
    expect(two.removeDoneCallback(b)).toBe(1);
    two.addDoneCallback(cb('two:c'));
    const x = cb('three:x');
    three.addDoneCallback(x);
    three.addDoneCallback(cb('three:a'));
    three.addDoneCallback(x);
    three.addDoneCallback(cb('three:b'));
    expect(three.removeDoneCallback(x)).toBe(2);
    three.addDoneCallback(cb('three:c'));
    for (const f of futures) f.setResult(0);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(trace).toEqual(['one:b', 'two:a', 'two:c', 'three:a', 'three:b', 'three:c']);
  });

  it('resumes awaiters only after callbacks registered earlier (FIFO through the loop)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const f = new Future<string>();
      f.addDoneCallback(() => out.push('callback'));
      getRunningLoop().callSoon(() => f.setResult('v'));
      out.push(`await ${await f}`);
      return out;
    });
    expect(trace).toEqual(['callback', 'await v']);
  });

  it('runs a then handler in the context of the caller', async () => {
    const v = new ContextVar<string>('handlerContext', { default: 'root' });
    const seen = await runOnNewLoop(async () => {
      v.set('task');
      const f = new Future<number>();
      getRunningLoop().callSoon(() => f.setResult(1));
      return await f.then(() => v.get());
    });
    expect(seen).toBe('task');
  });
});
