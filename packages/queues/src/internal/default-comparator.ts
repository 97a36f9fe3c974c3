type Key = number | string | bigint;

/**
 * PriorityQueue's default order: `<` on the item, or on the first element of an array item
 * (a `[priority, data]` pair). Only numbers, bigints and strings are ordered this way, as
 * Python's `<` refuses to compare unrelated types where JavaScript's would coerce them.
 *
 * @throws TypeError for another kind of key, or a string against a number.
 */
export function defaultComparator(a: unknown, b: unknown): number {
  const x = keyOf(a);
  const y = keyOf(b);
  if ((typeof x === 'string') !== (typeof y === 'string')) {
    throw new TypeError(
      `PriorityQueue cannot order ${describe(x)} against ${describe(y)} by default; ` +
        'pass a comparator option: new PriorityQueue({ comparator })',
    );
  }
  return x < y ? -1 : y < x ? 1 : 0;
}

function keyOf(item: unknown): Key {
  const key: unknown = Array.isArray(item) ? (item as unknown[])[0] : item;
  if (typeof key === 'number' || typeof key === 'string' || typeof key === 'bigint') return key;
  throw new TypeError(
    `PriorityQueue orders numbers, bigints and strings (or arrays starting with one) by ` +
      `default, got ${describe(key)}; pass a comparator option: new PriorityQueue({ comparator })`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value)
    ? 'an array'
    : `a ${value.constructor?.name ?? 'null-prototype'} object`;
}
