// The tsio demo: tasks that start, sleep, get cancelled and clean up, with a trace of each
// step stamped with loop time. Run it with `npm run demo` from the repository root.
import {
  ContextVar,
  createTask,
  currentTask,
  getRunningLoop,
  isCancelledError,
  run,
  sleep,
  type Task,
} from 'tsio';

const requestId = new ContextVar<string>('requestId', { default: '-' });
let startedAt = 0;

function trace(message: string): void {
  const elapsed = (getRunningLoop().time() - startedAt).toFixed(3);
  const task = currentTask()?.getName() ?? 'callback';
  console.log(`[t=${elapsed}s] ${task.padEnd(9)} req=${requestId.get().padEnd(3)} ${message}`);
}

/** A worker that "handles a request" in steps, and cleans up if it is cancelled. */
async function worker(id: string, steps: number, signal: AbortSignal): Promise<string> {
  requestId.set(id); // each task has its own copy of the context: this stays in this task
  trace(`started, ${steps} steps to do`);
  try {
    for (let step = 1; step <= steps; step++) {
      await sleep(0.05);
      trace(`step ${step}/${steps}`);
    }
    trace('finished');
    return `${id} done`;
  } catch (error) {
    if (isCancelledError(error)) {
      trace(`cancelled (${error.message || 'no message'}), signal.aborted=${signal.aborted}`);
      await sleep(0.01); // cleanup may still await
      trace('cleanup complete');
    }
    throw error; // never swallow a cancellation
  }
}

async function main(): Promise<void> {
  startedAt = getRunningLoop().time();
  trace('main: creating three tasks');
  const tasks: Task<string>[] = [
    createTask((signal) => worker('A', 2, signal), { name: 'worker-A' }),
    createTask((signal) => worker('B', 6, signal), { name: 'worker-B' }),
    createTask((signal) => worker('C', 3, signal), { name: 'worker-C' }),
  ];

  await sleep(0.12);
  trace('main: B is too slow, cancelling it');
  tasks[1]?.cancel('deadline passed');

  for (const task of tasks) {
    try {
      trace(`main: ${task.getName()} -> ${await task}`);
    } catch (error) {
      if (!isCancelledError(error)) throw error;
      trace(`main: ${task.getName()} was cancelled: ${task.cancelled()}`);
    }
  }

  createTask(
    async () => {
      trace('left running when main returns');
      try {
        await sleep(3600);
      } finally {
        trace('run() cancelled me on the way out');
      }
    },
    { name: 'leftover' },
  );
  await sleep(0);
  trace('main: returning');
}

await run(main);
console.log('run() returned: every task finished, the loop is closed.');
