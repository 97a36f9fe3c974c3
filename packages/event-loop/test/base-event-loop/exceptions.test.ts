import type { AbstractEventLoop, ExceptionContext } from '@tsio/core';
import { BaseEventLoop, Handle } from '../../src/index.js';
import { FakeClock } from '../helpers/fake-host.js';

let loop: BaseEventLoop;
let errorSpy: jest.SpyInstance;
let warnSpy: jest.SpyInstance;
beforeEach(() => {
  loop = new BaseEventLoop();
  errorSpy = jest.spyOn(console, 'error').mockImplementation(() => {});
  warnSpy = jest.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  errorSpy.mockRestore();
  warnSpy.mockRestore();
  if (!loop.isRunning()) loop.close();
});

async function runOnce(target: BaseEventLoop = loop): Promise<void> {
  target.callSoon(() => target.stop());
  await target.runForever();
}

describe('errors thrown by callbacks', () => {
  it('go to the exception handler and the loop keeps running (test_set_exc_handler_custom)', async () => {
    const seen: [AbstractEventLoop, ExceptionContext][] = [];
    loop.setExceptionHandler((l, context) => seen.push([l, context]));
    const error = new Error('boom');
    const log: string[] = [];
    function failing(): void {
      throw error;
    }
    const handle = loop.callSoon(failing);
    loop.callSoon(() => log.push('after'));
    await runOnce();
    expect(log).toEqual(['after']);
    expect(seen).toHaveLength(1);
    const [l, context] = seen[0]!;
    expect(l).toBe(loop);
    expect(context.message).toBe('Exception in callback failing()');
    expect(context.exception).toBe(error);
    expect(context.handle).toBe(handle);
    expect(errorSpy).not.toHaveBeenCalled();
  });

  it('a throwing timer callback is reported and later iterations still run', async () => {
    const trace: string[] = [];
    loop.setExceptionHandler((_l, context) =>
      trace.push(`handler: ${context.message} / ${(context.exception as Error).message}`),
    );
    loop.callLater(-1, function timerFailing(): void {
      trace.push('timer runs');
      throw new Error('timer boom');
    });
    loop.callSoon(() => {
      trace.push('iteration 1');
      loop.callSoon(() => {
        trace.push('iteration 2');
        loop.stop();
      });
    });
    await loop.runForever();
    expect(trace).toEqual([
      'iteration 1',
      'timer runs',
      'handler: Exception in callback timerFailing() / timer boom',
      'iteration 2',
    ]);
    expect(errorSpy).not.toHaveBeenCalled();
  });

  it('the default handler logs the message, the other keys and the stack (test_default_exc_handler_callback)', async () => {
    function failing(): void {
      throw new TypeError('bad type');
    }
    loop.callSoon(failing);
    await runOnce();
    expect(errorSpy).toHaveBeenCalledTimes(1);
    const text = String(errorSpy.mock.calls[0]![0]);
    expect(text).toMatch(
      /^Exception in callback failing\(\)\nhandle: <Handle failing\(\)>\nTypeError: bad type\n\s+at failing/,
    );
  });

  it('defaultExceptionHandler sorts keys and uses a default message', () => {
    loop.defaultExceptionHandler({ message: '', zeta: 1, alpha: 'a' });
    expect(errorSpy).toHaveBeenCalledWith("Unhandled exception in event loop\nalpha: 'a'\nzeta: 1");
  });

  it('a custom handler that throws is reported by the default one (test_set_exc_handler_broken)', async () => {
    const handlerError = new Error('handler broke');
    loop.setExceptionHandler(() => {
      throw handlerError;
    });
    loop.callSoon(() => {
      throw new Error('original');
    });
    await runOnce();
    expect(errorSpy).toHaveBeenCalledTimes(1);
    const text = String(errorSpy.mock.calls[0]![0]);
    expect(text).toMatch(/^Unhandled error in exception handler\ncontext: /);
    expect(text).toContain('Error: handler broke');
  });

  it('a throwing default handler never escapes (test_default_exc_handler_broken)', async () => {
    class BrokenLoop extends BaseEventLoop {
      override defaultExceptionHandler(): void {
        throw new Error('default broke');
      }
    }
    const broken = new BrokenLoop();
    const log: string[] = [];
    broken.callSoon(() => {
      throw new Error('original');
    });
    broken.callSoon(() => log.push('still running'));
    await runOnce(broken);
    expect(log).toEqual(['still running']);
    expect(errorSpy).toHaveBeenCalledWith(
      'Exception in default exception handler',
      expect.any(Error),
    );
    broken.setExceptionHandler(() => {
      throw new Error('custom broke');
    });
    expect(() => broken.callExceptionHandler({ message: 'x' })).not.toThrow();
    expect(errorSpy).toHaveBeenLastCalledWith(
      'Exception in default exception handler while handling an unexpected error in custom exception handler',
      expect.any(Error),
    );
    broken.close();
  });

  it('setExceptionHandler rejects a non-function (test_set_exc_handler_invalid)', () => {
    expect(() => loop.setExceptionHandler('nope' as never)).toThrow(TypeError);
    expect(() => loop.setExceptionHandler('nope' as never)).toThrow(
      /^A callable object or null is expected, got/,
    );
    const handler = (): void => {};
    loop.setExceptionHandler(handler);
    expect(loop.getExceptionHandler()).toBe(handler);
    loop.setExceptionHandler(null);
    expect(loop.getExceptionHandler()).toBeNull();
  });

  it('the custom handler runs in the Context of the failing handle', async () => {
    const { Context, ContextVar } = await import('@tsio/core');
    const v = new ContextVar<string>('v', { default: 'outside' });
    const context = new Context();
    context.run(() => v.set('inside'));
    let seen = '';
    loop.setExceptionHandler(() => (seen = v.get()));
    loop.callSoonWithContext(context, () => {
      throw new Error('x');
    });
    await runOnce();
    expect(seen).toBe('inside');
  });
});

describe('debug mode', () => {
  const savedDebug = process.env['TSIO_DEBUG'];
  afterEach(() => {
    if (savedDebug === undefined) delete process.env['TSIO_DEBUG'];
    else process.env['TSIO_DEBUG'] = savedDebug;
  });

  it('starts from TSIO_DEBUG and follows setDebug (test_env_var_debug, test_set_debug)', () => {
    process.env['TSIO_DEBUG'] = '1';
    const debugLoop = new BaseEventLoop();
    expect(debugLoop.getDebug()).toBe(true);
    debugLoop.setDebug(false);
    expect(debugLoop.getDebug()).toBe(false);
    debugLoop.close();
    process.env['TSIO_DEBUG'] = '';
    const quiet = new BaseEventLoop();
    expect(quiet.getDebug()).toBe(false);
    quiet.close();
  });

  it('logs a slow callback with its name and duration (test_log_slow_callbacks)', async () => {
    const clock = new FakeClock();
    const timed = new BaseEventLoop({ clock });
    timed.setDebug(true);
    expect(timed.slowCallbackDuration).toBe(0.1);
    function slowCallback(): void {
      clock.t += 0.2;
    }
    function quickCallback(): void {
      clock.t += 0.05;
    }
    timed.callSoon(slowCallback);
    timed.callSoon(quickCallback);
    await runOnce(timed);
    expect(warnSpy).toHaveBeenCalledTimes(1);
    expect(String(warnSpy.mock.calls[0]![0])).toMatch(
      /^Executing <Handle slowCallback\(\) created at .*exceptions\.test\.ts:\d+:\d+> took 0\.200 seconds$/,
    );
    timed.close();
  });

  it('handles record where they were created, and reports include it (test_handle_source_traceback)', async () => {
    loop.setDebug(true);
    function failing(..._args: unknown[]): void {
      throw new Error('boom');
    }
    const handle = loop.callSoon(failing, 1, 'two');
    expect(handle).toBeInstanceOf(Handle);
    expect(handle.toString()).toMatch(
      /^<Handle failing\(1, 'two'\) created at .*exceptions\.test\.ts:\d+:\d+>$/,
    );
    const timer = loop.callLater(10, failing);
    expect(timer.toString()).toMatch(/created at .*exceptions\.test\.ts/);
    timer.cancel();
    const seen: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, context) => seen.push(context));
    await runOnce();
    expect(seen[0]!.sourceTraceback).toMatch(/^\s+at .*exceptions\.test\.ts/);
    loop.setExceptionHandler(null);
    loop.defaultExceptionHandler(seen[0]!);
    expect(String(errorSpy.mock.calls[0]![0])).toContain(
      'sourceTraceback: Object created at (most recent call first):\n',
    );
  });

  it('rejects async functions given to callSoon (coroutines cannot be used with call_soon())', () => {
    loop.setDebug(true);
    expect(() => loop.callSoon(async () => {})).toThrow(
      /^coroutines cannot be used with callSoon\(\)/,
    );
  });
});
