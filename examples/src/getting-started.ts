// The examples of docs/getting-started.md, in the order the guide shows them.
// Run it with `node examples/dist/getting-started.js`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BaseEventLoop,
  ContextVar,
  createTask,
  Future,
  getRunningLoop,
  isCancelledError,
  Lock,
  Queue,
  run,
  sleep,
  TaskGroup,
  timeout,
} from 'tsio';

const answer = await run(async () => {
  await sleep(0.5);
  return 42;
});
console.log(answer); // 42

// A web server that never answers, for the task below to wait on.
const server = createServer(() => {}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

await run(async () => {
  const task = createTask(async (signal) => {
    try {
      await sleep(0.1);
      const response = await fetch(url, { signal }); // native APIs stop through the signal
      return response.status;
    } catch (e) {
      if (isCancelledError(e)) console.log('cleaning up'); // clean up...
      throw e; // ...and always re-throw a cancellation
    }
  });

  await sleep(0.2); // the task now waits for the server's answer
  task.cancel('user closed the page');
  await task.then(undefined, (e: unknown) => console.log(String(e))); // CancelledError: user closed the page
  server.closeAllConnections();
  server.close();

  const reply = new Future<string>();
  getRunningLoop().callLater(0.1, () => reply.setResult('pong'));
  console.log(await reply); // pong

  const requestId = new ContextVar<string>('requestId', { default: '-' });
  requestId.set('outer');
  await createTask(async () => {
    requestId.set('inner'); // only this task sees it
  });
  console.log(requestId.get()); // outer

  async function download(name: string): Promise<string> {
    await sleep(0.05);
    return `page ${name}`;
  }

  const pages = await timeout(5).run(() =>
    TaskGroup.run(async (tg) => {
      const a = tg.createTask(() => download('a'));
      const b = tg.createTask(() => download('b'));
      return [a, b]; // the group waits for both; the first failure cancels the other
    }),
  );
  console.log(pages.map((t) => t.result())); // [ 'page a', 'page b' ]

  const lock = new Lock();
  const stats = { visits: 0 };
  {
    await using _ = await lock.hold(); // released when the block ends, throws or is cancelled
    const seen = stats.visits;
    await sleep(0.01); // other tasks run meanwhile, but none can take the lock
    stats.visits = seen + 1;
  }

  const jobs = new Queue<string>(100); // put() waits while 100 jobs are queued
  const consumer = createTask(async () => {
    for await (const job of jobs) {
      console.log('handling', job);
      jobs.taskDone();
    }
  });
  await jobs.put('first');
  await jobs.join(); // every job handled
  jobs.shutdown(); // ends the consumer's for await
  await consumer;
});

const loop = new BaseEventLoop();
loop.callLater(0.1, () => loop.stop());
loop.callSoon(() => console.log('first'));
await loop.runForever(); // resolves when the loop stops
loop.close();
