import { nodeHostTimers } from '../src/index.js';

describe('nodeHostTimers.queueMicrotask', () => {
  it('runs callbacks as microtasks, in order with promise reactions, before any macrotask', async () => {
    const order: string[] = [];
    const immediate = new Promise<void>((resolve) =>
      setImmediate(() => {
        order.push('immediate');
        resolve();
      }),
    );
    nodeHostTimers.queueMicrotask(() => order.push('first'));
    void Promise.resolve().then(() => order.push('reaction'));
    nodeHostTimers.queueMicrotask(() => {
      order.push('second');
      nodeHostTimers.queueMicrotask(() => order.push('queued by second'));
    });
    queueMicrotask(() => order.push('queueMicrotask'));
    order.push('sync');
    await immediate;
    expect(order).toEqual([
      'sync',
      'first',
      'reaction',
      'second',
      'queueMicrotask',
      'queued by second',
      'immediate',
    ]);
  });
});
