import type { Prng } from './prng.js';

/**
 * Shuffles `items` in place into a random interleaving of their groups: items with the same
 * key keep their relative order, and every interleaving of the groups is equally likely.
 * Deterministic for a given generator state, so a seed replays it.
 *
 * Works by dealing slots: each group owns as many slots as it has items, the slots are
 * shuffled (Fisher-Yates), and each slot takes the next item of its group.
 */
export function interleave<T>(items: T[], keyOf: (item: T) => unknown, rng: Prng): void {
  const groupOfKey = new Map<unknown, number>();
  const groups: T[][] = [];
  const slots: number[] = [];
  for (const item of items) {
    const key = keyOf(item);
    let index = groupOfKey.get(key);
    if (index === undefined) {
      index = groups.length;
      groupOfKey.set(key, index);
      groups.push([]);
    }
    (groups[index] as T[]).push(item);
    slots.push(index);
  }
  if (groups.length < 2) return;
  for (let i = slots.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const swap = slots[i] as number;
    slots[i] = slots[j] as number;
    slots[j] = swap;
  }
  const taken = new Array<number>(groups.length).fill(0);
  for (let i = 0; i < slots.length; i++) {
    const group = slots[i] as number;
    const next = taken[group] as number;
    items[i] = (groups[group] as T[])[next] as T;
    taken[group] = next + 1;
  }
}
