// Queue, PriorityQueue and LifoQueue: the guide docs/sync-and-queues.md walks through this file.
// Run it with `node examples/dist/queue-workers.js`.
import {
  createTask,
  gather,
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueShutDown,
  run,
  sleep,
  TimeoutError,
  waitFor,
} from 'tsio';

await run(async () => {
  // Producers and consumers: a bounded queue gives backpressure.
  const jobs = new Queue<number>(2); // put() waits while 2 jobs are queued
  const handled: string[] = [];

  async function worker(name: string): Promise<void> {
    for await (const job of jobs) {
      try {
        await sleep(0.01 * job); // the work
        handled.push(`${name}:${job}`);
      } finally {
        jobs.taskDone(); // once per job, so that join() can return
      }
    }
  } // the for-await loop ends when the queue is shut down and drained

  const workers = [createTask(() => worker('w1')), createTask(() => worker('w2'))];
  for (let job = 1; job <= 6; job++) {
    await jobs.put(job); // the producer waits here whenever the workers fall behind
  }
  await jobs.join(); // every job put so far has been handled
  console.log('handled', handled.length, 'jobs'); // handled 6 jobs

  jobs.shutdown(); // no more jobs: the workers finish their loops
  await gather(...workers);
  try {
    await jobs.put(7);
  } catch (e) {
    if (!(e instanceof QueueShutDown)) throw e;
    console.log('put after shutdown:', e.message); // the queue is shut down
  }

  // shutdown(true) drops what is still queued and stops consumers at once.
  const backlog = new Queue<string>();
  backlog.putNowait('stale');
  backlog.shutdown(true);
  console.log('after shutdown(true):', backlog.qsize(), 'items'); // 0 items

  // Cancelling a task that waits in get() loses nothing: the next item goes to someone else.
  const inbox = new Queue<string>();
  const impatient = createTask(() => inbox.get());
  const patient = createTask(() => inbox.get());
  await sleep(0);
  impatient.cancel();
  inbox.putNowait('hello');
  console.log('patient got:', await patient); // hello

  // A bounded wait: on timeout the get() is cancelled, and the next item stays in the queue.
  try {
    await waitFor(() => inbox.get(), 0.01);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    inbox.putNowait('later');
    console.log('timed out; the next item is still there:', inbox.getNowait()); // later
  }

  // PriorityQueue: lowest first (by the first element of an array item), FIFO among ties.
  const tickets = new PriorityQueue<[number, string]>();
  tickets.putNowait([2, 'printer jammed']);
  tickets.putNowait([1, 'server down']);
  tickets.putNowait([2, 'new mouse']);
  const order: string[] = [];
  while (!tickets.empty()) order.push(tickets.getNowait()[1]);
  console.log(order); // [ 'server down', 'printer jammed', 'new mouse' ]

  // A comparator orders any item type.
  const byDeadline = new PriorityQueue<{ task: string; due: number }>({
    comparator: (a, b) => a.due - b.due,
  });
  byDeadline.putNowait({ task: 'report', due: 5 });
  byDeadline.putNowait({ task: 'invoice', due: 3 });
  console.log(byDeadline.getNowait().task); // invoice

  // LifoQueue: last in, first out (a stack).
  const undo = new LifoQueue<string>();
  for (const step of ['type', 'bold', 'delete']) undo.putNowait(step);
  console.log(await undo.get(), await undo.get()); // delete bold
});
