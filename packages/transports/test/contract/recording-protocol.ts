// A protocol that records every callback a transport makes, for the transport contract suite,
// and lets a test wait (with a generous timeout) until the record satisfies a condition.
import { getRunningLoop, TimeoutError } from '@tsio/core';
import type { AbstractFuture, BaseTransport, Transport, WriteTransport } from '@tsio/core';
import { waitFor } from '@tsio/futures';
import { Protocol } from '../../src/index.js';

/** One protocol callback, as recorded. */
export type RecordedEvent =
  | { readonly kind: 'made' }
  | { readonly kind: 'data'; readonly data: Uint8Array }
  | { readonly kind: 'eof' }
  | { readonly kind: 'lost'; readonly exc: Error | null }
  | { readonly kind: 'pause'; readonly bufferSize: number }
  | { readonly kind: 'resume'; readonly bufferSize: number };

/** How long a test waits for something that should happen promptly (the machine is shared). */
export const WAIT_SECONDS = 15;

interface Waiter {
  readonly done: (p: RecordingProtocol) => boolean;
  readonly fut: AbstractFuture<void>;
}

/** Records the callbacks a transport makes on it. */
export class RecordingProtocol extends Protocol {
  readonly events: RecordedEvent[] = [];
  /** The transport given to `connectionMade` (null until then, and for a switched-to protocol). */
  transport: BaseTransport | null = null;
  /** What `eofReceived` returns: true keeps the transport half-open. */
  keepOpenOnEof = false;
  /** Bytes written from `connectionMade`, before the test gets the transport. */
  greeting: Uint8Array | null = null;
  private readonly chunks: Uint8Array[] = [];
  private length = 0;
  private waiters: Waiter[] = [];

  constructor(readonly label: string) {
    super();
  }

  override connectionMade(transport: Transport): void {
    this.transport = transport;
    this.record({ kind: 'made' });
    if (this.greeting !== null) transport.write(this.greeting);
  }

  override dataReceived(data: Uint8Array): void {
    // A copy: a transport may legitimately reuse its receive buffer after the callback.
    const copy = Uint8Array.from(data);
    this.chunks.push(copy);
    this.length += copy.length;
    this.record({ kind: 'data', data: copy });
  }

  override eofReceived(): boolean {
    this.record({ kind: 'eof' });
    return this.keepOpenOnEof;
  }

  override connectionLost(exc: Error | null): void {
    this.record({ kind: 'lost', exc });
  }

  override pauseWriting(): void {
    this.record({ kind: 'pause', bufferSize: this.writeBufferSize() });
  }

  override resumeWriting(): void {
    this.record({ kind: 'resume', bufferSize: this.writeBufferSize() });
  }

  /** The number of bytes received so far. */
  get receivedLength(): number {
    return this.length;
  }

  /** Everything received so far, in one array. */
  received(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** How many events of `kind` were recorded. */
  count(kind: RecordedEvent['kind']): number {
    return this.events.filter((e) => e.kind === kind).length;
  }

  /** The `connectionLost` event, if there was one. */
  lost(): { readonly exc: Error | null } | undefined {
    return this.events.find((e) => e.kind === 'lost') as { exc: Error | null } | undefined;
  }

  /** A one-line summary of the record, for failure messages. */
  summary(): string {
    const parts: string[] = [];
    for (const e of this.events) {
      const last = parts.length - 1;
      if (e.kind === 'data') {
        const m = /^data\((\d+) B in (\d+)\)$/.exec(parts[last] ?? '');
        parts[m ? last : parts.length] = m
          ? `data(${Number(m[1]) + e.data.length} B in ${Number(m[2]) + 1})`
          : `data(${e.data.length} B in 1)`;
      } else if (e.kind === 'lost') {
        parts.push(`lost(${e.exc === null ? 'null' : `${e.exc.name}: ${e.exc.message}`})`);
      } else if (e.kind === 'pause' || e.kind === 'resume') {
        parts.push(`${e.kind}(${e.bufferSize})`);
      } else {
        parts.push(e.kind);
      }
    }
    return `${this.label}: [${parts.join(', ')}]`;
  }

  /**
   * Waits until `done(this)` holds, checked now and after each recorded event; fails with
   * `what` and the record after `seconds`.
   */
  async until(
    done: (p: RecordingProtocol) => boolean,
    what: string,
    seconds = WAIT_SECONDS,
  ): Promise<void> {
    if (done(this)) return;
    const fut = getRunningLoop().createFuture<void>();
    const waiter = { done, fut };
    this.waiters.push(waiter);
    try {
      await waitFor(fut, seconds);
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      throw new Error(`waited ${seconds} s for ${what}; got ${this.summary()}`);
    } finally {
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }

  /** Waits until at least `n` bytes have been received. */
  untilReceived(n: number, what = `${n} bytes`): Promise<void> {
    return this.until((p) => p.receivedLength >= n, `${this.label} to receive ${what}`);
  }

  /** Waits for `connectionLost`. */
  untilLost(): Promise<void> {
    return this.until((p) => p.count('lost') > 0, `${this.label}'s connectionLost`);
  }

  private writeBufferSize(): number {
    const t = this.transport as Partial<WriteTransport> | null;
    return typeof t?.getWriteBufferSize === 'function' ? t.getWriteBufferSize() : -1;
  }

  private record(event: RecordedEvent): void {
    this.events.push(event);
    for (const w of this.waiters) {
      if (!w.fut.done() && w.done(this)) w.fut.setResult();
    }
  }
}

/**
 * The rules every record obeys, whatever the test did: `connectionMade` first (unless the
 * protocol was switched to with setProtocol, then never), `connectionLost` at most once
 * (exactly once when `closed`) and last, no data after EOF, and pauseWriting/resumeWriting
 * alternating, starting with a pause. Returns the broken rules.
 */
export function contractViolations(
  p: RecordingProtocol,
  options: { readonly switchedTo?: boolean; readonly closed?: boolean } = {},
): string[] {
  const out: string[] = [];
  const kinds = p.events.map((e) => e.kind);
  if (options.switchedTo === true) {
    if (kinds.includes('made')) out.push('connectionMade was called on a protocol set later');
  } else if (kinds[0] !== 'made') {
    out.push(`the first callback was ${kinds[0] ?? 'none'}, not connectionMade`);
  }
  if (kinds.filter((k) => k === 'made').length > 1) out.push('connectionMade was called twice');
  const lost = kinds.filter((k) => k === 'lost').length;
  if (lost > 1) out.push(`connectionLost was called ${lost} times`);
  if (lost === 0 && options.closed === true) out.push('connectionLost was never called');
  if (lost > 0 && kinds[kinds.length - 1] !== 'lost')
    out.push('a callback came after connectionLost');
  const eof = kinds.indexOf('eof');
  if (eof >= 0 && kinds.indexOf('data', eof) >= 0) out.push('dataReceived came after eofReceived');
  if (kinds.filter((k) => k === 'eof').length > 1) out.push('eofReceived was called twice');
  let paused = false;
  for (const k of kinds) {
    if (k === 'pause') {
      if (paused) out.push('pauseWriting twice without resumeWriting between');
      paused = true;
    } else if (k === 'resume') {
      if (!paused) out.push('resumeWriting without a pauseWriting before it');
      paused = false;
    }
  }
  return out.map((v) => `${p.label}: ${v} (${p.summary()})`);
}
