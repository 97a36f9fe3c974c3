// The examples of docs/cancellation.md, in the order the guide shows them.
// Run it with `node examples/dist/cancellation.js`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ConnectionError,
  ConnectionRefusedError,
  createTask,
  exceptStar,
  isCancelledError,
  run,
  sleep,
  TaskGroup,
  timeout,
  TimeoutError,
  ValueError,
} from 'tsio';

// A web server that never answers: requests to it wait until they are aborted.
const server = createServer(() => {}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

// Stand-ins for real work, so that every example below runs.
const work = () => sleep(10);
const connection = {
  serve: () => sleep(10),
  close: async () => console.log('connection closed'),
};
const fetchUser = (id: number) => sleep(0.02, { id, name: 'ada' });
const fetchOrders = (id: number) => sleep(0.01, [`order of ${id}`]);
const connect = async (host: string) => {
  await sleep(0.01);
  throw new ConnectionRefusedError(`cannot reach ${host}`);
};
const parse = async (text: string) => {
  await sleep(0.02);
  throw new ValueError(`bad input: ${text}`);
};

await run(async () => {
  const page = createTask(async (signal) => {
    const response = await fetch(url, { signal }); // aborted by task.cancel()
    return response.json();
  });
  await sleep(0.1);
  page.cancel();
  await page.then(undefined, () => console.log('page cancelled:', page.cancelled())); // true

  const worker = createTask(async () => {
    try {
      await work();
    } catch (e) {
      if (isCancelledError(e)) throw e; // let cancellation through, always
      console.error(e); // handle real errors
    }
  });

  const handler = createTask(async () => {
    try {
      await connection.serve();
    } finally {
      await connection.close(); // runs on success, error and cancellation
    }
  });
  await sleep(0.01);
  worker.cancel();
  handler.cancel(); // prints 'connection closed'
  await Promise.allSettled([worker, handler]);

  const napper = createTask(async (signal) => {
    try {
      await delay(60_000, undefined, { signal }); // Node rejects with an AbortError...
    } catch (e) {
      if (signal.aborted) throw signal.reason; // ...so re-throw the CancelledError instead
      throw e;
    }
  });
  await sleep(0.01);
  napper.cancel();
  await napper.then(undefined, () => console.log('napper cancelled:', napper.cancelled())); // true

  const id = 7;
  const [user, orders] = await TaskGroup.run(async (tg) => {
    const user = tg.createTask(() => fetchUser(id));
    const orders = tg.createTask(() => fetchOrders(id));
    return [user, orders]; // wrapped in an array: see "Never return a Task" below
  });
  console.log(user.result(), orders.result()); // { id: 7, name: 'ada' } [ 'order of 7' ]

  const host = 'db.example';
  const text = '{';
  try {
    await TaskGroup.run(async (tg) => {
      tg.createTask(() => connect(host));
      tg.createTask(() => parse(text));
    });
  } catch (e) {
    exceptStar(e, [
      [ConnectionError, (group) => console.log('network down:', group.exceptions.length)],
      [ValueError, () => {}], // bad input: ignore
    ]); // anything else is thrown again, as an ExceptionGroup
  }

  try {
    const body = await timeout(0.1).run(async (t) => {
      const response = await fetch(url, { signal: t.signal }); // aborted at the deadline
      return response.text();
    });
    console.log(body);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log('too slow');
  }
});

server.closeAllConnections();
server.close();
