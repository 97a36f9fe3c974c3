// The pair a contract check runs on: how a transport suite makes one, what it can do, and the
// harness that runs a check on a fresh pair in a fresh loop and tears it down, checking the
// callback rules of every protocol involved.
import type { BaseTransport, ReadTransport, Transport, WriteTransport } from '@tsio/core';
import { waitFor } from '@tsio/futures';
import { run } from '@tsio/policies';
import { contractViolations, RecordingProtocol, WAIT_SECONDS } from './recording-protocol.js';

/** One end of a pair: a tsio transport and the recording protocol it calls. */
export interface StreamEnd {
  readonly transport: BaseTransport;
  readonly protocol: RecordingProtocol;
}

/**
 * A connected pair of stream transports. `a` writes to `b`; for a bidirectional pair (sockets)
 * `b` writes to `a` as well. For a one-directional pair (pipes) `a` is the write end and `b`
 * the read end.
 */
export interface StreamPair {
  readonly a: StreamEnd;
  readonly b: StreamEnd;
  /** Releases what the pair holds besides its transports (server, child, files). */
  close(): Promise<void>;
}

/**
 * Makes a connected pair inside the running loop; each transport's protocol must come from
 * `newProtocol` (called with 'a' for the writing end and 'b' for the other), so that the
 * suite records every callback from connectionMade on.
 */
export type MakeStreamPair = (
  newProtocol: (side: 'a' | 'b') => RecordingProtocol,
) => Promise<StreamPair>;

/** What a pair can do; the checks that need more are skipped, with the reason in their title. */
export interface StreamPairCapabilities {
  /** Both ends read and write (sockets); false for a pipe pair (a writes, b reads). */
  readonly bidirectional: boolean;
  /** What `a.transport.canWriteEof()` returns (false for TLS, as in asyncio). */
  readonly canWriteEof: boolean;
  /** b's transport feeds a BufferedProtocol (asyncio's pipes do not; tsio's do). */
  readonly bufferedProtocol?: boolean;
  /** Extra-info names each end must report (not null). */
  readonly extraInfo?: { readonly a?: readonly string[]; readonly b?: readonly string[] };
}

/** What a check may tell the harness. */
export interface CheckContext {
  /** Protocols installed with setProtocol: they must never see connectionMade. */
  readonly switchedTo: RecordingProtocol[];
}

/** Options of one check's pair. */
export interface PairSetup {
  /** Adjusts each protocol before its transport exists (e.g. a greeting). */
  readonly protocol?: (side: 'a' | 'b', p: RecordingProtocol) => void;
}

/** `end`'s transport as a write transport. */
export function writer(end: StreamEnd): WriteTransport {
  const t = end.transport as Partial<WriteTransport>;
  if (typeof t.write !== 'function') throw new Error(`${end.protocol.label} cannot write`);
  return end.transport as WriteTransport;
}

/** `end`'s transport as a read transport. */
export function reader(end: StreamEnd): ReadTransport {
  const t = end.transport as Partial<ReadTransport>;
  if (typeof t.pauseReading !== 'function') throw new Error(`${end.protocol.label} cannot read`);
  return end.transport as ReadTransport;
}

/** `end`'s transport as a two-way transport. */
export function twoWay(end: StreamEnd): Transport {
  writer(end);
  reader(end);
  return end.transport as Transport;
}

/** The protocol installed on `end`'s transport now: a recording one, or one feeding its `sink`. */
function currentProtocol(end: StreamEnd): RecordingProtocol {
  const p = end.transport.getProtocol();
  if (p instanceof RecordingProtocol) return p;
  const sink = (p as { sink?: unknown }).sink;
  return sink instanceof RecordingProtocol ? sink : end.protocol;
}

async function settle(what: string, p: Promise<unknown>, problems: string[]): Promise<void> {
  try {
    await p;
  } catch (error) {
    problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A jest test body: in a fresh loop (`run`), makes a pair, runs `check` on it, then closes
 * whatever is still open (abort where possible), waits for every connectionLost and for
 * `pair.close()`, and fails on any broken callback rule (see contractViolations).
 */
export function withPair(
  makePair: MakeStreamPair,
  check: (pair: StreamPair, ctx: CheckContext) => Promise<void>,
  setup: PairSetup = {},
): () => Promise<void> {
  return () =>
    run(async () => {
      const made: RecordingProtocol[] = [];
      const pair = await makePair((side) => {
        const p = new RecordingProtocol(made.some((m) => m.label === side) ? `${side}'` : side);
        setup.protocol?.(side, p);
        made.push(p);
        return p;
      });
      const ctx: CheckContext = { switchedTo: [] };
      let failure: unknown = null;
      try {
        await check(pair, ctx);
      } catch (error) {
        failure = error;
      }
      const problems: string[] = [];
      for (const end of [pair.a, pair.b]) {
        if (end.transport.isClosing()) continue;
        const t = end.transport as Partial<WriteTransport>;
        if (typeof t.abort === 'function') t.abort();
        else end.transport.close();
      }
      const current = [currentProtocol(pair.a), currentProtocol(pair.b)];
      for (const p of current) await settle('teardown', p.untilLost(), problems);
      await settle('pair.close()', waitFor(pair.close(), WAIT_SECONDS), problems);
      for (const p of [...made, ...ctx.switchedTo]) {
        problems.push(
          ...contractViolations(p, {
            switchedTo: ctx.switchedTo.includes(p),
            closed: current.includes(p),
          }),
        );
      }
      if (failure !== null) {
        if (failure instanceof Error && problems.length > 0) {
          failure.message += `\nand after the check:\n  ${problems.join('\n  ')}`;
        }
        throw failure;
      }
      if (problems.length > 0) throw new Error(problems.join('\n'));
    });
}
