import type { BaseProtocol, Protocol } from '@tsio/core';
import { feedBufferedProtocol, isBufferedProtocol } from './buffered-reading.js';
import { inIoFrame } from './io-frame.js';
import type { SocketHost } from './socket-host.js';

/**
 * The reading side of a `SocketTransport`: delivers the socket's data and EOF to the protocol
 * (a `BufferedProtocol` through `getBuffer`/`bufferUpdated`), and pauses and resumes reading,
 * as asyncio's `_SelectorSocketTransport._read_ready`.
 */
export class SocketReader {
  readonly #host: SocketHost;
  #buffered: boolean;
  #paused = false;
  #reading = false;

  constructor(host: SocketHost) {
    this.#host = host;
    this.#buffered = isBufferedProtocol(host.protocol());
  }

  /** Reading was asked to pause (`pauseReading()`). */
  get paused(): boolean {
    return this.#paused;
  }

  /** Data is being delivered: started, not paused, not closing (asyncio's "polling"). */
  get polling(): boolean {
    return this.#reading && !this.#paused && !this.#host.closing();
  }

  /** The transport's protocol changed (`setProtocol`). */
  protocolChanged(protocol: BaseProtocol): void {
    this.#buffered = isBufferedProtocol(protocol);
  }

  /** Starts reading (scheduled right after `connectionMade`, as asyncio's `_add_reader`). */
  readonly start = (): void => {
    const host = this.#host;
    if (host.lost() || this.#reading) return;
    this.#reading = true;
    host.socket.on('data', this.#onData);
    host.socket.on('end', this.#onEnd);
    if (!this.#paused && !host.closing()) host.socket.resume();
  };

  /** Stops delivering data (the listeners go; what arrives stays in the socket). */
  stopData(): void {
    this.#host.socket.off('data', this.#onData);
  }

  /** Removes every listener of this side from the socket (startTls takes the socket). */
  detach(): void {
    this.#host.socket.off('data', this.#onData);
    this.#host.socket.off('end', this.#onEnd);
  }

  /** Python parity: `pause_reading` */
  pause(): void {
    const host = this.#host;
    if (host.closing() || this.#paused) return;
    this.#paused = true;
    host.socket.pause();
    if (host.loop.getDebug()) console.debug(`${host.describe()} pauses reading`);
  }

  /** Python parity: `resume_reading` */
  resume(): void {
    const host = this.#host;
    if (host.closing() || !this.#paused) return;
    this.#paused = false;
    if (this.#reading) host.socket.resume();
    if (host.loop.getDebug()) console.debug(`${host.describe()} resumes reading`);
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#host.alive()) inIoFrame(this.#host.frame, this.#dataReceived, chunk);
  };

  readonly #dataReceived = (chunk: Buffer): void => {
    const host = this.#host;
    if (host.closing()) return;
    if (this.#buffered) {
      this.#feedBuffered(chunk);
      return;
    }
    try {
      (host.protocol() as Protocol).dataReceived?.(chunk);
    } catch (error) {
      host.fatalError(error, 'Fatal error: protocol.dataReceived() call failed.');
    }
  };

  readonly #mustStopFeeding = (): boolean => this.#paused || this.#host.closing();

  #feedBuffered(chunk: Buffer): void {
    const host = this.#host;
    const done = feedBufferedProtocol(host.protocol, chunk, 0, this.#mustStopFeeding);
    if (typeof done !== 'number') {
      host.fatalError(done.error, done.message);
    } else if (done < chunk.length && !host.closing()) {
      const rest = chunk.subarray(done);
      if (this.#paused) host.socket.unshift(rest);
      else this.#dataReceived(rest); // the protocol was replaced by a non-buffered one
    }
  }

  readonly #onEnd = (): void => {
    if (this.#host.alive()) inIoFrame(this.#host.frame, this.#eofReceived);
  };

  readonly #eofReceived = (): void => {
    const host = this.#host;
    if (host.closing()) return;
    if (host.loop.getDebug()) console.debug(`${host.describe()} received EOF`);
    let keepOpen: unknown;
    try {
      keepOpen = host.protocol().eofReceived?.();
    } catch (error) {
      host.fatalError(error, 'Fatal error: protocol.eofReceived() call failed.');
      return;
    }
    if (keepOpen && host.isTls) {
      // As asyncio's SSLProtocol: TLS cannot half-close.
      if (host.loop.getDebug()) {
        console.warn('returning true from eofReceived() has no effect when using ssl');
      }
      keepOpen = false;
    }
    if (!keepOpen) host.close();
  };
}
