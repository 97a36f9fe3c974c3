import { CancelledError, RuntimeError, ValueError } from '@tsio/core';
import { Future, sleep } from '@tsio/futures';
import { BaseEventLoop } from '../../src/index.js';

const loops: BaseEventLoop[] = [];
function newLoop(): BaseEventLoop {
  const loop = new BaseEventLoop();
  loops.push(loop);
  return loop;
}
afterEach(() => {
  for (const loop of loops.splice(0)) if (!loop.isRunning()) loop.close();
});

describe('runForever and stop', () => {
  it('stop() before runForever runs one iteration, then returns (test_run_forever_pre_stopped)', async () => {
    const loop = newLoop();
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('first');
      loop.callSoon(() => log.push('second'));
    });
    loop.stop();
    await loop.runForever();
    expect(log).toEqual(['first']);
    expect(loop.isRunning()).toBe(false);
  });

  it('stop() lets the current batch finish (test_run_once)', async () => {
    const loop = newLoop();
    const log: number[] = [];
    loop.callSoon(() => {
      log.push(1);
      loop.stop();
    });
    loop.callSoon(() => log.push(2));
    loop.callSoon(() => log.push(3));
    await loop.runForever();
    expect(log).toEqual([1, 2, 3]);
  });

  it('stop() from outside a callback wakes a sleeping loop', async () => {
    const loop = newLoop();
    loop.callLater(3600, () => {});
    const running = loop.runForever();
    setTimeout(() => loop.stop(), 5);
    await running;
    expect(loop.isRunning()).toBe(false);
  });

  it('is the running loop while it runs, and only then (test_get_event_loop_returns_running_loop)', async () => {
    const { _getRunningLoop } = await import('@tsio/core');
    const loop = newLoop();
    let seen: unknown = null;
    loop.callSoon(() => {
      seen = _getRunningLoop();
      loop.stop();
    });
    expect(loop.isRunning()).toBe(false);
    const running = loop.runForever();
    expect(loop.isRunning()).toBe(true);
    await running;
    expect(seen).toBe(loop);
    expect(_getRunningLoop()).toBeNull();
  });

  it('runForever on a running loop -> RuntimeError (test_run_until_complete_nesting)', async () => {
    const loop = newLoop();
    const running = loop.runForever();
    await expect(loop.runForever()).rejects.toThrow(
      new RuntimeError('This event loop is already running'),
    );
    await expect(loop.runUntilComplete(loop.createFuture())).rejects.toThrow(
      'This event loop is already running',
    );
    loop.stop();
    await running;
  });

  it('runForever while another loop runs -> RuntimeError (test_running_loop_within_a_loop)', async () => {
    const first = newLoop();
    const second = newLoop();
    const running = first.runForever();
    const error = await second.runForever().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as Error).message).toBe(
      'Cannot run the event loop while another loop is running',
    );
    first.stop();
    await running;
    second.stop();
    await second.runForever(); // free again
  });

  it('can run again after stopping', async () => {
    const loop = newLoop();
    for (let i = 0; i < 3; i++) {
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    }
    expect(loop.isRunning()).toBe(false);
  });
});

describe('close', () => {
  it('close() of a running loop -> RuntimeError (test_close_running_event_loop)', async () => {
    const loop = newLoop();
    const running = loop.runForever();
    expect(() => loop.close()).toThrow(new RuntimeError('Cannot close a running event loop'));
    loop.stop();
    await running;
  });

  it('close() is idempotent and drops pending callbacks and timers', () => {
    const loop = newLoop();
    loop.callSoon(() => {});
    loop.callLater(1, () => {});
    expect(loop.isClosed()).toBe(false);
    loop.close();
    expect(loop.isClosed()).toBe(true);
    loop.close();
    expect(loop.isClosed()).toBe(true);
  });

  it('every method guarded by _check_closed throws "Event loop is closed" (test_close)', async () => {
    const loop = newLoop();
    loop.close();
    const closed = new RuntimeError('Event loop is closed');
    const noop = (): void => {};
    const { Context } = await import('@tsio/core');
    const context = new Context();
    expect(() => loop.callSoon(noop)).toThrow(closed);
    expect(() => loop.callSoonWithContext(context, noop)).toThrow(closed);
    expect(() => loop.callSoonThreadsafe(noop)).toThrow(closed);
    expect(() => loop.callLater(1, noop)).toThrow(closed);
    expect(() => loop.callLaterWithContext(context, 1, noop)).toThrow(closed);
    expect(() => loop.callAt(1, noop)).toThrow(closed);
    expect(() => loop.callAtWithContext(context, 1, noop)).toThrow(closed);
    expect(() => loop.createTask(async () => {})).toThrow(closed);
    expect(() =>
      loop.runInExecutor(
        { submit: () => Promise.resolve(1 as never), shutdown: async () => {} },
        noop,
      ),
    ).toThrow(closed);
    expect(() => loop.addSignalHandler('SIGUSR2', noop)).toThrow(closed);
    await expect(loop.runForever()).rejects.toThrow(closed);
    await expect(loop.runUntilComplete(async () => 1)).rejects.toThrow(closed);
  });
});

describe('runUntilComplete', () => {
  it('returns the result of a Future resolved by a timer (test_run_until_complete)', async () => {
    const loop = newLoop();
    const future = loop.createFuture<string>();
    loop.callLater(0.005, () => future.setResult('done'));
    await expect(loop.runUntilComplete(future)).resolves.toBe('done');
    expect(loop.isRunning()).toBe(false);
  });

  it('throws the exception of a rejected Future', async () => {
    const loop = newLoop();
    const future = loop.createFuture<string>();
    const error = new ValueError('bad');
    loop.callSoon(() => future.setException(error));
    await expect(loop.runUntilComplete(future)).rejects.toBe(error);
  });

  it('runs a coroutine function as a Task and returns its result', async () => {
    const loop = newLoop();
    const result = await loop.runUntilComplete(async () => {
      await sleep(0.001);
      return 42;
    });
    expect(result).toBe(42);
  });

  it('wraps a native promise', async () => {
    const loop = newLoop();
    await expect(loop.runUntilComplete(Promise.resolve('native'))).resolves.toBe('native');
  });

  it('throws CancelledError for a cancelled Future', async () => {
    const loop = newLoop();
    const future = loop.createFuture<string>();
    loop.callSoon(() => future.cancel());
    await expect(loop.runUntilComplete(future)).rejects.toBeInstanceOf(CancelledError);
  });

  it('stopped early -> RuntimeError (test_run_until_complete_stopped)', async () => {
    const loop = newLoop();
    const future = loop.createFuture<string>();
    loop.callSoon(() => loop.stop());
    await expect(loop.runUntilComplete(future)).rejects.toThrow(
      new RuntimeError('Event loop stopped before Future completed.'),
    );
    expect(future.done()).toBe(false);
  });

  it('a Future of another loop -> ValueError (test_run_until_complete_loop)', async () => {
    const loop = newLoop();
    const other = newLoop();
    await expect(loop.runUntilComplete(new Future({ loop: other }))).rejects.toBeInstanceOf(
      ValueError,
    );
  });
});
