// Property tests of StreamReader: any chunking of any byte sequence gives the results of the
// whole sequence fed at once, and cancelling a read at any point loses no bytes.
import { describe, expect, it } from '@jest/globals';
import { IncompleteReadError, isCancelledError, ValueError } from '@tsio/core';
import type { AbstractTask } from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import fc from 'fast-check';
import { StreamReader } from '../src/index.js';

// A small alphabet, so separators (and their prefixes) occur often and straddle chunks.
const byteArb = fc.constantFrom(0x61, 0x62, 0x0a, 0x0d, 0x58);
const bytesArb = (maxLength: number): fc.Arbitrary<number[]> => fc.array(byteArb, { maxLength });
const separatorArb = fc
  .array(byteArb, { minLength: 1, maxLength: 3 })
  .map((bytes) => Uint8Array.from(bytes));

type Read =
  | { readonly kind: 'readline' }
  | { readonly kind: 'readexactly'; readonly n: number }
  | { readonly kind: 'readuntil'; readonly separators: readonly Uint8Array[] };

const readArb: fc.Arbitrary<Read> = fc.oneof(
  fc.constant({ kind: 'readline' } as const),
  fc.record({ kind: fc.constant('readexactly' as const), n: fc.integer({ min: 0, max: 12 }) }),
  fc.record({
    kind: fc.constant('readuntil' as const),
    separators: fc.array(separatorArb, { minLength: 1, maxLength: 3 }),
  }),
);

/** An outcome as a comparable string. */
type Outcome = string;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function describeError(error: unknown): Outcome {
  if (error instanceof IncompleteReadError) {
    return `incomplete ${hex(error.partial)} ${String(error.expected)}`;
  }
  if (error instanceof ValueError) return `ValueError ${error.message}`;
  throw error;
}

async function perform(reader: StreamReader, read: Read): Promise<Outcome> {
  try {
    switch (read.kind) {
      case 'readline':
        return `ok ${hex(await reader.readline())}`;
      case 'readexactly':
        return `ok ${hex(await reader.readexactly(read.n))}`;
      case 'readuntil':
        return `ok ${hex(await reader.readuntil(read.separators))}`;
    }
  } catch (error) {
    return describeError(error);
  }
}

/** The first index of `needle` in `hay` at or after `from`, or -1. */
function find(hay: readonly number[], needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** What the reads give on `data`, all of it buffered before end of file, with no limit. */
function model(data: readonly number[], reads: readonly Read[]): Outcome[] {
  let rest = [...data];
  const take = (n: number): number[] => {
    const out = rest.slice(0, n);
    rest = rest.slice(n);
    return out;
  };
  return reads.map((read) => {
    if (read.kind === 'readexactly') {
      if (rest.length < read.n)
        return `incomplete ${hex(Uint8Array.from(take(rest.length)))} ${read.n}`;
      return `ok ${hex(Uint8Array.from(take(read.n)))}`;
    }
    const separators = read.kind === 'readline' ? [Uint8Array.of(0x0a)] : read.separators;
    let end = -1;
    for (const separator of separators) {
      const at = find(rest, separator, 0);
      if (at !== -1 && (end === -1 || at + separator.length < end)) end = at + separator.length;
    }
    if (end !== -1) return `ok ${hex(Uint8Array.from(take(end)))}`;
    const partial = hex(Uint8Array.from(take(rest.length)));
    return read.kind === 'readline' ? `ok ${partial}` : `incomplete ${partial} null`;
  });
}

/** Splits `data` at the given cut points (any chunking, 1-byte chunks included). */
function chunk(data: readonly number[], cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, data.length]) {
    if (point > from) chunks.push(Uint8Array.from(data.slice(from, point)));
    from = Math.max(from, point);
  }
  return chunks;
}

/** Lets the loop run a few iterations. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await sleep(0);
}

describe('StreamReader properties', () => {
  it('any chunking gives the results of the whole sequence (readline, readexactly, readuntil)', async () => {
    await run(async () => {
      await fc.assert(
        fc.asyncProperty(
          bytesArb(60),
          fc.array(fc.nat(), { maxLength: 60 }),
          fc.array(readArb, { maxLength: 12 }),
          fc.boolean(),
          async (data, cuts, reads, allOneByte) => {
            const expected = model(data, reads);
            const limit = data.length + 8; // no line can overrun
            // Fed whole, then end of file.
            const whole = new StreamReader({ limit });
            if (data.length > 0) whole.feedData(Uint8Array.from(data));
            whole.feedEof();
            const wholeResults: Outcome[] = [];
            for (const read of reads) wholeResults.push(await perform(whole, read));
            expect(wholeResults).toEqual(expected);
            // Fed in chunks while a consumer task reads (so reads wait between chunks).
            const chunks = allOneByte ? data.map((b) => Uint8Array.of(b)) : chunk(data, cuts);
            const reader = new StreamReader({ limit });
            const consumer = createTask(async () => {
              const results: Outcome[] = [];
              for (const read of reads) results.push(await perform(reader, read));
              return results;
            });
            for (const part of chunks) {
              reader.feedData(part);
              await sleep(0);
            }
            reader.feedEof();
            expect(await consumer).toEqual(expected);
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  it('read(n) in any chunking returns the sequence in order, each result 1..n bytes', async () => {
    await run(async () => {
      await fc.assert(
        fc.asyncProperty(
          bytesArb(80),
          fc.array(fc.nat(), { maxLength: 40 }),
          fc.integer({ min: 1, max: 9 }),
          async (data, cuts, n) => {
            const reader = new StreamReader({ limit: 4 });
            const consumer = createTask(async () => {
              const got: number[] = [];
              for (;;) {
                const block = await reader.read(n);
                if (block.length === 0) return got;
                expect(block.length).toBeLessThanOrEqual(n);
                got.push(...block);
              }
            });
            for (const part of chunk(data, cuts)) {
              reader.feedData(part);
              await sleep(0);
            }
            reader.feedEof();
            expect(await consumer).toEqual(data);
            const all = new StreamReader({ limit: 4 });
            for (const part of chunk(data, cuts)) all.feedData(part);
            all.feedEof();
            expect([...(await all.read())]).toEqual(data);
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  it('readline() over the limit drops that line and the reader goes on (data buffered first)', async () => {
    await run(async () => {
      await fc.assert(
        fc.asyncProperty(bytesArb(60), fc.integer({ min: 1, max: 6 }), async (data, limit) => {
          const reader = new StreamReader({ limit });
          if (data.length > 0) reader.feedData(Uint8Array.from(data));
          reader.feedEof();
          let rest = [...data];
          for (;;) {
            const newline = rest.indexOf(0x0a);
            const outcome = await perform(reader, { kind: 'readline' });
            if (newline !== -1) {
              expect(outcome).toBe(
                newline > limit
                  ? 'ValueError Separator is found, but chunk is longer than limit'
                  : `ok ${hex(Uint8Array.from(rest.slice(0, newline + 1)))}`,
              );
              rest = rest.slice(newline + 1);
              continue;
            }
            expect(outcome).toBe(
              rest.length > limit
                ? 'ValueError Separator is not found, and chunk exceed the limit'
                : `ok ${hex(Uint8Array.from(rest))}`,
            );
            break;
          }
          expect(await perform(reader, { kind: 'readline' })).toBe('ok ');
          expect(reader.atEof()).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });

  type Step =
    | { readonly feed: number[] }
    | { readonly start: Read | { readonly kind: 'read'; readonly n: number } }
    | { readonly cancel: true }
    | { readonly settle: true };

  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ feed: bytesArb(6) }),
    fc.record({
      start: fc.oneof(
        readArb,
        fc.record({ kind: fc.constant('read' as const), n: fc.integer({ min: -1, max: 7 }) }),
      ),
    }),
    fc.constant({ cancel: true } as const),
    fc.constant({ settle: true } as const),
  );

  it('cancelling a read at any point loses no bytes (random feeds, reads and cancellations)', async () => {
    await run(async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), async (steps) => {
          // A limit no line reaches: every consumed byte is in a result or a partial.
          const reader = new StreamReader({ limit: 1000 });
          const fed: number[] = [];
          const consumed: number[] = [];
          let pending: AbstractTask<void> | null = null;
          // What a read gives is recorded by the reading coroutine itself as soon as it has it:
          // a task cancelled after that still ends cancelled (python-differences item 7), but
          // the bytes reached the reader's caller.
          const readOnce = async (what: Extract<Step, { start: unknown }>['start']) => {
            try {
              if (what.kind === 'read') return await reader.read(what.n);
              if (what.kind === 'readline') return await reader.readline();
              if (what.kind === 'readexactly') return await reader.readexactly(what.n);
              return await reader.readuntil(what.separators);
            } catch (error) {
              if (error instanceof IncompleteReadError) return error.partial;
              throw error;
            }
          };
          const start = (step: Extract<Step, { start: unknown }>): AbstractTask<void> =>
            createTask(async () => {
              consumed.push(...(await readOnce(step.start)));
            });
          for (const step of steps) {
            if ('feed' in step) {
              if (step.feed.length > 0) reader.feedData(Uint8Array.from(step.feed));
              fed.push(...step.feed);
            } else if ('start' in step) {
              // One read at a time, so the order of the results is the order of the bytes.
              if (pending === null) pending = start(step);
            } else if ('cancel' in step) {
              pending?.cancel();
            }
            await sleep(0);
            if (pending?.done()) pending = null;
          }
          reader.feedEof();
          if (pending !== null) {
            try {
              await pending;
            } catch (error) {
              if (!isCancelledError(error)) throw error;
            }
          }
          await settle();
          consumed.push(...(await reader.read()));
          expect(consumed).toEqual(fed);
        }),
        { numRuns: 400 },
      );
    });
  });
});
