// The stream transport contract: what every tsio stream transport (TCP, TLS, Unix sockets,
// pipes) does, checked on a real connected pair, as Trio's check_two_way_stream checks every
// Trio stream. A suite instantiates it with a pair factory and the pair's capabilities; checks
// that do not apply to a pair are listed as skipped, with the reason in their title.
// The CPython tests named in titles check the same behaviour on asyncio's transports.
import { NotImplementedError, ValueError } from '@tsio/core';
import { sleep } from '@tsio/futures';
import fc from 'fast-check';
import { BufferedProtocol } from '../../src/index.js';
import { concat, expectBytes, expectPrefix, patterned } from './bytes.js';
import type { MakeStreamPair, StreamPairCapabilities } from './pair-harness.js';
import { reader, twoWay, withPair, writer } from './pair-harness.js';
import { RecordingProtocol } from './recording-protocol.js';

export type {
  MakeStreamPair,
  StreamEnd,
  StreamPair,
  StreamPairCapabilities,
} from './pair-harness.js';
export { RecordingProtocol } from './recording-protocol.js';

/**
 * A BufferedProtocol with a small buffer (so a chunk takes several getBuffer calls) that
 * passes everything on to a recording protocol, its `sink`.
 */
class FeedingBufferedProtocol extends BufferedProtocol {
  private readonly buffer = new Uint8Array(1000);
  readonly sizehints: number[] = [];

  constructor(readonly sink: RecordingProtocol) {
    super();
  }

  override getBuffer(sizehint: number): Uint8Array {
    this.sizehints.push(sizehint);
    return this.buffer;
  }

  override bufferUpdated(nbytes: number): void {
    this.sink.dataReceived(this.buffer.subarray(0, nbytes));
  }

  override eofReceived(): boolean {
    return this.sink.eofReceived();
  }

  override connectionLost(exc: Error | null): void {
    this.sink.connectionLost(exc);
  }
}

/** Jest timeout of one check (real sockets and processes on a shared machine). */
const CHECK_MS = 120_000;
/** How long a check waits to see that something does NOT happen. */
const QUIET_SECONDS = 0.5;

const GREETING_A = new TextEncoder().encode('hello a, from b');
const GREETING_B = new TextEncoder().encode('hello b, from a');

/** A chunk for the random writes: empty, small, medium or larger than a socket read. */
const chunkArb = fc
  .tuple(
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(new Uint8Array(0)) },
      { weight: 6, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      { weight: 3, arbitrary: fc.uint8Array({ minLength: 1000, maxLength: 20_000 }) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 65_536, max: 300_000 }).map((n) => patterned(n, n)),
      },
    ),
    fc.nat(7),
  )
  // A view into a larger buffer, at an offset: transports must honour byteOffset. Shown in
  // counterexamples by its length only.
  .map(([chunk, offset]) => {
    const backing = new Uint8Array(chunk.length + offset + 3).fill(0xee);
    backing.set(chunk, offset);
    const bytes = backing.subarray(offset, offset + chunk.length);
    return { bytes, [fc.toStringMethod]: () => `<${bytes.length} bytes at +${offset}>` };
  });

/** Groups of chunks: a group of one is a write(), any other a writelines(); maybe a yield after. */
const writesArb = fc.array(fc.tuple(fc.array(chunkArb, { maxLength: 4 }), fc.boolean()), {
  maxLength: 12,
});

/**
 * Declares the contract checks for the stream transports that `makePair` connects.
 *
 * @param name what the pair is, e.g. `'TCP over 127.0.0.1'`
 * @param makePair makes a connected pair in the running loop
 * @param caps what the pair can do; the checks needing more are `it.skip` with the reason
 */
export function describeStreamTransportContract(
  name: string,
  makePair: MakeStreamPair,
  caps: StreamPairCapabilities,
): void {
  const oneWayReason = 'one-directional pair: b does not write';
  const check = (
    title: string,
    skipReason: string | null,
    body: () => Promise<void>,
    timeout = CHECK_MS,
  ): void => {
    if (skipReason === null) it(title, body, timeout);
    else it.skip(`${title} [skipped: ${skipReason}]`, body);
  };
  const twoWayOnly = caps.bidirectional ? null : oneWayReason;
  const eofOnly = caps.canWriteEof ? null : 'canWriteEof() is false for this transport';

  describe(`stream transport contract: ${name}`, () => {
    for (const [from, to] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      check(
        `delivers bytes intact and in order from ${from} to ${to}, for random chunkings with empty writes (test_write, test_write_no_data, test_write_memoryview)`,
        from === 'b' ? twoWayOnly : null,
        withPair(makePair, async (pair) => {
          const w = writer(pair[from]);
          const receiver = pair[to].protocol;
          await fc.assert(
            fc.asyncProperty(writesArb, async (groups) => {
              const start = receiver.receivedLength;
              const sent: Uint8Array[] = [];
              for (const [group, yieldAfter] of groups) {
                if (group.length === 1) w.write(group[0]!.bytes);
                else w.writelines(group.map((c) => c.bytes));
                sent.push(...group.map((c) => Uint8Array.from(c.bytes)));
                if (yieldAfter) await sleep(0);
              }
              const want = concat(sent);
              await receiver.untilReceived(start + want.length);
              expectBytes(receiver.received().subarray(start), want, `${to} received`);
            }),
            // No shrinking: after a failure the pair's stream is out of step, so it would only
            // time out again and again.
            { numRuns: 30, endOnFailure: true },
          );
        }),
        2 * CHECK_MS,
      );
    }

    check(
      'writelines() sends every chunk in order, from an array or any iterable (test_writelines_send_full)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const w = writer(a);
        const parts = [patterned(10), new Uint8Array(0), patterned(100_000, 10), patterned(3, 7)];
        w.writelines(parts);
        w.writelines([]);
        w.writelines(
          (function* () {
            yield patterned(5, 1);
            yield patterned(70_000, 2);
          })(),
        );
        const want = concat([...parts, patterned(5, 1), patterned(70_000, 2)]);
        await b.protocol.untilReceived(want.length);
        expectBytes(b.protocol.received(), want, 'b received');
      }),
    );

    check(
      "calls connectionMade before any dataReceived, even for data written from the peer's connectionMade",
      null,
      withPair(
        makePair,
        async ({ a, b }) => {
          await b.protocol.untilReceived(GREETING_B.length);
          expectBytes(b.protocol.received(), GREETING_B, 'b received');
          if (caps.bidirectional) {
            await a.protocol.untilReceived(GREETING_A.length);
            expectBytes(a.protocol.received(), GREETING_A, 'a received');
          }
          for (const p of [a.protocol, b.protocol]) {
            expect(p.events[0]).toEqual({ kind: 'made' });
            expect(p.transport).toBe(p === a.protocol ? a.transport : b.transport);
          }
        },
        {
          protocol: (side, p) => {
            if (side === 'a') p.greeting = GREETING_B;
            else if (caps.bidirectional) p.greeting = GREETING_A;
          },
        },
      ),
    );

    check(
      'after close() on one end, both ends get connectionLost(null) exactly once and last; later close()/abort() do nothing (test_connection_lost)',
      null,
      withPair(makePair, async ({ a, b }) => {
        a.transport.close();
        await a.protocol.untilLost();
        await b.protocol.untilLost();
        a.transport.close();
        writer(a).abort();
        b.transport.close();
        await sleep(QUIET_SECONDS);
        for (const p of [a.protocol, b.protocol]) {
          expect(p.count('lost')).toBe(1);
          expect(p.events[p.events.length - 1]).toEqual({ kind: 'lost', exc: null });
        }
      }),
    );

    check(
      'close() flushes the write buffer before connectionLost(null), on both ends (test_close_write_buffer)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const data = patterned(4 * 1024 * 1024);
        writer(a).write(data);
        a.transport.close();
        await a.protocol.untilLost();
        await b.protocol.untilLost();
        expectBytes(b.protocol.received(), data, 'b received before connectionLost');
        expect(a.protocol.lost()?.exc).toBeNull();
        expect(b.protocol.lost()?.exc).toBeNull();
      }),
    );

    check(
      'when one end closes, the other gets eofReceived after the last data, then connectionLost(null) (test_read_ready_eof)',
      null,
      withPair(makePair, async ({ a, b }) => {
        writer(a).write(patterned(200_000));
        a.transport.close();
        await b.protocol.untilLost();
        const kinds = b.protocol.events.map((e) => e.kind).filter((k) => k !== 'data');
        expect(kinds).toEqual(['made', 'eof', 'lost']);
        expect(b.protocol.receivedLength).toBe(200_000);
      }),
    );

    check(
      'abort() drops the write buffer at once, calls connectionLost(null) once, and later writes are dropped (test_abort, test_force_close)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const w = writer(a);
        reader(b).pauseReading();
        const chunk = 256 * 1024;
        let sent = 0;
        // Node counts a chunk as buffered until its write callback, even once the kernel has
        // taken it all: fill well past one chunk so that bytes surely wait in the buffer.
        while (w.getWriteBufferSize() <= 4 * chunk) {
          if (sent >= 512 * 1024 * 1024) throw new Error('the write buffer stayed empty');
          w.write(patterned(chunk, sent));
          sent += chunk;
          await sleep(0);
        }
        w.abort();
        expect(w.getWriteBufferSize()).toBe(0);
        expect(a.transport.isClosing()).toBe(true);
        expect(() => w.write(patterned(10))).not.toThrow();
        reader(b).resumeReading();
        await a.protocol.untilLost();
        await b.protocol.untilLost();
        expect(() => w.write(patterned(10))).not.toThrow();
        expect(a.protocol.count('lost')).toBe(1);
        expect(a.protocol.lost()?.exc).toBeNull();
        expectPrefix(b.protocol.received(), patterned(sent), 'b received');
        expect(b.protocol.receivedLength).toBeLessThan(sent);
      }),
    );

    check(
      'isClosing() is false while open and true after close() or abort()',
      null,
      withPair(makePair, async ({ a, b }) => {
        expect(a.transport.isClosing()).toBe(false);
        expect(b.transport.isClosing()).toBe(false);
        writer(a).abort();
        expect(a.transport.isClosing()).toBe(true);
        b.transport.close();
        expect(b.transport.isClosing()).toBe(true);
        await a.protocol.untilLost();
        await b.protocol.untilLost();
        expect(a.transport.isClosing()).toBe(true);
        expect(b.transport.isClosing()).toBe(true);
      }),
    );

    check(
      'close() twice flushes once and calls connectionLost once (test_close_already_closing)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const data = patterned(1024 * 1024);
        writer(a).write(data);
        a.transport.close();
        a.transport.close();
        await a.protocol.untilLost();
        await b.protocol.untilLost();
        expectBytes(b.protocol.received(), data, 'b received');
        expect(a.protocol.count('lost')).toBe(1);
      }),
    );

    check(
      'write() after close() is dropped without throwing (test_write_closing)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const w = writer(a);
        a.transport.close();
        expect(() => w.write(patterned(100))).not.toThrow();
        expect(() => w.writelines([patterned(100)])).not.toThrow();
        await a.protocol.untilLost();
        await b.protocol.untilLost();
        expect(() => w.write(patterned(100))).not.toThrow();
        expect(b.protocol.receivedLength).toBe(0);
      }),
    );

    check(
      'write() of a string, a number or null throws TypeError, even when closed, and sends nothing (test_write_str)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const w = writer(a);
        const bad: unknown[] = ['abc', 42, null, [1, 2, 3]];
        for (const value of bad) {
          expect(() => w.write(value as Uint8Array)).toThrow(TypeError);
          expect(() => w.writelines([value as Uint8Array])).toThrow(TypeError);
        }
        w.write(patterned(10));
        await b.protocol.untilReceived(10);
        a.transport.close();
        expect(() => w.write('abc' as unknown as Uint8Array)).toThrow(TypeError);
        await b.protocol.untilLost();
        expectBytes(b.protocol.received(), patterned(10), 'b received');
      }),
    );

    check(
      `canWriteEof() is ${caps.canWriteEof}${caps.canWriteEof ? '' : ' and writeEof() throws NotImplementedError'}`,
      null,
      withPair(makePair, async ({ a, b }) => {
        const w = writer(a);
        expect(w.canWriteEof()).toBe(caps.canWriteEof);
        if (caps.canWriteEof) return;
        expect(() => w.writeEof()).toThrow(NotImplementedError);
        w.write(patterned(10));
        await b.protocol.untilReceived(10);
        expect(b.protocol.count('eof')).toBe(0);
      }),
    );

    check(
      'writeEof() flushes the buffer, then the peer gets eofReceived; writeEof() twice does nothing (test_write_eof, test_write_eof_buffer)',
      eofOnly,
      withPair(
        makePair,
        async ({ a, b }) => {
          const w = writer(a);
          const data = patterned(2 * 1024 * 1024);
          w.write(data);
          w.writeEof();
          w.writeEof();
          await b.protocol.until((p) => p.count('eof') > 0, 'b to get eofReceived');
          expectBytes(b.protocol.received(), data, 'b received before eofReceived');
          expect(b.protocol.count('eof')).toBe(1);
        },
        { protocol: (side, p) => (p.keepOpenOnEof = side === 'b') },
      ),
    );

    check(
      'after writeEof() the peer, kept open by eofReceived() returning true, can still write back (half-close)',
      eofOnly ?? twoWayOnly,
      withPair(
        makePair,
        async ({ a, b }) => {
          writer(a).writeEof();
          await b.protocol.until((p) => p.count('eof') > 0, 'b to get eofReceived');
          expect(b.transport.isClosing()).toBe(false);
          const reply = patterned(300_000, 5);
          twoWay(b).write(reply);
          await a.protocol.untilReceived(reply.length);
          expectBytes(a.protocol.received(), reply, 'a received');
          b.transport.close();
          await a.protocol.untilLost();
          await b.protocol.untilLost();
          expect(a.protocol.events.map((e) => e.kind).filter((k) => k !== 'data')).toEqual([
            'made',
            'eof',
            'lost',
          ]);
          expect(a.protocol.lost()?.exc).toBeNull();
          expect(b.protocol.lost()?.exc).toBeNull();
        },
        { protocol: (side, p) => (p.keepOpenOnEof = side === 'b') },
      ),
    );

    check(
      'pauseReading() stops dataReceived and resumeReading() delivers the kept bytes; isReading() follows; both are idempotent (test_pause_resume_reading)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const r = reader(b);
        expect(r.isReading()).toBe(true);
        r.pauseReading();
        r.pauseReading();
        expect(r.isReading()).toBe(false);
        const data = patterned(300_000);
        writer(a).write(data);
        await sleep(QUIET_SECONDS);
        expect(b.protocol.receivedLength).toBe(0);
        r.resumeReading();
        r.resumeReading();
        expect(r.isReading()).toBe(true);
        await b.protocol.untilReceived(data.length);
        expectBytes(b.protocol.received(), data, 'b received');
      }),
    );

    check(
      'isReading() is false once closing, and pauseReading()/resumeReading() then do nothing (test_pause_reading_on_closed_pipe, test_resume_reading_on_closed_pipe)',
      null,
      withPair(makePair, async ({ b }) => {
        const r = reader(b);
        b.transport.close();
        expect(r.isReading()).toBe(false);
        expect(() => r.pauseReading()).not.toThrow();
        expect(() => r.resumeReading()).not.toThrow();
        expect(r.isReading()).toBe(false);
        await b.protocol.untilLost();
        expect(r.isReading()).toBe(false);
      }),
    );

    check(
      "setWriteBufferLimits() and getWriteBufferLimits() follow asyncio's defaults and checks (test_flowcontrol_mixin_set_write_limits)",
      null,
      withPair(makePair, async ({ a }) => {
        const w = writer(a);
        expect(w.getWriteBufferLimits()).toEqual([16384, 65536]);
        expect(w.getWriteBufferSize()).toBe(0);
        w.setWriteBufferLimits({ high: 100 });
        expect(w.getWriteBufferLimits()).toEqual([25, 100]);
        w.setWriteBufferLimits({ low: 100 });
        expect(w.getWriteBufferLimits()).toEqual([100, 400]);
        w.setWriteBufferLimits({ high: 1000, low: 10 });
        expect(w.getWriteBufferLimits()).toEqual([10, 1000]);
        w.setWriteBufferLimits({ high: 0 });
        expect(w.getWriteBufferLimits()).toEqual([0, 0]);
        w.setWriteBufferLimits();
        expect(w.getWriteBufferLimits()).toEqual([16384, 65536]);
        expect(() => w.setWriteBufferLimits({ high: 10, low: 20 })).toThrow(ValueError);
        expect(() => w.setWriteBufferLimits({ high: -1 })).toThrow(ValueError);
        expect(w.getWriteBufferLimits()).toEqual([16384, 65536]);
      }),
    );

    check(
      'pauseWriting() when over the high mark, resumeWriting() when drained to the low mark, always in pairs (test_flowcontrol_mixin_set_write_limits)',
      null,
      withPair(makePair, async ({ a, b }) => {
        const w = writer(a);
        const r = reader(b);
        const high = 64 * 1024;
        const low = 16 * 1024;
        w.setWriteBufferLimits({ high, low });
        const flow = (): string =>
          a.protocol.events.filter((e) => e.kind === 'pause' || e.kind === 'resume').pop()?.kind ??
          'none';
        const chunk = 256 * 1024;
        let sent = 0;
        for (let round = 1; round <= 2; round++) {
          // The reader stops, so the writer's buffer must fill up and pause the protocol.
          r.pauseReading();
          const pausesBefore = a.protocol.count('pause');
          while (a.protocol.count('pause') === pausesBefore) {
            if (sent >= 512 * 1024 * 1024) throw new Error('pauseWriting was never called');
            w.write(patterned(chunk, sent));
            sent += chunk;
            await sleep(0);
          }
          if (flow() === 'pause') {
            // Writing while paused buffers more, without a second pauseWriting.
            const pauses = a.protocol.count('pause');
            w.write(patterned(chunk, sent));
            sent += chunk;
            expect(a.protocol.count('pause')).toBe(pauses);
          }
          r.resumeReading();
          await b.protocol.untilReceived(sent);
          // All delivered: the buffer is empty, so the protocol was told to resume.
          await a.protocol.until(() => flow() === 'resume', "a's resumeWriting");
          expect(w.getWriteBufferSize()).toBe(0);
        }
        expectBytes(b.protocol.received(), patterned(sent), 'b received');
        for (const e of a.protocol.events) {
          if (e.kind === 'pause' && !(e.bufferSize > high)) {
            throw new Error(
              `pauseWriting was called with ${e.bufferSize} bytes buffered, not over ${high}`,
            );
          }
          if (e.kind === 'resume' && !(e.bufferSize <= low)) {
            throw new Error(
              `resumeWriting was called with ${e.bufferSize} bytes buffered, over ${low}`,
            );
          }
        }
      }),
    );

    check(
      'setProtocol() sends every later callback to the new protocol; getProtocol() returns it (test_proto_type_switch)',
      null,
      withPair(makePair, async ({ a, b }, ctx) => {
        writer(a).write(patterned(10));
        await b.protocol.untilReceived(10);
        expect(b.transport.getProtocol()).toBe(b.protocol);
        const next = new RecordingProtocol('b after setProtocol');
        ctx.switchedTo.push(next);
        b.transport.setProtocol(next);
        expect(b.transport.getProtocol()).toBe(next);
        writer(a).write(patterned(100_000, 10));
        a.transport.close();
        await next.untilLost();
        expectBytes(next.received(), patterned(100_000, 10), 'the new protocol received');
        expect(next.lost()?.exc).toBeNull();
        expect(b.protocol.receivedLength).toBe(10);
        expect(b.protocol.count('lost')).toBe(0);
      }),
    );

    check(
      'setProtocol() to a BufferedProtocol: later bytes arrive through getBuffer()/bufferUpdated(), intact (test_proto_type_switch)',
      caps.bufferedProtocol === true ? null : 'this transport does not feed a BufferedProtocol',
      withPair(makePair, async ({ a, b }, ctx) => {
        writer(a).write(patterned(10));
        await b.protocol.untilReceived(10);
        const next = new FeedingBufferedProtocol(new RecordingProtocol('b buffered'));
        ctx.switchedTo.push(next.sink);
        b.transport.setProtocol(next);
        const data = patterned(500_000, 10);
        writer(a).write(data);
        await next.sink.untilReceived(data.length);
        expectBytes(next.sink.received(), data, 'the BufferedProtocol received');
        expect(next.sizehints.every((h) => h === -1 || h > 0)).toBe(true);
        expect(b.protocol.receivedLength).toBe(10);
      }),
    );

    check(
      'getExtraInfo() returns null, or the given default, for an unknown name, and the names this transport has',
      null,
      withPair(makePair, async ({ a, b }) => {
        for (const [end, names] of [
          [a, caps.extraInfo?.a ?? []],
          [b, caps.extraInfo?.b ?? []],
        ] as const) {
          expect(end.transport.getExtraInfo('no-such-info')).toBeNull();
          expect(end.transport.getExtraInfo('no-such-info', 42)).toBe(42);
          for (const n of names) {
            expect([n, end.transport.getExtraInfo(n) ?? null]).not.toEqual([n, null]);
          }
        }
      }),
    );
  });
}
