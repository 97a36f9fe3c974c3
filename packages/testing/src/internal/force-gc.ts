import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full garbage collection, so that futures nobody references any more are collected
 * and their "exception was never retrieved" reports (a FinalizationRegistry callback) become
 * due. Uses `global.gc` when Node runs with `--expose-gc`; otherwise gets the same function
 * from a fresh V8 context created with the flag turned on for a moment (the flag is turned
 * off again, so that later contexts do not see a `gc` global). Returns false if neither
 * works.
 */
export function forceGc(): boolean {
  if (collect === undefined) collect = findGc();
  if (collect === null) return false;
  collect();
  return true;
}

function findGc(): (() => void) | null {
  const exposed: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
