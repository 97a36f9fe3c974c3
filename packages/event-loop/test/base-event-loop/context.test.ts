import { Context, ContextVar, copyContext } from '@tsio/core';
import { BaseEventLoop } from '../../src/index.js';

const requestId = new ContextVar<string>('requestId', { default: 'none' });

let loop: BaseEventLoop;
beforeEach(() => {
  loop = new BaseEventLoop();
});
afterEach(() => loop.close());

async function runOnce(): Promise<void> {
  loop.callSoon(() => loop.stop());
  await loop.runForever();
}

describe('the Context of callbacks', () => {
  it('callSoonWithContext runs the callback in the given Context', async () => {
    const context = new Context();
    context.run(() => requestId.set('r-1'));
    const seen: string[] = [];
    const handle = loop.callSoonWithContext(context, () => seen.push(requestId.get()));
    expect(handle.getContext()).toBe(context);
    loop.callLaterWithContext(context, 0, () => seen.push(`later ${requestId.get()}`));
    loop.callAtWithContext(context, loop.time(), () => seen.push(`at ${requestId.get()}`));
    loop.callSoon(() => seen.push(`plain ${requestId.get()}`));
    await runOnce();
    expect(seen).toEqual(['r-1', 'plain none', 'later r-1', 'at r-1']);
  });

  it('callSoon runs in a copy of the scheduler’s Context, so a set() inside does not leak', async () => {
    const outer = new Context();
    const seen: string[] = [];
    outer.run(() => {
      requestId.set('scheduler');
      loop.callSoon(() => {
        seen.push(requestId.get());
        requestId.set('changed in callback');
        seen.push(requestId.get());
      });
    });
    await runOnce();
    expect(seen).toEqual(['scheduler', 'changed in callback']);
    expect(outer.run(() => requestId.get())).toBe('scheduler');
  });

  it('a set() inside a callback with an explicit Context stays in that Context', async () => {
    const context = copyContext();
    loop.callSoonWithContext(context, () => requestId.set('kept'));
    await runOnce();
    expect(context.get(requestId)).toBe('kept');
    expect(requestId.get()).toBe('none');
  });
});
