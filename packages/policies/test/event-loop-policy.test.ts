import { BaseEventLoop } from '@tsio/event-loop';
import { getRunningLoop, RuntimeError, type AbstractEventLoop } from '@tsio/core';
import { Future } from '@tsio/futures';
import {
  DefaultEventLoopPolicy,
  getEventLoop,
  getEventLoopPolicy,
  newEventLoop,
  run,
  setEventLoop,
  setEventLoopPolicy,
} from '../src/index.js';

describe('event loop policies', () => {
  afterEach(() => {
    setEventLoopPolicy(null);
  });

  it('creates the current loop on first use, once (test_get_event_loop)', () => {
    const policy = new DefaultEventLoopPolicy();
    const loop = policy.getEventLoop();
    expect(loop).toBeInstanceOf(BaseEventLoop);
    expect(policy.getEventLoop()).toBe(loop);
    loop.close();
  });

  it('raises after setEventLoop(null) (test_get_event_loop_after_set_none)', () => {
    const policy = new DefaultEventLoopPolicy();
    policy.setEventLoop(null);
    expect(() => policy.getEventLoop()).toThrow(RuntimeError);
  });

  it('checks what setEventLoop gets (test_set_event_loop)', () => {
    const policy = new DefaultEventLoopPolicy();
    expect(() => policy.setEventLoop({} as never)).toThrow(TypeError);
    const loop = new BaseEventLoop();
    policy.setEventLoop(loop);
    expect(policy.getEventLoop()).toBe(loop);
    loop.close();
  });

  it('makes a new loop each time (test_new_event_loop)', () => {
    const a = newEventLoop();
    const b = newEventLoop();
    expect(a).not.toBe(b);
    a.close();
    b.close();
  });

  it('installs a custom policy and restores the default with null (test_set_event_loop_policy)', () => {
    const made: AbstractEventLoop[] = [];
    class CountingPolicy extends DefaultEventLoopPolicy {
      override newEventLoop(): AbstractEventLoop {
        const loop = super.newEventLoop();
        made.push(loop);
        return loop;
      }
    }
    const policy = new CountingPolicy();
    setEventLoopPolicy(policy);
    expect(getEventLoopPolicy()).toBe(policy);
    const loop = newEventLoop();
    expect(made).toEqual([loop]);
    loop.close();
    setEventLoopPolicy(null);
    expect(getEventLoopPolicy()).not.toBe(policy);
    expect(() => setEventLoopPolicy({} as never)).toThrow(TypeError);
  });

  it('run() uses the policy to make its loop', async () => {
    const made: AbstractEventLoop[] = [];
    setEventLoopPolicy(
      new (class extends DefaultEventLoopPolicy {
        override newEventLoop(): AbstractEventLoop {
          const loop = super.newEventLoop();
          made.push(loop);
          return loop;
        }
      })(),
    );
    const used = await run(async () => getRunningLoop());
    expect(made).toEqual([used]);
  });

  it('getEventLoop returns the running loop when there is one (test_get_event_loop_returns_running_loop)', async () => {
    const same = await run(async () => getEventLoop() === getRunningLoop());
    expect(same).toBe(true);
  });

  it('lets new Future() find the policy loop when none runs', () => {
    const loop = new BaseEventLoop();
    setEventLoop(loop);
    expect(new Future().getLoop()).toBe(loop);
    setEventLoop(null);
    loop.close();
  });
});
