import { ContextVar, _currentTaskOrNull, copyContext } from '@tsio/core';
import { sleep } from '@tsio/futures';
import { BaseEventLoop } from '../../src/index.js';

// The loop switches AsyncLocalStorage frames once per change of Context within a batch and
// leaves them current between handles: these check that nothing leaks from one to the next.
const name = new ContextVar<string>('name', { default: 'outer' });

let loop: BaseEventLoop;
beforeEach(() => {
  loop = new BaseEventLoop();
});
afterEach(() => loop.close());

describe('frame switching in a batch', () => {
  it('runs each handle in its own Context, and the exception handler in the Context of the failing handle', async () => {
    const seen: string[] = [];
    const inHandler: string[] = [];
    loop.setExceptionHandler(() => inHandler.push(name.get()));
    const a = copyContext();
    a.run(() => name.set('a'));
    loop.callSoonWithContext(a, () => seen.push(name.get()));
    loop.callSoonWithContext(a, () => {
      seen.push(name.get());
      throw new Error('boom');
    });
    loop.callSoon(() => {
      seen.push(name.get());
      name.set('leaked?');
    });
    loop.callSoon(() => seen.push(name.get()));
    loop.callSoon(() => seen.push(String(_currentTaskOrNull())));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(seen).toEqual(['a', 'a', 'outer', 'outer', 'null']);
    // As asyncio 3.13: a custom handler runs in the Context of the handle that failed.
    expect(inHandler).toEqual(['a']);
    expect(name.get()).toBe('outer');
  });

  it('resumes each task in its own frame after sleep(0), and not in the next handle', async () => {
    const seen: string[] = [];
    const work = (label: string) => async () => {
      name.set(label);
      await sleep(0);
      seen.push(`${label}:${name.get()}`);
      loop.callSoon(() =>
        seen.push(`cb after ${label}:${name.get()}:${_currentTaskOrNull() === null}`),
      );
    };
    const t1 = loop.createTask(work('t1'));
    const t2 = loop.createTask(work('t2'));
    await loop.runUntilComplete(async () => {
      await t1;
      await t2;
      await sleep(0);
    });
    expect(seen).toEqual(['t1:t1', 't2:t2', 'cb after t1:t1:true', 'cb after t2:t2:true']);
    expect(name.get()).toBe('outer');
  });
});
