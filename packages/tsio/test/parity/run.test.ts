// Parity of run() and Runner with asyncio 3.13. Each expected trace is what the Python
// version printed under CPython 3.13.0. Traces of tasks that run() cancels at shutdown are
// kept in one list per task: asyncio cancels them in all_tasks() (a WeakSet) order.
import {
  ContextVar,
  createTask,
  currentTask,
  getRunningLoop,
  isCancelledError,
  run,
  Runner,
  RuntimeError,
  sleep,
  ValueError,
  type AbstractEventLoop,
  type Task,
} from '../../src/index.js';
import { msg, py } from './helpers.js';

describe('parity: run and Runner', () => {
  // CPython: test_runners.py test_asyncio_run_raises, test_asyncio_run_cancels_hanging_tasks
  it('run() whose main raises after creating tasks cancels them (test_asyncio_run_cancels_hanging_tasks)', async () => {
    const tr: string[] = [];
    try {
      await run(async () => {
        createTask(async () => {
          try {
            await sleep(10);
          } catch (e) {
            tr.push(`c1 cancelled ${msg(e)}`);
            throw e;
          }
        });
        await sleep(0);
        tr.push('main raising');
        throw new ValueError('main failed');
      });
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      tr.push(`run raised ${e.message}`);
    }
    expect(tr).toEqual(['main raising', 'c1 cancelled ', 'run raised main failed']);
  });

  // CPython: test_runners.py test_asyncio_run_closes_gens_after_hanging_tasks_errors
  it('run() awaits leftover tasks and reports their cleanup errors (test_asyncio_run_closes_gens_after_hanging_tasks_errors)', async () => {
    const tr: string[] = [];
    const ct: string[] = [];
    const st: string[] = [];
    const result = await run(async () => {
      getRunningLoop().setExceptionHandler((_l, c) => {
        const e = c.exception as Error;
        tr.push(`handler ${e.name} ${e.message}`);
      });
      createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          if (!isCancelledError(e)) throw e;
          ct.push('child cleanup start');
          await sleep(0);
          ct.push('child cleanup end');
          throw e;
        }
      });
      createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          if (!isCancelledError(e)) throw e;
          st.push('swallow returns');
          return 1;
        }
        return 0;
      });
      createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          if (!isCancelledError(e)) throw e;
          throw new ValueError('bad cleanup');
        }
      });
      await sleep(0);
      tr.push('main returns');
      return 'main-result';
    });
    tr.push(`run result ${result}`);
    expect([...tr, ...ct, ...st]).toEqual([
      'main returns',
      'handler ValueError bad cleanup',
      'run result main-result',
      'child cleanup start',
      'child cleanup end',
      'swallow returns',
    ]);
  });

  // CPython: test_runners.py RunnerTests test_run_keeps_context / test_explicit_close
  it('a Runner keeps one loop and one Context across run() calls (test_run_keeps_context)', async () => {
    const tr: string[] = [];
    const v = new ContextVar<string>('v', { default: 'd' });
    let l1!: AbstractEventLoop;
    {
      await using r = new Runner();
      l1 = await r
        .run(async () => {
          v.set('first');
          return [getRunningLoop()] as const;
        })
        .then(([l]) => l);
      const [got, l2] = await r.run(async () => [v.get(), getRunningLoop()] as const);
      tr.push(`second sees ${got} same loop ${py(l1 === l2)} closed ${py(l1.isClosed())}`);
    }
    tr.push(`after close ${py(l1.isClosed())} outer ${v.get()}`);
    expect(tr).toEqual([
      'second sees first same loop True closed False',
      'after close True outer d',
    ]);
  });

  // CPython: test_runners.py test_asyncio_run_only_coro-like; main cancelled by itself
  it('run() of a main that cancels itself rejects with its CancelledError', async () => {
    const tr: string[] = [];
    try {
      await run(async () => {
        (currentTask() as Task<unknown>).cancel('self');
        try {
          await sleep(0);
        } catch (e) {
          tr.push(`main caught ${msg(e)}`);
          throw e;
        }
      });
    } catch (e) {
      tr.push(`run raised CancelledError ${msg(e)}`);
    }
    expect(tr).toEqual(['main caught self', 'run raised CancelledError self']);
  });

  // CPython: test_runners.py test_asyncio_run_return
  it('run() returns main’s result and leaves no running loop (test_asyncio_run_return)', async () => {
    const tr: string[] = [];
    const r = await run(async () => {
      tr.push(`running ${py(getRunningLoop().isRunning())}`);
      return 7;
    });
    tr.push(`result ${r}`);
    try {
      getRunningLoop();
    } catch (e) {
      if (e instanceof RuntimeError) tr.push(`RuntimeError ${e.message}`);
    }
    expect(tr).toEqual(['running True', 'result 7', 'RuntimeError no running event loop']);
  });
});
