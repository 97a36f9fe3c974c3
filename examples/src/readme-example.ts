import { createTask, isCancelledError, run, sleep, timeout, TimeoutError } from 'tsio';

await run(async () => {
  const slow = createTask(async (signal) => {
    try {
      await sleep(10); // cancellation arrives exactly here, as a CancelledError
    } catch (e) {
      if (isCancelledError(e)) console.log('slow: cleaning up', signal.aborted); // true
      throw e; // always let a cancellation through
    }
  });
  console.log(await timeout(1).run(() => sleep(0.1, 'fast result'))); // 'fast result'
  slow.cancel('not needed any more');
  await slow.then(undefined, (e: unknown) => console.log('slow ended:', String(e)));
  const late = timeout(0.05).run(() => sleep(1));
  await late.catch((e: unknown) => console.log('too slow:', e instanceof TimeoutError)); // true
}); // run() cancels and awaits whatever main left running, then closes the loop
