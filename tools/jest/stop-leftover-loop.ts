// After each test: a tsio loop still running means the test timed out (or forgot to await its
// run). Left alone, that loop makes every later test of the file fail with "run() cannot be
// called from a running event loop", which hides the one test that went wrong. This stops the
// loop, and fails the test that left it with a message saying so.
import { afterEach } from '@jest/globals';
import { _getRunningLoop, _setRunningLoop } from '@tsio/core';

const STOP_WAIT_MS = 2000;

afterEach(async () => {
  const loop = _getRunningLoop();
  // Tests of the running-loop bookkeeping set stand-in objects and clear them themselves.
  if (loop === null || typeof loop.stop !== 'function' || typeof loop.isRunning !== 'function') {
    return;
  }
  if (!loop.isRunning()) return;
  loop.stop();
  const deadline = Date.now() + STOP_WAIT_MS;
  while (_getRunningLoop() === loop && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const stopped = _getRunningLoop() !== loop;
  // A loop whose shutdown waits on something that never comes stays "running": forget it, so
  // that the next test can start its own.
  if (!stopped) _setRunningLoop(null);
  throw new Error(
    `the test left an event loop running (did it time out, or not await run()?); ` +
      (stopped ? 'it was stopped' : `it did not stop within ${STOP_WAIT_MS} ms and was abandoned`),
  );
});
