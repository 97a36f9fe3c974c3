/**
 * Transport interfaces: the channel side of the transport/protocol pair. The loop creates
 * transports; protocols use them to send data and to control the flow.
 */

import type { BaseProtocol } from './protocols.js';

/**
 * A socket address: `[host, port]` for IPv4, `[host, port, flowinfo, scopeId]` for IPv6,
 * or a path for a Unix socket.
 *
 * Python parity: `socket` address tuples (`(host, port)`, `(host, port, flowinfo, scope_id)`)
 */
export type SocketAddress = readonly [host: string, port: number, ...rest: number[]] | string;

/**
 * What every transport offers: extra information, closing, and the protocol it feeds.
 *
 * Python parity: `asyncio.BaseTransport`
 */
export interface BaseTransport {
  /**
   * Returns transport-specific information (`'peername'`, `'sockname'`, `'socket'`,
   * `'sslcontext'`, `'pipe'`, `'subprocess'`...), or `defaultValue` (else `null`) when the
   * transport does not have it.
   *
   * Python parity: `BaseTransport.get_extra_info`
   */
  getExtraInfo(name: string, defaultValue?: unknown): unknown;

  /**
   * Tells whether the transport is closing or closed.
   *
   * Python parity: `BaseTransport.is_closing`
   */
  isClosing(): boolean;

  /**
   * Closes the transport: buffered data is flushed asynchronously, no more data is received,
   * and then the protocol's `connectionLost(null)` is called. Closing twice does nothing.
   *
   * Python parity: `BaseTransport.close`
   */
  close(): void;

  /**
   * Replaces the protocol that receives this transport's events.
   *
   * Python parity: `BaseTransport.set_protocol`
   */
  setProtocol(protocol: BaseProtocol): void;

  /**
   * Returns the protocol that receives this transport's events.
   *
   * Python parity: `BaseTransport.get_protocol`
   */
  getProtocol(): BaseProtocol;
}

/**
 * The read side of a stream transport: reading can be paused and resumed.
 *
 * Python parity: `asyncio.ReadTransport`
 */
export interface ReadTransport extends BaseTransport {
  /**
   * Tells whether the transport is receiving (not paused, not closing).
   *
   * Python parity: `ReadTransport.is_reading`
   */
  isReading(): boolean;

  /**
   * Stops calling the protocol's `dataReceived` until `resumeReading()`. Does nothing if
   * already paused.
   *
   * Python parity: `ReadTransport.pause_reading`
   */
  pauseReading(): void;

  /**
   * Resumes calling the protocol's `dataReceived`. Does nothing if not paused.
   *
   * Python parity: `ReadTransport.resume_reading`
   */
  resumeReading(): void;
}

/**
 * The write side of a stream transport: non-blocking writes into a buffer, with flow control
 * through the protocol's `pauseWriting`/`resumeWriting`.
 *
 * Python parity: `asyncio.WriteTransport`
 */
export interface WriteTransport extends BaseTransport {
  /**
   * Sets the write buffer's high and low water marks, in bytes: above `high` the protocol's
   * `pauseWriting()` is called, and `resumeWriting()` once the buffer drains to `low` or
   * below. An omitted limit takes an implementation default derived from the other.
   *
   * @throws ValueError unless `high >= low >= 0`.
   *
   * Python parity: `WriteTransport.set_write_buffer_limits`
   */
  setWriteBufferLimits(limits?: { readonly high?: number; readonly low?: number }): void;

  /**
   * Returns the number of bytes in the write buffer.
   *
   * Python parity: `WriteTransport.get_write_buffer_size`
   */
  getWriteBufferSize(): number;

  /**
   * Returns the write buffer's water marks as `[low, high]`.
   *
   * Python parity: `WriteTransport.get_write_buffer_limits`
   */
  getWriteBufferLimits(): [low: number, high: number];

  /**
   * Writes `data` without blocking: it is buffered and sent asynchronously.
   *
   * Python parity: `WriteTransport.write`
   */
  write(data: Uint8Array): void;

  /**
   * Writes each chunk of `list`, in order, as `write` does.
   *
   * Python parity: `WriteTransport.writelines`
   */
  writelines(list: Iterable<Uint8Array>): void;

  /**
   * Closes the write end after flushing the buffer; data may still be received.
   *
   * @throws NotImplementedError if the transport cannot half-close (see `canWriteEof`).
   *
   * Python parity: `WriteTransport.write_eof`
   */
  writeEof(): void;

  /**
   * Tells whether `writeEof()` is supported.
   *
   * Python parity: `WriteTransport.can_write_eof`
   */
  canWriteEof(): boolean;

  /**
   * Closes the transport at once, dropping buffered data; the protocol's
   * `connectionLost(null)` is called later.
   *
   * Python parity: `WriteTransport.abort`
   */
  abort(): void;
}

/**
 * A bidirectional stream transport, such as a TCP connection.
 *
 * Python parity: `asyncio.Transport`
 */
export interface Transport extends ReadTransport, WriteTransport {}

/**
 * A datagram (UDP or Unix datagram) transport.
 *
 * Python parity: `asyncio.DatagramTransport`
 */
export interface DatagramTransport extends BaseTransport {
  /**
   * Sends `data` to `addr`, or to the remote address the endpoint was connected to when
   * `addr` is omitted. Does not block.
   *
   * Python parity: `DatagramTransport.sendto`
   */
  sendto(data: Uint8Array, addr?: SocketAddress): void;

  /**
   * Closes the transport at once, dropping buffered datagrams.
   *
   * Python parity: `DatagramTransport.abort`
   */
  abort(): void;
}

/**
 * The transport of a child process: its pid, exit status, pipes and signals.
 *
 * Python parity: `asyncio.SubprocessTransport`
 */
export interface SubprocessTransport extends BaseTransport {
  /**
   * Returns the child's process id.
   *
   * Python parity: `SubprocessTransport.get_pid`
   */
  getPid(): number;

  /**
   * Returns the child's exit code, or `null` while it runs. A child killed by a signal has
   * the negated signal number, as in Python.
   *
   * Python parity: `SubprocessTransport.get_returncode`
   */
  getReturncode(): number | null;

  /**
   * Returns the transport of the child's pipe `fd` (0 stdin, 1 stdout, 2 stderr), or `null`
   * when that pipe was not created.
   *
   * Python parity: `SubprocessTransport.get_pipe_transport`
   */
  getPipeTransport(fd: number): ReadTransport | WriteTransport | null;

  /**
   * Sends `signal` (a name such as `'SIGINT'`, or a number) to the child.
   *
   * Python parity: `SubprocessTransport.send_signal`
   */
  sendSignal(signal: NodeJS.Signals | number): void;

  /**
   * Asks the child to stop (`SIGTERM` on POSIX).
   *
   * Python parity: `SubprocessTransport.terminate`
   */
  terminate(): void;

  /**
   * Kills the child (`SIGKILL` on POSIX).
   *
   * Python parity: `SubprocessTransport.kill`
   */
  kill(): void;
}
