import type { RemoteInfo, Socket as DgramSocket } from 'node:dgram';
import { ValueError, toOSError } from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  BaseProtocol,
  DatagramProtocol,
  ExecutionFrame,
  SocketAddress,
} from '@tsio/core';
import { DatagramTransport } from '../datagram-transport.js';
import { checkHost, checkPort } from './address-checks.js';
import { describeValue } from './datagram-options.js';
import type { ResolvedAddress } from './datagram-socket.js';
import { reportFatalError } from './fatal-error.js';
import { WriteFlowControl } from './flow-control.js';
import { captureIoFrame, inIoFrame } from './io-frame.js';

/** asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES. */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
/** What asyncio adds to each buffered datagram's size: a UDP header. */
const DATAGRAM_OVERHEAD = 8;

/** A socket address as Python gives it: `[host, port]`, or `[host, port, 0, 0]` for IPv6. */
export function pythonAddress(family: string | number, host: string, port: number): SocketAddress {
  return family === 'IPv6' || family === 6 ? [host, port, 0, 0] : [host, port];
}

function sockname(socket: DgramSocket): SocketAddress | null {
  try {
    const a = socket.address();
    return pythonAddress(a.family, a.address, a.port);
  } catch {
    return null;
  }
}

function peername(socket: DgramSocket): SocketAddress | null {
  try {
    const a = socket.remoteAddress();
    return pythonAddress(a.family, a.address, a.port);
  } catch {
    return null;
  }
}

type Pending = readonly ['datagram', Buffer, SocketAddress] | readonly ['error', Error];

/**
 * A datagram transport over a bound (maybe connected) Node `dgram.Socket`, as asyncio's
 * `_SelectorDatagramTransport`. Node's `send` is asynchronous: the bytes of each datagram
 * (plus 8 for its header, as asyncio counts them) stay in the write buffer until its send
 * callback, and flow control works on that count.
 */
export class DgramTransport extends DatagramTransport {
  private protocol: DatagramProtocol;
  private readonly frame: ExecutionFrame = captureIoFrame();
  private readonly flow: WriteFlowControl;
  /** remoteAddr, resolved; `sendto` sends there. */
  private readonly remote: ResolvedAddress | null;
  private readonly connected: boolean;
  private closing = false;
  /** Non-zero once connectionLost is scheduled; counts the datagrams dropped since. */
  private connLost = 0;
  private reading = false;
  private readonly early: Pending[] = [];
  private bufferSize = 0;
  private sending = 0;
  /** Bumped by abort: send callbacks of an older generation are ignored. */
  private generation = 0;

  constructor(
    private readonly loop: AbstractEventLoop,
    private readonly socket: DgramSocket,
    protocol: DatagramProtocol,
    options: { remote: ResolvedAddress | null; waiter: AbstractFuture<void> | null },
  ) {
    const peer = peername(socket);
    super({ socket, sockname: sockname(socket), peername: peer });
    this.protocol = protocol;
    this.remote = options.remote;
    this.connected = peer !== null;
    this.flow = new WriteFlowControl(loop, this);
    socket.on('message', (data: Buffer, rinfo: RemoteInfo) => {
      this.received(['datagram', data, pythonAddress(rinfo.family, rinfo.address, rinfo.port)]);
    });
    // ICMP errors (a connected socket's ECONNREFUSED) come as 'error' events from recvmsg.
    socket.on('error', (error: Error) => this.received(['error', toOSError(error)]));
    socket.on('close', () => this.forceClose(null));
    const waiter = options.waiter;
    loop.callSoon(() => {
      let failure: unknown = null;
      try {
        inIoFrame(this.frame, () => this.protocol.connectionMade?.(this));
      } catch (error) {
        // The creator gets the error; the protocol gets connectionLost(error).
        failure = error;
        this.forceClose(error instanceof Error ? error : new Error(String(error)));
      }
      loop.callSoon(() => {
        if (waiter !== null && !waiter.done()) {
          if (failure === null) waiter.setResult(undefined);
          else waiter.setException(failure);
        }
        // asyncio adds the reader after connection_made: deliver what came in meanwhile.
        if (this.closing) return;
        this.reading = true;
        for (const item of this.early.splice(0)) this.received(item);
      });
    });
  }

  override toString(): string {
    const state = this.connLost !== 0 ? ' closed' : this.closing ? ' closing' : '';
    return `<DgramTransport${state} bufsize=${this.bufferSize}>`;
  }

  override getProtocol(): BaseProtocol {
    return this.protocol;
  }

  override setProtocol(protocol: BaseProtocol): void {
    this.protocol = protocol as DatagramProtocol;
  }

  override isClosing(): boolean {
    return this.closing;
  }

  /** The bytes of datagrams handed to Node and not sent yet (each counted with 8 more). */
  getWriteBufferSize(): number {
    return this.bufferSize;
  }

  /** As `WriteTransport.setWriteBufferLimits`: the marks of `pauseWriting`/`resumeWriting`. */
  setWriteBufferLimits(limits?: { readonly high?: number; readonly low?: number }): void {
    this.flow.setLimits(limits);
    this.flow.maybePause(this.bufferSize, this.protocol);
  }

  /** The write buffer's marks as `[low, high]`. */
  getWriteBufferLimits(): [low: number, high: number] {
    return [this.flow.low, this.flow.high];
  }

  override sendto(data: Uint8Array, addr?: SocketAddress | null): void {
    if (!ArrayBuffer.isView(data)) {
      throw new TypeError(
        `data argument must be a bytes-like object (a Uint8Array or Buffer), not ${describeValue(data)}`,
      );
    }
    const target = this.target(addr);
    if (this.closing) {
      if (this.connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        console.warn('socket.send() raised exception.');
      }
      this.connLost += 1;
      return;
    }
    // Copy: the caller may reuse its buffer before Node sends it (asyncio copies too).
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const message = Buffer.from(bytes);
    const size = message.length + DATAGRAM_OVERHEAD;
    const generation = this.generation;
    const sent = (error: Error | null): void => {
      if (generation !== this.generation) return;
      this.bufferSize -= size;
      this.sending -= 1;
      if (error) this.received(['error', toOSError(error)], true);
      this.flow.maybeResume(this.bufferSize, this.protocol);
      if (this.closing && this.sending === 0 && this.connLost === 0) this.scheduleLost(null);
    };
    this.bufferSize += size;
    this.sending += 1;
    try {
      if (target === null) this.socket.send(message, sent);
      else this.socket.send(message, target[1], target[0], sent);
    } catch (error) {
      sent(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.flow.maybePause(this.bufferSize, this.protocol);
  }

  override close(): void {
    if (this.closing) return;
    this.closing = true;
    this.reading = false;
    if (this.sending === 0) this.scheduleLost(null);
  }

  override abort(): void {
    this.forceClose(null);
  }

  /** The [host, port] to send to, or null to send on the connected socket. */
  private target(addr: SocketAddress | null | undefined): readonly [string, number] | null {
    const given = addr === undefined || addr === null ? null : checkAddr(addr);
    if (this.remote !== null) {
      const { host, port } = this.remote;
      if (given !== null && !(given[1] === port && given[0] === host)) {
        const shown = JSON.stringify(pythonAddress(this.remote.family, host, port));
        throw new ValueError(`Invalid address: must be null or ${shown}`);
      }
      return this.connected ? null : [host, port];
    }
    // A connected socket given as `sock`: asyncio uses send() and ignores addr.
    if (this.connected) return null;
    if (given === null) {
      throw new TypeError(
        'sendto() needs an address [host, port]: this endpoint has no remoteAddr',
      );
    }
    return given;
  }

  /** Delivers a datagram or an error to the protocol (queued until reading starts). */
  private received(item: Pending, fromSend = false): void {
    if (this.connLost !== 0 || (this.closing && !fromSend)) return;
    if (!this.reading && !fromSend) {
      this.early.push(item);
      return;
    }
    const [kind, payload] = item;
    try {
      inIoFrame(this.frame, () => {
        if (kind === 'datagram') this.protocol.datagramReceived?.(payload, item[2]);
        else this.protocol.errorReceived?.(payload);
      });
    } catch (error) {
      const method = kind === 'datagram' ? 'datagramReceived' : 'errorReceived';
      this.fatalError(error, `Fatal error: protocol.${method}() call failed.`);
    }
  }

  private fatalError(error: unknown, message: string): void {
    reportFatalError(this.loop, error, message, this, this.protocol);
    this.forceClose(error instanceof Error ? error : new Error(String(error)));
  }

  private forceClose(exc: Error | null): void {
    if (this.connLost !== 0) return;
    this.closing = true;
    this.reading = false;
    this.generation += 1;
    this.bufferSize = 0;
    this.sending = 0;
    this.scheduleLost(exc);
  }

  private scheduleLost(exc: Error | null): void {
    this.connLost += 1;
    this.loop.callSoon(() => this.callConnectionLost(exc));
  }

  private callConnectionLost(exc: Error | null): void {
    try {
      inIoFrame(this.frame, () => this.protocol.connectionLost?.(exc));
    } catch (error) {
      this.loop.callExceptionHandler({
        message: 'Exception in protocol.connectionLost()',
        exception: error,
        transport: this,
        protocol: this.protocol,
      });
    } finally {
      try {
        this.socket.close();
      } catch {
        // Already closed (by its owner).
      }
    }
  }
}

function checkAddr(addr: unknown): readonly [string, number] {
  if (!Array.isArray(addr) || addr.length < 2) {
    throw new TypeError(
      `addr must be a [host, port] pair such as ['127.0.0.1', 9999], got ${describeValue(addr)}` +
        (typeof addr === 'string'
          ? " (Unix datagram sockets are not supported by Node's dgram)"
          : ''),
    );
  }
  const host = checkHost(addr[0], 'addr[0]');
  const port = checkPort(addr[1]);
  if (host === null || host === '' || port === null || port === 0) {
    throw new ValueError(`addr must name a host and a port 1-65535, got ${JSON.stringify(addr)}`);
  }
  return [host, port];
}
