import type { Future } from '@tsio/futures';

/**
 * The waiting futures of a primitive, in arrival order. A `Set` keeps insertion order and
 * removes any member in O(1), which is what a waiter leaving early (cancelled) needs; asyncio
 * uses a deque and pays O(n) for `remove`.
 */
export type Waiters<T> = Set<Future<T>>;

/** The first waiter, woken or not, or null: asyncio's `next(iter(self._waiters))`. */
export function first<T>(waiters: Waiters<T>): Future<T> | null {
  for (const waiter of waiters) return waiter;
  return null;
}
