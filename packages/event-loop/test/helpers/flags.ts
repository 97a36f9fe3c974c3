import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Atomics.waitAsync (Node >= 16), which the es2022 lib does not declare. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** Where the worker job fixtures live (plain .mjs, imported by the workers with Node itself). */
export const JOBS = pathToFileURL(join(__dirname, '..', 'fixtures', 'jobs.mjs'));

/** A job of test/fixtures/jobs.mjs. */
export function job(exportName: string): { module: URL; exportName: string } {
  return { module: JOBS, exportName };
}

/**
 * Int32 flags shared with worker jobs (over a SharedArrayBuffer): the jobs set them, the test
 * awaits them with Atomics.waitAsync, so nothing depends on timing.
 */
export class Flags {
  readonly array = new Int32Array(new SharedArrayBuffer(16 * 4));

  get(index: number): number {
    return Atomics.load(this.array, index);
  }

  /** Sets flags[index] and wakes a job blocked on it. */
  set(index: number, value = 1): void {
    Atomics.store(this.array, index, value);
    Atomics.notify(this.array, index);
  }

  /** Resolves once flags[index] is `value` (default: not 0). */
  async until(index: number, value?: number): Promise<void> {
    for (;;) {
      const current = Atomics.load(this.array, index);
      if (value === undefined ? current !== 0 : current === value) return;
      const waited = waitAsync(this.array, index, current);
      if (waited.async) await waited.value;
    }
  }
}
