import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the current synchronous run and its async continuations execute as: the Context
 * whose variables they see, and the Task (if any) that runs them.
 */
export interface Frame {
  readonly context: object;
  readonly task: object | null;
}

/** Process-wide mutable state, shared by every copy of @tsio/core loaded in the process. */
export interface Runtime {
  readonly storage: AsyncLocalStorage<Frame>;
  runningLoop: object | null;
  loopResolver: (() => object) | null;
  readonly tasksByLoop: WeakMap<object, Set<object>>;
  /**
   * The tasks registered weakly (created in debug mode), so that a pending task nothing else
   * references can be collected and reported. Created on first use: a runtime made by an older
   * copy of core lacks it.
   */
  weakTasks?: WeakTaskRegistry;
  rootFrame: Frame | null;
  /** True while a loop runs a batch of handles that restores frames itself (`_enterFrameFromHandle`). */
  framesRestoredByLoop: boolean;
  /**
   * I/O events delivered by Node so far (`_noteIoEvent`). Optional: a runtime made by an
   * older copy of core lacks it.
   */
  ioEvents?: number;
}

/** Weak task registrations: per loop, the WeakRefs; per task, its WeakRef (to unregister it). */
export interface WeakTaskRegistry {
  readonly byLoop: WeakMap<object, WeakTaskSet>;
  readonly refOf: WeakMap<object, WeakRef<object>>;
}

/** The weakly registered tasks of one loop; dead references are pruned lazily. */
export interface WeakTaskSet {
  readonly refs: Set<WeakRef<object>>;
  /** Prune dead references when `refs` reaches this size. */
  pruneAt: number;
}

const RUNTIME_KEY = Symbol.for('tsio.runtime.v1');

type GlobalWithRuntime = typeof globalThis & { [RUNTIME_KEY]?: Runtime };

function createRuntime(): Runtime {
  return {
    storage: new AsyncLocalStorage<Frame>(),
    runningLoop: null,
    loopResolver: null,
    tasksByLoop: new WeakMap(),
    rootFrame: null,
    framesRestoredByLoop: false,
    ioEvents: 0,
  };
}

const holder = globalThis as GlobalWithRuntime;

/** The one runtime of this process: created by whichever copy of core loads first. */
export const runtime: Runtime = holder[RUNTIME_KEY] ?? (holder[RUNTIME_KEY] = createRuntime());
