// Parity of the event-loop policy functions, Runner and run() with asyncio 3.13. Each expected
// trace is what the Python version printed under CPython 3.13.0 (run with DeprecationWarning
// as an error, so no scenario relies on a loop created implicitly).
import {
  BaseEventLoop,
  CancelledError,
  ContextVar,
  copyContext,
  createTask,
  getEventLoop,
  getRunningLoop,
  isCancelledError,
  newEventLoop,
  run,
  Runner,
  setEventLoop,
  setEventLoopPolicy,
  sleep,
  ValueError,
  type AbstractEventLoop,
  type ExceptionContext,
  type Task,
} from '../../src/index.js';
import { msg, py } from './helpers.js';

/** Python's `f"{type(e).__name__} {e}"` for a synchronous call, or 'no error'. */
function errs(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name} ${(e as Error).message}`;
  }
}

/** Like `errs` for a call that returns a promise. */
async function aerrs(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name} ${(e as Error).message}`;
  }
}

// Python says "There is no current event loop in thread 'MainThread'."; tsio's message starts
// the same and then tells the fix.
const NO_CURRENT = 'RuntimeError There is no current event loop';
const short = (s: string): string => (s.startsWith(NO_CURRENT) ? NO_CURRENT : s);

beforeEach(() => {
  setEventLoopPolicy(null); // a fresh default policy: no current loop, setEventLoop never called
});
afterAll(() => {
  setEventLoopPolicy(null);
});

describe('parity: policies', () => {
  // CPython: test_events.py test_get_event_loop_returns_running_loop
  it('getEventLoop inside a running loop returns it; run() clears the current loop at the end', async () => {
    const tr: string[] = [];
    const other = newEventLoop();
    setEventLoop(other);
    await run(async () => {
      const l = getRunningLoop();
      tr.push(`${py(getEventLoop() === l)} ${py(getEventLoop() === other)}`);
    });
    tr.push(short(errs(() => getEventLoop())));
    other.close();
    expect(tr).toEqual(['True False', NO_CURRENT]);
  });

  // CPython: test_events.py test_get_event_loop_after_set_none
  it('setEventLoop(null) then getEventLoop is a RuntimeError (test_get_event_loop_after_set_none)', () => {
    const tr: string[] = [];
    setEventLoop(null);
    tr.push(short(errs(() => getEventLoop())));
    const l = newEventLoop();
    setEventLoop(l);
    tr.push(py(getEventLoop() === l));
    setEventLoop(null);
    tr.push(short(errs(() => getEventLoop())));
    l.close();
    expect(tr).toEqual([NO_CURRENT, 'True', NO_CURRENT]);
  });

  // CPython: test_events.py test_new_event_loop
  it('newEventLoop makes a distinct loop, not running, not closed, not current', () => {
    const a = newEventLoop();
    const b = newEventLoop();
    const cur = newEventLoop();
    setEventLoop(cur);
    const tr = [
      [a === b, getEventLoop() === a, a.isRunning(), a.isClosed(), getEventLoop() === cur]
        .map(py)
        .join(' '),
    ];
    for (const l of [a, b, cur]) l.close();
    expect(tr).toEqual(['False False False False True']);
  });
});

describe('parity: Runner', () => {
  // CPython: test_runners.py test_set_event_loop_called_once / test_explicit_close
  it('a Runner’s loop is the current loop until close(), which clears it', async () => {
    const tr: string[] = [];
    const r = new Runner();
    const lp = r.getLoop();
    tr.push(`${py(getEventLoop() === lp)} ${py(lp.isRunning())}`);
    tr.push(py((await r.run(async () => [getRunningLoop()]))[0] === lp));
    await r.close();
    tr.push(`${py(lp.isClosed())} ${short(errs(() => getEventLoop()))}`);
    expect(tr).toEqual(['True False', 'True', `True ${NO_CURRENT}`]);
  });

  // CPython: test_runners.py test_double_close, test_second_with_block_raises
  it('close before any run does nothing; after close, run and getLoop raise; close twice is fine', async () => {
    const tr: string[] = [];
    const r = new Runner();
    await r.close();
    tr.push(await r.run(async () => 'ran after early close'));
    await r.close();
    await r.close();
    tr.push(await aerrs(() => r.run(async () => 1)));
    tr.push(errs(() => r.getLoop()));
    const r2 = new Runner();
    tr.push(await aerrs(() => r2.close()));
    expect(tr).toEqual([
      'ran after early close',
      'RuntimeError Runner is closed',
      'RuntimeError Runner is closed',
      'no error',
    ]);
  });

  // No exact CPython test: Runner.run(coro, context=ctx)
  it('run with an explicit context keeps changes there, apart from the runner’s context', async () => {
    const tr: string[] = [];
    const v = new ContextVar<string>('v', { default: 'd' });
    {
      await using r = new Runner();
      const ctx = copyContext();
      const setter = (x: string) => async () => {
        v.set(x);
        return v.get();
      };
      const getter = async (): Promise<string> => v.get();
      const first = await r.run(setter('explicit'), { context: ctx });
      tr.push(`${first} ${ctx.get(v)} ${await r.run(getter)} ${v.get()}`);
      await r.run(setter('runner'));
      tr.push(`${await r.run(getter, { context: ctx })} ${await r.run(getter)} ${ctx.get(v)}`);
    }
    expect(tr).toEqual(['explicit explicit d d', 'explicit runner explicit']);
  });

  // CPython: test_runners.py test_debug, test_non_debug
  it('the debug option turns debug mode on or off, or leaves the loop’s own setting', async () => {
    const tr: string[] = [];
    for (const d of [true, false, undefined]) {
      const fac = (): AbstractEventLoop => {
        const l = new BaseEventLoop();
        l.setDebug(true);
        return l;
      };
      await using r = new Runner(
        d === undefined ? { loopFactory: fac } : { debug: d, loopFactory: fac },
      );
      const inside = await r.run(async () => getRunningLoop().getDebug());
      tr.push(`${d === undefined ? 'None' : py(d)} ${py(r.getLoop().getDebug())} ${py(inside)}`);
    }
    {
      await using r = new Runner();
      tr.push(py(r.getLoop().getDebug()));
    }
    expect(tr).toEqual(['True True True', 'False False False', 'None True True', 'False']);
  });

  // CPython: test_runners.py test_custom_factory (loop_factory is never set as current)
  it('a loopFactory loop is not made the current loop, and close() leaves the current loop alone', async () => {
    const tr: string[] = [];
    const sentinel = newEventLoop();
    setEventLoop(sentinel);
    const made: AbstractEventLoop[] = [];
    const fac = (): AbstractEventLoop => {
      const l = new BaseEventLoop();
      made.push(l);
      return l;
    };
    {
      await using r = new Runner({ loopFactory: fac });
      const inside = await r.run(async () => getRunningLoop() === made[0]);
      tr.push(`${py(inside)} ${py(getEventLoop() === sentinel)} ${py(getEventLoop() === made[0])}`);
    }
    tr.push(`${py((made[0] as AbstractEventLoop).isClosed())} ${py(getEventLoop() === sentinel)}`);
    sentinel.close();
    expect(tr).toEqual(['True True False', 'True True']);
  });

  // CPython: test_runners.py test_recursive_run, test_asyncio_run_from_running_loop
  it('Runner.run and run() refuse to start inside a running loop', async () => {
    const tr: string[] = [];
    await run(async () => {
      const r = new Runner();
      const first = await aerrs(() => r.run(async () => undefined));
      tr.push(first.slice(0, first.indexOf('loop') + 4));
      const second = await aerrs(() => run(async () => undefined));
      tr.push(second.slice(0, second.indexOf('loop') + 4));
    });
    expect(tr).toEqual([
      'RuntimeError Runner.run() cannot be called from a running event loop',
      // Python: "asyncio.run() cannot be called ..." (the function is tsio's run()).
      'RuntimeError run() cannot be called from a running event loop',
    ]);
  });

  // No exact CPython test: a failed Runner.run() leaves the runner usable.
  it('a run whose coroutine raises leaves the runner and its loop usable', async () => {
    const tr: string[] = [];
    {
      await using r = new Runner();
      tr.push(
        await aerrs(() =>
          r.run(async () => {
            throw new ValueError('first failed');
          }),
        ),
      );
      tr.push(`${await r.run(async () => 'second ok')} ${py(r.getLoop().isClosed())}`);
    }
    expect(tr).toEqual(['ValueError first failed', 'second ok False']);
  });
});

describe('parity: run() shutdown', () => {
  // CPython: test_runners.py test_asyncio_run_cancels_hanging_tasks. Python cancels in
  // all_tasks() (WeakSet) order, which varies between runs: it printed c, a, b twice and a, b,
  // c once; the expected trace is the a, b, c run. A task created just before main returns has
  // its first step queued before main's done callbacks, so it runs to completion.
  it('leftover tasks are all cancelled and awaited; a task created as main returns still runs', async () => {
    const tr: string[] = [];
    const ts: Task<unknown>[] = [];
    const child = (n: string, steps: number) => async () => {
      try {
        await sleep(10);
      } catch (e) {
        tr.push(`${n} cancelled ${msg(e) === '' ? '()' : msg(e)}`);
        for (let i = 0; i < steps; i++) {
          await sleep(0);
          tr.push(`${n} cleanup ${i}`);
        }
        throw e;
      }
    };
    const result = await run(async () => {
      for (const [n, s] of [
        ['a', 2],
        ['b', 0],
        ['c', 1],
      ] as const) {
        ts.push(createTask(child(n, s), { name: n }) as Task<unknown>);
      }
      await sleep(0);
      ts.push(
        createTask(
          async () => {
            tr.push('never-started ran');
          },
          { name: 'ns' },
        ) as Task<unknown>,
      );
      tr.push('main returns');
      return 'r';
    });
    tr.push(`run ${result}`);
    tr.push(JSON.stringify(ts.map((t) => [t.getName(), py(t.cancelled())])));
    expect(tr).toEqual([
      'main returns',
      'never-started ran',
      'a cancelled ()',
      'b cancelled ()',
      'c cancelled ()',
      'a cleanup 0',
      'c cleanup 0',
      'a cleanup 1',
      'run r',
      '[["a","True"],["b","True"],["c","True"],["ns","False"]]',
    ]);
  });

  // No exact CPython test (cf. test_runners.py test_asyncio_run_raises): main raising
  // CancelledError itself
  it('main that throws a CancelledError: leftovers are cancelled, run() rejects with that error', async () => {
    const tr: string[] = [];
    try {
      await run(async () => {
        createTask(async () => {
          try {
            await sleep(10);
          } catch (e) {
            if (isCancelledError(e)) tr.push('victim cancelled');
            throw e;
          }
        });
        await sleep(0);
        throw new CancelledError('from main');
      });
    } catch (e) {
      tr.push(isCancelledError(e) ? `run raised CancelledError ${msg(e)}` : `run raised ${e}`);
    }
    expect(tr).toEqual(['victim cancelled', 'run raised CancelledError from main']);
  });

  // CPython: test_runners.py test_asyncio_run_reports_hanging_tasks_errors
  it('a leftover task that fails while cancelled is reported with message, exception and task', async () => {
    const tr: string[] = [];
    let t!: Task<unknown>;
    await run(async () => {
      getRunningLoop().setExceptionHandler((_l, c: ExceptionContext) => {
        const e = c.exception as Error;
        tr.push(
          `${JSON.stringify(Object.keys(c).sort())} ${c.message} ${e.name} ${e.message} ${py(c.task === t)}`,
        );
      });
      t = createTask(async () => {
        try {
          await sleep(10);
        } catch {
          throw new ValueError('cleanup failed');
        }
      }) as Task<unknown>;
      await sleep(0);
    });
    expect(tr).toEqual([
      // Python: "unhandled exception during asyncio.run() shutdown" (tsio's function is run()).
      '["exception","message","task"] unhandled exception during run() shutdown ValueError cleanup failed True',
    ]);
  });
});
