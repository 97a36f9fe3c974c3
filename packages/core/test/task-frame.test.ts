import {
  Context,
  ContextVar,
  _currentContext,
  _currentTaskOrNull,
  _registeredTasks,
  _registerTask,
  _runInTaskFrame,
  _unregisterTask,
} from '../src/index.js';
import type { AbstractEventLoop, AbstractTask } from '../src/index.js';

type CoreModule = typeof import('../src/index.js');

/** Stands for a task: the frame only carries it. */
function fakeTask(label: string): AbstractTask<unknown> {
  return { label } as unknown as AbstractTask<unknown>;
}

function fakeLoop(label: string): AbstractEventLoop {
  return { label } as unknown as AbstractEventLoop;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

function loadSecondCopy(): CoreModule {
  let copy: CoreModule | undefined;
  jest.isolateModules(() => {
    copy = require('../src/index.ts') as CoreModule;
  });
  if (copy === undefined) throw new Error('second copy did not load');
  return copy;
}

describe('_runInTaskFrame', () => {
  it('has no current task outside a frame', () => {
    expect(_currentTaskOrNull()).toBeNull();
  });

  it('runs fn synchronously with its arguments, as the task, in the context', () => {
    const task = fakeTask('t');
    const ctx = new Context();
    const result = _runInTaskFrame(
      ctx,
      task,
      (a: number, b: number) => {
        expect(_currentTaskOrNull()).toBe(task);
        expect(_currentContext()).toBe(ctx);
        return a + b;
      },
      1,
      2,
    );
    expect(result).toBe(3);
    expect(_currentTaskOrNull()).toBeNull();
  });

  it('keeps the task across awaits of native promises, setTimeout and setImmediate', async () => {
    const task = fakeTask('t');
    const seen: unknown[] = [];
    await _runInTaskFrame(new Context(), task, async () => {
      seen.push(_currentTaskOrNull());
      await Promise.resolve();
      seen.push(_currentTaskOrNull());
      await tick();
      seen.push(_currentTaskOrNull());
      await new Promise<void>((resolve) => setImmediate(resolve));
      seen.push(_currentTaskOrNull());
      await new Promise<void>((resolve) => {
        setTimeout(() => {
          seen.push(_currentTaskOrNull());
          resolve();
        }, 1);
      });
    });
    expect(seen).toEqual([task, task, task, task, task]);
    expect(_currentTaskOrNull()).toBeNull();
  });

  it('keeps concurrent tasks apart', async () => {
    const a = fakeTask('a');
    const b = fakeTask('b');
    const run = (task: AbstractTask<unknown>) =>
      _runInTaskFrame(new Context(), task, async () => {
        await tick();
        const first = _currentTaskOrNull();
        await tick();
        return [first, _currentTaskOrNull()];
      });
    expect(await Promise.all([run(a), run(b)])).toEqual([
      [a, a],
      [b, b],
    ]);
  });

  it('with a null task runs a plain callback in the context, with no current task', () => {
    const ctx = new Context();
    const v = new ContextVar<number>('v');
    _runInTaskFrame(ctx, fakeTask('outer'), () => {
      _runInTaskFrame(ctx.copy(), null, () => {
        expect(_currentTaskOrNull()).toBeNull();
        v.set(1);
      });
      expect(_currentTaskOrNull()).not.toBeNull();
    });
    expect(ctx.has(v)).toBe(false);
  });

  it('context variables set by the task stay in its context', async () => {
    const v = new ContextVar<string>('v', { default: 'none' });
    const ctx = new Context();
    await _runInTaskFrame(ctx, fakeTask('t'), async () => {
      v.set('task');
      await tick();
      expect(v.get()).toBe('task');
    });
    expect(ctx.get(v)).toBe('task');
    expect(v.get()).toBe('none');
  });

  it('Context.run inside a task keeps the task current', () => {
    const task = fakeTask('t');
    _runInTaskFrame(new Context(), task, () => {
      const inner = new Context();
      inner.run(() => {
        expect(_currentTaskOrNull()).toBe(task);
        expect(_currentContext()).toBe(inner);
      });
    });
  });
});

describe('task registry', () => {
  it('registers, lists and unregisters tasks per loop (test_register_task, test_unregister_task)', () => {
    const loop = fakeLoop('l');
    const other = fakeLoop('other');
    const a = fakeTask('a');
    const b = fakeTask('b');
    expect(_registeredTasks(loop)).toEqual([]);
    _registerTask(loop, a);
    _registerTask(loop, b);
    _registerTask(loop, a);
    expect(_registeredTasks(loop)).toEqual([a, b]);
    expect(_registeredTasks(other)).toEqual([]);
    _unregisterTask(loop, a);
    expect(_registeredTasks(loop)).toEqual([b]);
    _unregisterTask(loop, a);
    _unregisterTask(other, b);
    expect(_registeredTasks(loop)).toEqual([b]);
    _unregisterTask(loop, b);
    expect(_registeredTasks(loop)).toEqual([]);
  });

  it('returns a new array each time', () => {
    const loop = fakeLoop('l');
    _registerTask(loop, fakeTask('a'));
    const list = _registeredTasks(loop);
    list.length = 0;
    expect(_registeredTasks(loop)).toHaveLength(1);
  });
});

describe('two copies of @tsio/core', () => {
  it('share the current task and the registry', async () => {
    const other = loadSecondCopy();
    const task = fakeTask('t');
    const loop = fakeLoop('l');
    await _runInTaskFrame(new Context(), task, async () => {
      await tick();
      expect(other._currentTaskOrNull()).toBe(task);
    });
    other._registerTask(loop, task);
    expect(_registeredTasks(loop)).toEqual([task]);
  });

  it('share context variables through the shared frames', async () => {
    const other = loadSecondCopy();
    const v = new ContextVar<string>('v', { default: 'none' });
    const ctx = new other.Context();
    await other._runInTaskFrame(ctx, null, async () => {
      v.set('set via copy 1');
      await tick();
      expect(v.get()).toBe('set via copy 1');
      expect(other._currentContext()).toBe(ctx);
      expect(_currentContext()).toBe(ctx);
    });
    expect(ctx.get(v)).toBe('set via copy 1');
    expect(v.get()).toBe('none');
  });

  it('share the root Context', () => {
    const other = loadSecondCopy();
    expect(other._currentContext()).toBe(_currentContext());
  });
});

describe('weak task registry (debug mode)', () => {
  // Collection needs a gc function: node --expose-gc gives `global.gc`; inside jest, so:
  let gc: () => void;
  beforeAll(() => {
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
    gc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as () => void;
  });

  /**
   * Collects garbage until `done()` holds (bounded to 2 s). A `deref()` keeps its target alive
   * until the current job ends: collect only in a later job than the last check.
   */
  async function collectUntil(done: () => boolean): Promise<void> {
    const deadline = Date.now() + 2000;
    for (;;) {
      await tick();
      gc();
      if (done()) return;
      if (Date.now() > deadline) throw new Error('gave up waiting for garbage collection');
    }
  }

  /** Registers a task weakly and keeps no reference to it; returns a WeakRef to watch it. */
  function registerUnreachable(loop: AbstractEventLoop, label: string): WeakRef<object> {
    const task = fakeTask(label);
    _registerTask(loop, task, true);
    return new WeakRef(task);
  }

  const labels = (loop: AbstractEventLoop) =>
    _registeredTasks(loop).map((t) => (t as unknown as { label: string }).label);

  it('lists weak registrations after the strong ones, once each, and unregisters both kinds', () => {
    const loop = fakeLoop('l');
    const a = fakeTask('a');
    const w = fakeTask('w');
    const both = fakeTask('both');
    _registerTask(loop, w, true);
    _registerTask(loop, a);
    _registerTask(loop, w, true);
    _registerTask(loop, both, true);
    _registerTask(loop, both);
    expect(labels(loop)).toEqual(['a', 'both', 'w']);
    expect(_registeredTasks(fakeLoop('other'))).toEqual([]);
    _unregisterTask(loop, w);
    expect(labels(loop)).toEqual(['a', 'both']);
    _unregisterTask(loop, both);
    _unregisterTask(loop, both);
    _unregisterTask(loop, a);
    expect(labels(loop)).toEqual([]);
    _registerTask(loop, w, true);
    expect(labels(loop)).toEqual(['w']);
  });

  it('drops a weakly registered task once it is collected, keeps reachable ones (as asyncio _scheduled_tasks WeakSet)', async () => {
    const loop = fakeLoop('l');
    const kept = fakeTask('kept');
    const gone = registerUnreachable(loop, 'gone');
    _registerTask(loop, kept, true);
    _registerTask(loop, fakeTask('strongly held'));
    await collectUntil(() => gone.deref() === undefined);
    expect(labels(loop)).toEqual(['strongly held', 'kept']);
    expect(kept).toBeDefined();
  });

  it('prunes the references of collected tasks as registrations grow', async () => {
    const runtime = (globalThis as Record<symbol, unknown>)[Symbol.for('tsio.runtime.v1')] as {
      weakTasks: { byLoop: WeakMap<object, { refs: Set<unknown> }> };
    };
    const loop = fakeLoop('l');
    const refs = Array.from({ length: 100 }, (_, i) => registerUnreachable(loop, `t${i}`));
    await collectUntil(() => refs.every((r) => r.deref() === undefined));
    const set = runtime.weakTasks.byLoop.get(loop)?.refs;
    expect(set?.size).toBe(100);
    // Registering more prunes at the next threshold, without a call to _registeredTasks.
    for (let i = 0; i < 100; i++) registerUnreachable(loop, `u${i}`);
    expect(set?.size).toBeLessThan(200);
  });
});
