import { createTask, isCancelledError, run, sleep } from 'tsio';

await run(async () => {
  const slow = createTask(async (signal) => {
    try {
      await sleep(10); // cancellation arrives exactly here, as a CancelledError
    } catch (e) {
      if (isCancelledError(e)) console.log('slow: cleaning up', signal.aborted); // true
      throw e; // always let a cancellation through
    }
  });
  const fast = createTask(async () => sleep(0.1, 'fast result'));
  console.log(await fast); // 'fast result'
  slow.cancel('not needed any more');
  await slow.then(undefined, (e: unknown) => console.log('slow ended:', String(e)));
}); // run() cancels and awaits whatever main left running, then closes the loop
