import { Context } from '@tsio/core';
import { BaseEventLoop, Handle, TimerHandle } from '../src/index.js';

let loop: BaseEventLoop;
beforeEach(() => {
  loop = new BaseEventLoop();
});
afterEach(() => loop.close());

function callback(): void {}

describe('Handle', () => {
  it('holds its callback, arguments and Context (test_handle)', () => {
    const context = new Context();
    const handle = new Handle(callback, [1, 2], loop, context);
    expect(handle.getContext()).toBe(context);
    expect(handle.cancelled()).toBe(false);
    handle.cancel();
    expect(handle.cancelled()).toBe(true);
    handle.cancel(); // idempotent
    expect(handle.cancelled()).toBe(true);
  });

  it('defaults to a copy of the current Context', () => {
    const handle = new Handle(callback, [], loop);
    expect(handle.getContext()).toBeInstanceOf(Context);
  });

  it('shows as <Handle name()> and <Handle cancelled> (test_handle_repr)', () => {
    const handle = new Handle(callback, ['secret'], loop);
    expect(handle.toString()).toBe('<Handle callback()>');
    expect(String(new Handle(() => {}, [], loop))).toBe('<Handle <anonymous>()>');
    handle.cancel();
    expect(handle.toString()).toBe('<Handle cancelled>');
  });

  it('in debug mode shows the arguments and where it was created (test_handle_repr_debug)', () => {
    loop.setDebug(true);
    const handle = new Handle(callback, [1, 'two'], loop);
    expect(handle.toString()).toMatch(
      /^<Handle callback\(1, 'two'\) created at .*handles\.test\.ts:\d+:\d+>$/,
    );
    handle.cancel();
    // asyncio keeps the representation of a handle cancelled in debug mode
    expect(handle.toString()).toMatch(/^<Handle cancelled callback\(1, 'two'\) created at /);
  });
});

describe('TimerHandle', () => {
  it('when() and the representation (test_timer, test_timer_repr)', () => {
    const timer = new TimerHandle(123.5, callback, [], loop);
    expect(timer.when()).toBe(123.5);
    expect(timer.toString()).toBe('<TimerHandle when=123.5 callback()>');
    timer.cancel();
    expect(timer.toString()).toBe('<TimerHandle cancelled when=123.5>');
  });

  it('a scheduled timer tells the loop when cancelled (test__run_once_cancelled_event_cleanup)', () => {
    const timers = Array.from({ length: 150 }, (_, i) => loop.callLater(10 + i, callback));
    const spy = jest.spyOn(loop, '_timerHandleCancelled');
    timers[0]!.cancel();
    timers[0]!.cancel();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
