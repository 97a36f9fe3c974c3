import { ExceptionGroup, isCancelledError } from '@tsio/core';

/** A short name for an error, for traces: `ValueError(x)`, `CancelledError`, `EG[a, b]`. */
export function describeError(e: unknown): string {
  if (e instanceof ExceptionGroup) return `EG[${e.exceptions.map(describeError).join(', ')}]`;
  if (isCancelledError(e)) return 'CancelledError';
  if (e instanceof Error) return e.message === '' ? e.name : `${e.name}(${e.message})`;
  return `thrown ${String(e)}`;
}

/** Awaits `p` and reports how it ended. */
export async function settle(p: PromiseLike<unknown>): Promise<string> {
  try {
    return `ok ${String(await p)}`;
  } catch (e) {
    return `threw ${describeError(e)}`;
  }
}
