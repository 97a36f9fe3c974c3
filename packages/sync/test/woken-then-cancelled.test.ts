import { getRunningLoop } from '@tsio/core';
import { createTask } from '@tsio/futures';
import { Lock, Semaphore } from '../src/index.js';
import { runOnNewLoop, spin } from './helpers.js';

/** Acquires `prim`, records it, and keeps it until the end of the test (never released). */
function taker(prim: Lock | Semaphore, name: string, out: string[]) {
  return async (): Promise<void> => {
    try {
      await prim.acquire();
      out.push(`${name} acquired`);
    } catch (e) {
      out.push(`${name} ${(e as Error).name}`);
      throw e;
    }
  };
}

describe('a waiter cancelled after its wake-up, before it resumed', () => {
  it.each([
    ['Lock', () => new Lock()],
    ['Semaphore', () => new Semaphore(1)],
  ])(
    '%s: passes the wake-up on to the next waiter (test_cancel_race, late case)',
    async (_name, make) => {
      const trace = await runOnNewLoop(async () => {
        const out: string[] = [];
        const prim = make();
        await prim.acquire();
        const first = createTask(taker(prim, 'first', out));
        const second = createTask(taker(prim, 'second', out));
        await spin(2);
        prim.release(); // wakes `first`: its wake-up runs in the next iteration...
        // ...and this callback, queued after it, cancels `first` before its coroutine resumes.
        getRunningLoop().callSoon(() => first.cancel());
        await first.then(undefined, () => undefined);
        await second;
        out.push(`locked ${prim.locked()}`);
        return out;
      });
      expect(trace).toEqual(['first CancelledError', 'second acquired', 'locked true']);
    },
  );
});
