import { BaseEventLoop } from '@tsio/event-loop';
import { sleep } from '../src/index.js';

/** Runs `main` as a task on a fresh loop, closes the loop, and returns main's result. */
export async function runOnNewLoop<T>(main: () => Promise<T>): Promise<T> {
  const loop = new BaseEventLoop();
  try {
    return await loop.runUntilComplete(loop.createTask(main));
  } finally {
    loop.close();
  }
}

/** Lets other tasks run for `n` loop iterations. */
export async function spin(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await sleep(0);
}
