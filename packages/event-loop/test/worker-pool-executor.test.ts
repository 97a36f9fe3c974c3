import { join } from 'node:path';
import { CancelledError, isCancelledError, RuntimeError, ValueError } from '@tsio/core';
import { WorkerPoolExecutor } from '../src/index.js';
import type { WorkerJobPromise } from '../src/index.js';
import { Flags, job, JOBS } from './helpers/flags.js';

let pool: WorkerPoolExecutor;
afterEach(async () => {
  // Waits for the workers to exit, so that none is left over for the next test.
  await pool.shutdown({ cancelFutures: true });
});

/** Settles to the rejection of `promise` (fails the test if it resolves). */
async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('results and arguments', () => {
  beforeEach(() => {
    pool = new WorkerPoolExecutor({ maxWorkers: 2 });
  });

  it('runs a job and resolves with its (awaited) result', async () => {
    await expect(pool.submit(job('add'), 2, 3)).resolves.toBe(5);
  });

  it('structured-clones arguments and results (Uint8Array, Map, nested objects)', async () => {
    const nested = { a: [1, { b: 'two' }], when: new Date(0), big: 10n };
    const described = (await pool.submit(
      job('inspectArgs'),
      new Uint8Array([1, 2, 255]),
      new Map([['k', 1]]),
      nested,
    )) as Record<string, unknown>;
    expect(described).toEqual({
      bytesIsUint8Array: true,
      bytes: [1, 2, 255],
      mapIsMap: true,
      mapEntries: [['k', 1]],
      nested,
    });
    const back = (await pool.submit(job('echo'), {
      bytes: new Uint8Array([9, 8]),
      map: new Map([[1, { deep: ['x'] }]]),
    })) as { bytes: Uint8Array; map: Map<number, unknown> };
    expect(Object.prototype.toString.call(back.bytes)).toBe('[object Uint8Array]');
    expect([...back.bytes]).toEqual([9, 8]);
    expect(Object.prototype.toString.call(back.map)).toBe('[object Map]');
    expect([...back.map.entries()]).toEqual([[1, { deep: ['x'] }]]);
  });

  it('gives the job this = { signal } and nothing else', async () => {
    await expect(pool.submit(job('thisKeys'))).resolves.toEqual({
      keys: ['signal'],
      isSignal: true,
    });
  });

  it('accepts the module as a URL string, an absolute path or a node: specifier', async () => {
    const absolute = join(__dirname, 'fixtures', 'jobs.mjs');
    await expect(pool.submit({ module: JOBS.href, exportName: 'echo' }, 1)).resolves.toBe(1);
    await expect(pool.submit({ module: absolute, exportName: 'echo' }, 2)).resolves.toBe(2);
    await expect(pool.submit({ module: 'node:path', exportName: 'join' }, 'a', 'b')).resolves.toBe(
      join('a', 'b'),
    );
  });
});

describe('errors', () => {
  beforeEach(() => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
  });

  it('rethrows a built-in error with its class, message and the worker stack', async () => {
    const error = await rejection(pool.submit(job('throwTypeError'), 'bad input'));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('bad input');
    expect((error as Error).stack).toMatch(/throwTypeError .*jobs\.mjs/);
  });

  it("keeps a custom error's name and own properties", async () => {
    const error = await rejection(pool.submit(job('throwCustom')));
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ValidationError',
      message: 'age must be positive',
      field: 'age',
      code: 'E_VALIDATION',
    });
    expect(String(error)).toBe('ValidationError: age must be positive');
  });

  it('keeps the cause, and a thrown non-error value as it is', async () => {
    const error = (await rejection(pool.submit(job('throwWithCause')))) as Error;
    expect(error.message).toBe('outer');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).message).toBe('inner');
    await expect(pool.submit(job('throwString'))).rejects.toBe('just a string');
  });

  it('a missing export or one that is not a function -> TypeError', async () => {
    await expect(pool.submit(job('nope'))).rejects.toThrow(
      new TypeError(`export "nope" of ${JOBS.href} is missing`),
    );
    await expect(pool.submit(job('notAFunction'))).rejects.toThrow(/is not a function \(number\)/);
  });

  it('a result or argument that cannot be cloned rejects, and the pool goes on', async () => {
    await expect(pool.submit(job('returnFunction'))).rejects.toThrow(
      /the result of returnFunction\(\) .* cannot be structured-cloned/,
    );
    const error = await rejection(pool.submit(job('echo'), () => 1));
    expect((error as Error).name).toBe('DataCloneError');
    await expect(pool.submit(job('echo'), 'still fine')).resolves.toBe('still fine');
  });

  it('a function job -> TypeError showing the { module, exportName } fix', () => {
    function sha256(): string {
      return '';
    }
    expect(() => pool.submit(sha256)).toThrow(TypeError);
    expect(() => pool.submit(sha256)).toThrow(
      "{ module: new URL('./jobs.js', import.meta.url), exportName: 'sha256' }",
    );
  });

  it('a relative module path -> TypeError showing the URL fix', () => {
    expect(() => pool.submit({ module: './jobs.mjs', exportName: 'echo' })).toThrow(
      "pass new URL('./jobs.mjs', import.meta.url) instead",
    );
  });

  it('rejects bad options with ValueError', () => {
    expect(() => new WorkerPoolExecutor({ maxWorkers: 0 })).toThrow(ValueError);
    expect(() => new WorkerPoolExecutor({ maxWorkers: 1.5 })).toThrow(ValueError);
    expect(() => new WorkerPoolExecutor({ idleTimeout: -1 })).toThrow(ValueError);
  });
});

describe('workers', () => {
  it('starts workers lazily and reuses an idle one', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 4 });
    const first = await pool.submit(job('whoAmI'));
    const second = await pool.submit(job('whoAmI'));
    expect(second).toBe(first);
  });

  it('runs at most maxWorkers jobs at once, the others in FIFO order', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 2 });
    const flags = new Flags();
    // flags 0..2: job i started; flag 3 releases all of them.
    const jobs = [0, 1, 2].map((i) => pool.submit(job('block'), flags.array, i, 3, i));
    await flags.until(0);
    await flags.until(1);
    // A job queued after the third runs after it (FIFO), so when it has run the third has
    // been dispatched; with both workers blocked neither can have started.
    expect(flags.get(2)).toBe(0);
    flags.set(3);
    await expect(Promise.all(jobs)).resolves.toEqual([0, 1, 2]);
  });

  it('an idle worker stops after idleTimeout, and a new one takes the next job', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1, idleTimeout: 0 });
    const first = await pool.submit(job('whoAmI'));
    // The idle timer (0 ms, armed when the job finished) fires before this longer one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await pool.submit(job('whoAmI'));
    expect(second).not.toBe(first);
  });

  it('a worker that exits fails its job with RuntimeError and is replaced', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const before = await pool.submit(job('whoAmI'));
    const error = await rejection(pool.submit(job('exitThread'), 3));
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as Error).message).toMatch(/running exitThread\(\) from .*exited with code 3/);
    const after = await pool.submit(job('whoAmI'));
    expect(after).not.toBe(before);
  });

  it('a worker killed by an uncaught error fails its job with RuntimeError (cause kept)', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const error = (await rejection(pool.submit(job('crashLater')))) as Error;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toMatch(/died of an uncaught error \(Error: uncaught in the worker\)/);
    expect((error.cause as Error).message).toBe('uncaught in the worker');
    await expect(pool.submit(job('add'), 1, 1)).resolves.toBe(2);
  });

  it('keeps the process alive only while a job runs (idle workers are unref-ed)', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1, idleTimeout: Infinity });
    // A ref-ed worker shows as an active 'MessagePort' resource; an unref-ed one does not.
    const ports = (): number =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'MessagePort').length;
    const baseline = ports();
    const flags = new Flags();
    const running = pool.submit(job('block'), flags.array, 0, 1);
    await flags.until(0);
    expect(ports()).toBeGreaterThan(baseline);
    flags.set(1);
    await running;
    expect(ports()).toBe(baseline);
  });
});

describe('cancel()', () => {
  it('drops a queued job: it never runs (Future.cancel of a pending future)', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const flags = new Flags();
    // flag 0: the blocker started; 1: releases it; 2: counts runs of the queued job.
    const blocker = pool.submit(job('block'), flags.array, 0, 1);
    await flags.until(0);
    const queued = pool.submit(job('count'), flags.array, 2);
    expect(queued.cancel()).toBe(true);
    expect(queued.cancel()).toBe(true);
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    flags.set(1);
    await blocker;
    // A job submitted after the cancelled one has run, so the cancelled one would have too.
    await expect(pool.submit(job('count'), flags.array, 3)).resolves.toBe(1);
    expect(flags.get(2)).toBe(0);
  });

  it('returns false once the job has finished (Future.cancel of a done future)', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const done = pool.submit(job('echo'), 1);
    await done;
    expect(done.cancel()).toBe(false);
    await expect(done).resolves.toBe(1);
  });

  it('aborts this.signal of a running job, then rejects with CancelledError', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const flags = new Flags();
    const running = pool.submit(job('waitForAbort'), flags.array, 0, 1);
    await flags.until(0);
    expect(running.cancel()).toBe(true);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(flags.get(1)).toBe(1);
    // The worker is free again.
    await expect(pool.submit(job('echo'), 'next')).resolves.toBe('next');
  });

  it('reaches a CPU-bound job that never awaits, through signal.aborted', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const flags = new Flags();
    const spinning = pool.submit(job('spinUntilAborted'), flags.array, 0, 1);
    await flags.until(0);
    spinning.cancel();
    await expect(spinning).rejects.toBeInstanceOf(CancelledError);
    expect(flags.get(1)).toBe(1);
  });

  it('leaves the other jobs alone', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const jobs: WorkerJobPromise<unknown>[] = [1, 2, 3].map((n) => pool.submit(job('add'), n, 1));
    jobs[1]?.cancel();
    const settled = await Promise.allSettled(jobs);
    expect(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : isCancelledError(s.reason))),
    ).toEqual([2, true, 4]);
  });
});

describe('shutdown()', () => {
  it('refuses new jobs afterwards (test_submit_after_shutdown)', async () => {
    pool = new WorkerPoolExecutor();
    await pool.shutdown();
    expect(() => pool.submit(job('echo'), 1)).toThrow(
      new RuntimeError('cannot schedule new futures after shutdown'),
    );
  });

  it('wait: resolves once running and queued jobs have finished', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const flags = new Flags();
    const blocker = pool.submit(job('block'), flags.array, 0, 1);
    const queued = pool.submit(job('count'), flags.array, 2);
    await flags.until(0);
    let finished = false;
    const shutdown = pool.shutdown().then(() => (finished = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    flags.set(1);
    await shutdown;
    await expect(blocker).resolves.toBe('released');
    await expect(queued).resolves.toBe(1);
  });

  it('cancelFutures: drops the queued jobs, lets the running one finish (test_cancel_futures)', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const flags = new Flags();
    const blocker = pool.submit(job('block'), flags.array, 0, 1);
    const queued = [
      pool.submit(job('count'), flags.array, 2),
      pool.submit(job('count'), flags.array, 2),
    ];
    await flags.until(0);
    const shutdown = pool.shutdown({ cancelFutures: true });
    for (const dropped of queued) {
      await expect(dropped).rejects.toBeInstanceOf(CancelledError);
      expect(dropped.cancel()).toBe(true);
    }
    flags.set(1);
    await shutdown;
    await expect(blocker).resolves.toBe('released');
    expect(flags.get(2)).toBe(0);
  });

  it('wait: false resolves at once; the running job still finishes', async () => {
    pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const flags = new Flags();
    const blocker = pool.submit(job('block'), flags.array, 0, 1);
    await flags.until(0);
    await pool.shutdown({ wait: false });
    flags.set(1);
    await expect(blocker).resolves.toBe('released');
    // And a later waiting shutdown sees the workers stop.
    await pool.shutdown();
  });
});
