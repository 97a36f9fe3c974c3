import { BaseEventLoop } from '@tsio/event-loop';
import { ValueError } from '@tsio/core';
import { ensureFuture, Future, isFuture, sleep, Task, wrapFuture } from '../src/index.js';
import { runOnNewLoop } from './helpers.js';

describe('isFuture, ensureFuture, wrapFuture', () => {
  it('recognises futures and tasks only (test_isfuture)', async () => {
    const loop = new BaseEventLoop();
    expect(isFuture(new Future({ loop }))).toBe(true);
    expect(isFuture(Promise.resolve())).toBe(false);
    expect(isFuture({ then() {} })).toBe(false);
    expect(isFuture(null)).toBe(false);
    await runOnNewLoop(async () => {
      const t = ensureFuture(async () => 1);
      expect(isFuture(t)).toBe(true);
      await t;
    });
    loop.close();
  });

  it('returns a future as is, and refuses one of another loop (test_ensure_future_future)', () => {
    const loop = new BaseEventLoop();
    const other = new BaseEventLoop();
    const f = new Future<number>({ loop });
    expect(ensureFuture(f)).toBe(f);
    expect(ensureFuture(f, { loop })).toBe(f);
    expect(() => ensureFuture(f, { loop: other })).toThrow(ValueError);
    loop.close();
    other.close();
  });

  it('starts a coroutine function as a Task and wraps promises in a Task (test_ensure_future_coroutine)', async () => {
    const [a, b, isTaskA, isTaskB] = await runOnNewLoop(async () => {
      const ta = ensureFuture(async () => 'coro');
      const tb = ensureFuture(Promise.resolve('promise'));
      return [await ta, await tb, ta instanceof Task, tb instanceof Task];
    });
    expect([a, b, isTaskA, isTaskB]).toEqual(['coro', 'promise', true, true]);
  });

  it('refuses what cannot be awaited (test_ensure_future_neither)', () => {
    const loop = new BaseEventLoop();
    expect(() => ensureFuture(42 as never, { loop })).toThrow(TypeError);
    loop.close();
  });

  it('wraps a promise in a Future that settles with it (test_wrap_future)', async () => {
    const out = await runOnNewLoop(async () => {
      const ok = wrapFuture(new Promise<number>((r) => setTimeout(() => r(3), 1)));
      const bad = wrapFuture(Promise.reject(new Error('no')));
      const results: unknown[] = [await ok];
      await sleep(0);
      results.push(await bad.then(undefined, (e: unknown) => (e as Error).message));
      results.push(wrapFuture(ok) === ok);
      return results;
    });
    expect(out).toEqual([3, 'no', true]);
    expect(() => wrapFuture(5 as never)).toThrow(TypeError);
  });
});
