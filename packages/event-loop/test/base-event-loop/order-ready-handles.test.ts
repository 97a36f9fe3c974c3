import { RuntimeError } from '@tsio/core';
import { BaseEventLoop, TimerHandle, type Handle } from '../../src/index.js';

/** A loop that runs each iteration's handles last first, and records the batches it saw. */
class ReversingLoop extends BaseEventLoop {
  readonly batches: string[][] = [];
  protected override orderReadyHandles(handles: Handle[]): void {
    this.batches.push(handles.map((h) => (h instanceof TimerHandle ? 'timer' : 'soon')));
    handles.reverse();
  }
}

describe('orderReadyHandles (the ordering hook for subclasses)', () => {
  it('by default keeps FIFO order', async () => {
    const loop = new BaseEventLoop();
    const log: number[] = [];
    for (let i = 0; i < 4; i++) loop.callSoon(() => log.push(i));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    loop.close();
    expect(log).toEqual([0, 1, 2, 3]);
  });

  it('lets a subclass reorder one iteration: ready callbacks first, then due timers', async () => {
    const loop = new ReversingLoop();
    const log: string[] = [];
    loop.callAt(0, () => log.push('timer'));
    loop.callSoon(() => log.push('a'));
    loop.callSoon(() => log.push('b'));
    loop.callSoon(() => loop.callSoon(() => loop.stop()));
    await loop.runForever();
    loop.close();
    expect(loop.batches[0]).toEqual(['soon', 'soon', 'soon', 'timer']);
    expect(log).toEqual(['timer', 'b', 'a']);
  });

  it('is not called for an iteration with a single handle', async () => {
    const loop = new ReversingLoop();
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    loop.close();
    expect(loop.batches).toEqual([]);
  });

  it('ends the run with RuntimeError, running nothing, if the override adds or removes handles', async () => {
    class DroppingLoop extends BaseEventLoop {
      protected override orderReadyHandles(handles: Handle[]): void {
        handles.pop();
      }
    }
    const loop = new DroppingLoop();
    const log: string[] = [];
    loop.callSoon(() => log.push('a'));
    loop.callSoon(() => log.push('b'));
    await expect(loop.runForever()).rejects.toThrow(RuntimeError);
    expect(log).toEqual([]);
    loop.close();
  });
});
