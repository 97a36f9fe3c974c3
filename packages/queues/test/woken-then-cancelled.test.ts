import { getRunningLoop } from '@tsio/core';
import { createTask } from '@tsio/futures';
import { Queue } from '../src/index.js';
import { outcome, runOnNewLoop, spin } from './helpers.js';

describe('a getter or putter cancelled after its wake-up, before it resumed', () => {
  it('leaves the item for the next getter (test_get_cancelled_race, the late case)', async () => {
    const trace = await runOnNewLoop(async () => {
      const q = new Queue<string>();
      const first = createTask(() => q.get());
      const second = createTask(() => q.get());
      await spin(2);
      q.putNowait('x'); // wakes `first`: its wake-up runs in the next iteration...
      // ...and this callback, queued after it, cancels `first` before its coroutine resumes.
      getRunningLoop().callSoon(() => first.cancel());
      return [await outcome(first), await outcome(second), `qsize ${q.qsize()}`];
    });
    expect(trace).toEqual(['CancelledError', 'result "x"', 'qsize 0']);
  });

  it('leaves the free slot for the next putter', async () => {
    const trace = await runOnNewLoop(async () => {
      const q = new Queue<string>(1);
      q.putNowait('a');
      const first = createTask(() => q.put('b'));
      const second = createTask(() => q.put('c'));
      await spin(2);
      const got = q.getNowait(); // wakes `first`
      getRunningLoop().callSoon(() => first.cancel());
      const results = [await outcome(first), await outcome(second)];
      return [got, ...results, q.getNowait(), `qsize ${q.qsize()}`];
    });
    expect(trace).toEqual(['a', 'CancelledError', 'result undefined', 'c', 'qsize 0']);
  });
});
