// Property tests of structured concurrency (issue 3): random trees of tasks with random
// cancellations and failures, run with `run()`, never leave a task pending once run() settles,
// and never lose an error.
//
// "Never lose an error" is checked link by link, following asyncio 3.13's rules for where an
// error may go, so that the property holds exactly for asyncio's semantics:
// - a task's own tagged error is part of the task's outcome (directly, or inside the
//   ExceptionGroup of the TaskGroup whose body threw it), unless the task never got to throw;
// - a failed child of a TaskGroup is a member of the ExceptionGroup its parent's group raised;
// - a failed child of `gather(aws)` is the gather's error, unless the gather had already
//   finished when the child's completion was processed (asyncio then drops it on purpose);
// - a failed child of `gather(aws, { returnExceptions: true })` is its slot in the results,
//   unless the gather itself was cancelled (asyncio then fails it with CancelledError);
// - the root's outcome is run()'s outcome;
// - a task still running when main finished, and failing while run() cancels it, is reported
//   through the loop's exception handler ('unhandled exception during run() shutdown').
// Every link holds, so every tagged error either reaches run()'s rejection or stops at one of
// the documented drop points. Conversely, nothing that surfaces or is reported is an error no
// task threw.
//
// Runs: 50 (TSIO_PROPERTY_RUNS=3000 explores more; fast-check prints the seed on failure).
import fc from 'fast-check';
import {
  BaseEventLoop,
  ExceptionGroup,
  allTasks,
  createTask,
  currentTask,
  gather,
  isCancelledError,
  run,
  sleep,
  TaskGroup,
  timeout,
  type ExceptionContext,
  type Future,
  type Task,
} from '../../src/index.js';

type Spawn = 'none' | 'taskgroup' | 'gather' | 'gatherSettled';
type Action = 'none' | 'throw' | 'cancelSelf' | 'cancelSibling';
/** When the action runs: before the children, while they run (TaskGroup body), or after. */
type When = 'before' | 'during' | 'after';

interface NodeSpec {
  /** null: no await; 0: sleep(0); else a small real delay in seconds. */
  readonly preSleep: number | null;
  readonly spawn: Spawn;
  /** Wraps the children's section in `timeout(delay).run(...)`. */
  readonly timeoutDelay: number | null;
  readonly action: Action;
  readonly when: When;
  /** Which sibling `cancelSibling` cancels (modulo the number of siblings). */
  readonly sibling: number;
  /** Catches CancelledError around the script, awaits a cleanup step, and re-throws it. */
  readonly catchCancel: boolean;
  readonly children: readonly NodeSpec[];
}

const MAX_DEPTH = 4;
const MAX_FAN_OUT = 4;

function nodeArb(depth: number): fc.Arbitrary<NodeSpec> {
  const children: fc.Arbitrary<readonly NodeSpec[]> =
    depth >= MAX_DEPTH
      ? fc.constant([])
      : fc.array(nodeArb(depth + 1), {
          minLength: depth === 0 ? 1 : 0,
          maxLength: MAX_FAN_OUT,
          size: 'small',
        });
  // The root always has children: a lone task tests little.
  const spawns: Spawn[] =
    depth === 0
      ? ['taskgroup', 'gather', 'gatherSettled']
      : ['none', 'taskgroup', 'gather', 'gatherSettled'];
  return fc
    .record({
      preSleep: fc.constantFrom(null, 0, 0.001, 0.003, 0.005),
      spawn: fc.constantFrom<Spawn>(...spawns),
      timeoutDelay: fc.constantFrom(null, null, 0.001, 0.002, 0.004),
      action: fc.constantFrom<Action>('none', 'throw', 'throw', 'cancelSelf', 'cancelSibling'),
      when: fc.constantFrom<When>('before', 'during', 'after'),
      sibling: fc.nat(MAX_FAN_OUT - 1),
      catchCancel: fc.boolean(),
      children,
    })
    .map((spec) => (spec.spawn === 'none' ? { ...spec, children: [] } : spec));
}

const treeArb = nodeArb(0);

/** An error thrown by the script of one node, tagged with the node's path. */
class TaggedError extends Error {
  constructor(readonly tag: string) {
    super(`failure of node ${tag}`);
    this.name = 'TaggedError';
  }
}

/** One node of a tree being run. */
interface NodeRun {
  readonly spec: NodeSpec;
  readonly path: string;
  readonly parent: NodeRun | null;
  readonly index: number;
  readonly children: NodeRun[];
  task: Task<unknown> | null;
  /** The tagged errors this node threw (at most one). */
  readonly thrown: TaggedError[];
  /** The loop run (1 = main, 2+ = run()'s shutdown) in which the coroutine finished. */
  finishedInRun: number;
  /** Gather children: the parent's gather was already done when this child's completion was processed. */
  gatherDoneFirst: boolean;
  /** Parent side: the gather of the children, and the TaskGroup's rejection. */
  gatherFut: Future<unknown[]> | null;
  tgError: { error: unknown } | null;
}

/** Counts its runs, so a task can tell whether it finished during run()'s shutdown. */
class CountingLoop extends BaseEventLoop {
  runs = 0;
  readonly reports: ExceptionContext[] = [];

  constructor() {
    super();
    this.setExceptionHandler((_loop, context) => {
      this.reports.push(context);
    });
  }

  override runUntilComplete<T>(
    future: Parameters<BaseEventLoop['runUntilComplete']>[0],
  ): Promise<T> {
    this.runs += 1;
    return super.runUntilComplete(future) as Promise<T>;
  }
}

function build(spec: NodeSpec, parent: NodeRun | null, index: number): NodeRun {
  const node: NodeRun = {
    spec,
    path: parent === null ? '0' : `${parent.path}.${index}`,
    parent,
    index,
    children: [],
    task: null,
    thrown: [],
    finishedInRun: 0,
    gatherDoneFirst: false,
    gatherFut: null,
    tgError: null,
  };
  spec.children.forEach((child, i) => node.children.push(build(child, node, i)));
  return node;
}

function walk(node: NodeRun, visit: (n: NodeRun) => void): void {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

/** Every leaf error of `error`, through nested ExceptionGroups. */
function flatten(error: unknown): unknown[] {
  if (error instanceof ExceptionGroup) return error.exceptions.flatMap(flatten);
  return [error];
}

/** A done task's non-cancellation error, or null. */
function failure(task: Task<unknown>): unknown {
  if (task.cancelled()) return null;
  return task.exception();
}

async function pause(delay: number | null): Promise<void> {
  if (delay !== null) await sleep(delay);
}

/** Runs one tree; returns what the checks need. */
async function runTree(spec: NodeSpec) {
  const root = build(spec, null, 0);
  const loop = new CountingLoop();

  async function act(node: NodeRun): Promise<void> {
    switch (node.spec.action) {
      case 'throw': {
        const error = new TaggedError(node.path);
        node.thrown.push(error);
        throw error;
      }
      case 'cancelSelf':
        (currentTask() as Task<unknown>).cancel();
        await sleep(0);
        return;
      case 'cancelSibling': {
        const siblings = node.parent?.children.filter((s) => s !== node) ?? [];
        const target = siblings[node.spec.sibling % Math.max(1, siblings.length)];
        target?.task?.cancel();
        return;
      }
      case 'none':
        return;
    }
  }

  function startChild(child: NodeRun, create: (coro: () => Promise<string>) => Task<string>) {
    const task = create(async () => {
      try {
        return await script(child);
      } finally {
        child.finishedInRun = loop.runs;
      }
    });
    child.task = task;
    return task;
  }

  async function children(node: NodeRun): Promise<void> {
    const { spawn, when } = node.spec;
    if (spawn === 'taskgroup') {
      try {
        await TaskGroup.run(async (tg) => {
          for (const child of node.children) {
            startChild(child, (coro) => tg.createTask(coro, { name: child.path }));
          }
          if (when === 'during') {
            await sleep(0);
            await act(node);
          }
        });
      } catch (error) {
        node.tgError = { error };
        throw error;
      }
      return;
    }
    const tasks = node.children.map((child) => {
      const task = startChild(child, (coro) => createTask(coro, { name: child.path }));
      // Registered before the gather's own callback, so it runs just before it.
      task.addDoneCallback(() => {
        child.gatherDoneFirst = node.gatherFut?.done() ?? false;
      });
      return task;
    });
    const fut = gather(tasks, { returnExceptions: spawn === 'gatherSettled' });
    node.gatherFut = fut;
    await fut;
  }

  async function steps(node: NodeRun): Promise<string> {
    const { spec } = node;
    await pause(spec.preSleep);
    // A gather's children cannot be left unawaited, so 'during' means 'before' there.
    const duringInBody = spec.spawn === 'taskgroup' && node.children.length > 0;
    if (spec.when === 'before' || (spec.when === 'during' && !duringInBody)) await act(node);
    if (node.children.length > 0) {
      if (spec.timeoutDelay === null) await children(node);
      else await timeout(spec.timeoutDelay).run(() => children(node));
    }
    if (spec.when === 'after') await act(node);
    return node.path;
  }

  async function script(node: NodeRun): Promise<string> {
    if (!node.spec.catchCancel) return steps(node);
    try {
      return await steps(node);
    } catch (error) {
      if (isCancelledError(error)) {
        // Clean up (awaiting is allowed), then re-throw the same CancelledError.
        await sleep(0);
        throw error;
      }
      throw error;
    }
  }

  let pendingAtEnd: Task<unknown>[] = [];
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const value = await run(
      async () => {
        root.task = currentTask() as Task<unknown>;
        try {
          return await script(root);
        } finally {
          root.finishedInRun = loop.runs;
          pendingAtEnd = [...allTasks()].filter((t) => t !== root.task) as Task<unknown>[];
        }
      },
      { loopFactory: () => loop },
    );
    outcome = { ok: true, value };
  } catch (error) {
    outcome = { ok: false, error };
  }
  return { root, loop, outcome, pendingAtEnd };
}

/** Checks every invariant; throws an Error describing the first that does not hold. */
function check(result: Awaited<ReturnType<typeof runTree>>): void {
  const { root, loop, outcome, pendingAtEnd } = result;
  const nodes: NodeRun[] = [];
  walk(root, (n) => nodes.push(n));
  const thrown = new Set<unknown>(nodes.flatMap((n) => n.thrown));
  const fail = (what: string): never => {
    throw new Error(`${what}\noutcome: ${outcome.ok ? 'ok' : String(outcome.error)}`);
  };

  // 1. Nothing is left pending.
  for (const n of nodes) {
    if (n.task !== null && !n.task.done()) fail(`task ${n.path} is still pending after run()`);
  }
  for (const t of pendingAtEnd) {
    if (!t.done()) fail(`task ${t.getName()} is still pending after run()`);
  }

  // 2. The root's outcome is run()'s outcome.
  const rootTask = root.task as Task<unknown>;
  if (rootTask.cancelled()) {
    if (outcome.ok || !isCancelledError(outcome.error)) {
      fail('the main task was cancelled but run() did not reject with CancelledError');
    }
  } else if (rootTask.exception() !== null) {
    if (outcome.ok || outcome.error !== rootTask.exception()) {
      fail("run() did not reject with the main task's error");
    }
  } else if (!outcome.ok) {
    fail('the main task succeeded but run() rejected');
  }

  for (const n of nodes) {
    const task = n.task as Task<unknown> | null;
    if (task === null) continue; // never started: its parent failed before creating it
    const error = failure(task);

    // 3. A node's own tagged error is part of its outcome.
    for (const own of n.thrown) {
      if (error === null || !flatten(error).includes(own)) {
        fail(`node ${n.path} threw ${own.message} but its task ended with ${String(error)}`);
      }
    }
    if (error === null || n.parent === null) continue;

    // 4. A failed child's error reaches its parent by the parent's rule.
    const parent = n.parent;
    if (parent.spec.spawn === 'taskgroup') {
      const group = parent.tgError?.error;
      if (!(group instanceof ExceptionGroup) || !group.exceptions.includes(error)) {
        fail(`the error of TaskGroup child ${n.path} is not in its group's ExceptionGroup`);
      }
    } else {
      const fut = parent.gatherFut as Future<unknown[]>;
      if (!fut.done()) fail(`the gather of node ${parent.path} is still pending`);
      if (parent.spec.spawn === 'gather') {
        const gathered = fut.cancelled() ? null : fut.exception();
        if (!n.gatherDoneFirst && gathered !== error) {
          fail(
            `the error of gather child ${n.path} is neither the gather's error nor dropped late`,
          );
        }
      } else if (!fut.cancelled()) {
        const gatherError = fut.exception();
        if (gatherError === null) {
          if (fut.result()[n.index] !== error) {
            fail(`the error of gather child ${n.path} is not its slot in the results`);
          }
        } else if (!isCancelledError(gatherError)) {
          fail(
            `gather(returnExceptions) of node ${parent.path} failed with ${String(gatherError)}`,
          );
        }
      }
    }

    // 5. A task that fails while run() cancels it is reported by the exception handler.
    if (n.finishedInRun >= 2) {
      const reported = loop.reports.some(
        (r) => r.exception === error && r.message === 'unhandled exception during run() shutdown',
      );
      if (!reported) fail(`task ${n.path} failed during run()'s shutdown but was not reported`);
    }
  }

  // 6. Nothing surfaces or is reported that no task threw.
  const surfaced = outcome.ok ? [] : flatten(outcome.error);
  const reportedLeaves = loop.reports.flatMap((r) => flatten(r.exception));
  for (const leaf of [...surfaced, ...reportedLeaves]) {
    if (leaf instanceof TaggedError && !thrown.has(leaf)) {
      fail(`${leaf.message} surfaced but no node threw it`);
    }
  }
  for (const leaf of surfaced) {
    if (surfaced.indexOf(leaf) !== surfaced.lastIndexOf(leaf)) {
      fail(`${String(leaf)} appears twice in run()'s rejection`);
    }
  }
  // The handler hears only of shutdown failures and, in debug mode, of errors collected
  // unretrieved ("... exception was never retrieved", reported by garbage collection, so not
  // deterministic enough to assert on). asyncio would report none of the latter in these
  // trees; tsio can (a child that fails while a cancelled gather(returnExceptions) waits for
  // it: gather.ts does not retrieve the children's errors before failing with CancelledError,
  // where asyncio's _done_callback does), which is a debug-log difference only.
  for (const r of loop.reports) {
    if (
      r.message !== 'unhandled exception during run() shutdown' &&
      !/never retrieved/.test(r.message)
    ) {
      fail(`unexpected exception handler call: ${r.message} ${String(r.exception)}`);
    }
  }
}

describe('structured concurrency: random task trees under run()', () => {
  it('never leave a task pending and never lose an error', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, async (spec) => {
        check(await runTree(spec));
      }),
      { numRuns: Number(process.env['TSIO_PROPERTY_RUNS'] ?? 50) },
    );
  }, 60_000);
});
