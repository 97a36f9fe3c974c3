/**
 * The program each worker thread of a `WorkerPoolExecutor` runs, as a CommonJS source string
 * started with `new Worker(WORKER_SOURCE, { eval: true })`.
 *
 * Why a string and not a file beside this one: the pool must work both from `dist/` and from
 * the TypeScript sources that jest runs through swc (the `@tsio/source` export condition). A
 * file located with `new URL('./worker-main.js', import.meta.url)` would point at a `.ts` file
 * under jest, which a worker cannot load, and swc's CommonJS output has no `import.meta` at
 * all. A string needs no build step and no file lookup, and Node supports dynamic `import()` in
 * eval'd worker code. It is plain ES2022 so that no compiler ever rewrites it (a function's
 * `toString()` would carry swc's helpers and coverage counters into the worker).
 *
 * Protocol (one job at a time per worker; the pool posts `run` only to an idle worker):
 * - pool -> worker `{ type: 'run', id, module, exportName, args }`: import `module`, call its
 *   export with `this = { signal }` and the arguments; reply `{ type: 'done', id, ok, value }`
 *   or `{ type: 'done', id, ok: false, error }` where `error` is a `SerializedThrow`.
 * - pool -> worker `{ type: 'abort', id }`: abort the signal of job `id` if it is running.
 *   While a job runs, the only messages the pool can send are aborts, so reading
 *   `signal.aborted` (or calling `signal.throwIfAborted()`) first drains them synchronously
 *   with `receiveMessageOnPort`: a CPU-bound job that never awaits still sees its cancellation.
 *
 * @internal
 */
export const WORKER_SOURCE = String.raw`'use strict';
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');

let current = null; // { id, controller } of the running job

function takeMessage(message) {
  if (message.type === 'abort') {
    // One port carries both kinds in order, so an abort never overtakes its run; an abort
    // for a job that has already finished is ignored.
    if (current !== null && message.id === current.id) current.controller.abort();
  } else if (message.type === 'run') {
    runJob(message);
  }
}

function drainAborts() {
  for (;;) {
    const received = receiveMessageOnPort(parentPort);
    if (received === undefined) return;
    takeMessage(received.message);
  }
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get;
const reasonGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'reason').get;
const throwIfAborted = AbortSignal.prototype.throwIfAborted;

function jobSignal(controller) {
  const signal = controller.signal;
  Object.defineProperties(signal, {
    aborted: { get() { drainAborts(); return abortedGetter.call(signal); } },
    reason: { get() { drainAborts(); return reasonGetter.call(signal); } },
    throwIfAborted: { value() { drainAborts(); throwIfAborted.call(signal); } },
  });
  return signal;
}

function serializeThrow(thrown, depth) {
  if (thrown !== null && typeof thrown === 'object' && typeof thrown.message === 'string' &&
      (thrown instanceof Error || typeof thrown.stack === 'string')) {
    const props = {};
    for (const key of Object.keys(thrown)) {
      if (key === 'message' || key === 'stack' || key === 'cause') continue;
      try { props[key] = structuredClone(thrown[key]); } catch { /* not cloneable: left out */ }
    }
    const serialized = {
      kind: 'error',
      name: typeof thrown.name === 'string' ? thrown.name : 'Error',
      message: thrown.message,
      stack: typeof thrown.stack === 'string' ? thrown.stack : undefined,
      props,
    };
    if ('cause' in thrown && depth < 4) serialized.cause = serializeThrow(thrown.cause, depth + 1);
    return serialized;
  }
  try {
    return { kind: 'value', value: structuredClone(thrown) };
  } catch {
    return { kind: 'value', value: String(thrown) };
  }
}

async function runJob({ id, module, exportName, args }) {
  const controller = new AbortController();
  current = { id, controller };
  let reply;
  try {
    const namespace = await import(module);
    const job = namespace[exportName];
    if (typeof job !== 'function') {
      throw new TypeError(
        'export ' + JSON.stringify(exportName) + ' of ' + module + ' is ' +
          (job === undefined ? 'missing' : 'not a function (' + typeof job + ')'),
      );
    }
    const value = await job.apply(Object.freeze({ signal: jobSignal(controller) }), args);
    reply = { type: 'done', id, ok: true, value };
  } catch (error) {
    reply = { type: 'done', id, ok: false, error: serializeThrow(error, 0) };
  }
  current = null;
  try {
    parentPort.postMessage(reply);
  } catch (error) {
    const why = new TypeError(
      'the result of ' + exportName + '() from ' + module +
        ' cannot be structured-cloned back to the calling thread: ' + String(error && error.message),
    );
    parentPort.postMessage({ type: 'done', id, ok: false, error: serializeThrow(why, 0) });
  }
}

parentPort.on('message', takeMessage);
`;
