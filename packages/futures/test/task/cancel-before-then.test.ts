import { getRunningLoop } from '@tsio/core';
import { BaseEventLoop } from '@tsio/event-loop';
import { createTask, type Task } from '@tsio/futures';
import { run } from '@tsio/policies';

// `await fut` calls `fut.then` one microtask later; when the loop yields to Node after every
// iteration (timeSlice 0, as on a busy machine), an iteration runs in that gap. A task
// cancelled there, whose future then completes in the same iteration, must still see the
// CancelledError at that await: the cancellation was requested while it was suspended.
describe('a cancellation requested between `await` and its `then`', () => {
  it.each([0, 0.001])('is delivered at that await (timeSlice %s)', async (timeSlice) => {
    const log: string[] = [];
    await run(
      async () => {
        let task!: Task<void>;
        const body = async (): Promise<void> => {
          const loop = getRunningLoop();
          const first = loop.createFuture<void>();
          loop.callSoon(() => first.setResult());
          await first;
          const second = loop.createFuture<void>();
          loop.callSoon(() => task.cancel());
          loop.callSoon(() => {
            if (!second.done()) second.setResult();
          });
          try {
            await second;
            log.push('second resolved');
          } catch (error) {
            log.push(`second threw ${(error as Error).name}`);
          }
        };
        for (let round = 0; round < 20; round++) {
          task = createTask(body);
          await task.then(
            () => log.push('task finished'),
            (error: unknown) => log.push(`task ${(error as Error).name}`),
          );
        }
      },
      { loopFactory: () => new BaseEventLoop({ timeSlice }) },
    );
    expect(new Set(log)).toEqual(new Set(['second threw CancelledError', 'task finished']));
  });
});
