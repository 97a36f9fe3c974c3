/**
 * Protocol interfaces: the application side of the transport/protocol pair. The transport
 * calls these methods when something happens on the connection.
 *
 * Every callback is optional where asyncio's base class has a no-op default, so a protocol
 * implements only what it needs (`{}` is a valid `Protocol`, as `asyncio.Protocol()` is);
 * a transport skips a callback that is absent. `BufferedProtocol.getBuffer` and
 * `bufferUpdated` are required: a buffered protocol is useless without them, and transports
 * recognise a buffered protocol by its `getBuffer`.
 */

import type {
  BaseTransport,
  DatagramTransport,
  SocketAddress,
  SubprocessTransport,
  Transport,
} from './transports.js';

/**
 * The callbacks of every protocol: connection set up and lost, and write flow control.
 *
 * Python parity: `asyncio.BaseProtocol`
 */
export interface BaseProtocol {
  /**
   * Called once when the connection is made, with its transport; store it to write later.
   *
   * Python parity: `BaseProtocol.connection_made`
   */
  connectionMade?(transport: BaseTransport): void;

  /**
   * Called once when the connection is lost or closed: with the error that broke it, or
   * `null` for a regular close or EOF.
   *
   * Python parity: `BaseProtocol.connection_lost`
   */
  connectionLost?(exc: Error | null): void;

  /**
   * Called when the transport's write buffer goes over its high water mark: stop writing
   * until `resumeWriting()`.
   *
   * Python parity: `BaseProtocol.pause_writing`
   */
  pauseWriting?(): void;

  /**
   * Called when the transport's write buffer drains to its low water mark.
   *
   * Python parity: `BaseProtocol.resume_writing`
   */
  resumeWriting?(): void;
}

/**
 * A stream protocol (TCP, Unix sockets, pipes): receives data as chunks.
 *
 * Python parity: `asyncio.Protocol`
 */
export interface Protocol extends BaseProtocol {
  /**
   * Called once when the connection is made, with its transport.
   *
   * Python parity: `Protocol.connection_made`
   */
  connectionMade?(transport: Transport): void;

  /**
   * Called with each chunk of received data; chunk boundaries are arbitrary.
   *
   * Python parity: `Protocol.data_received`
   */
  dataReceived?(data: Uint8Array): void;

  /**
   * Called when the other end signals that it sends no more data. Return `true` to keep the
   * connection half-open (to keep writing); anything else closes the transport.
   *
   * Python parity: `Protocol.eof_received`
   */
  eofReceived?(): boolean | void | null;
}

/**
 * A stream protocol that receives data into buffers it provides, saving a copy.
 *
 * Python parity: `asyncio.BufferedProtocol`
 */
export interface BufferedProtocol extends BaseProtocol {
  /**
   * Called once when the connection is made, with its transport.
   *
   * Python parity: `BufferedProtocol.connection_made`
   */
  connectionMade?(transport: Transport): void;

  /**
   * Returns the buffer the transport writes the next received bytes into; `sizehint` is the
   * recommended minimal size (-1 for any size). It must not be empty.
   *
   * Python parity: `BufferedProtocol.get_buffer`
   */
  getBuffer(sizehint: number): Uint8Array;

  /**
   * Called when `nbytes` bytes were written at the start of the buffer `getBuffer` returned.
   *
   * Python parity: `BufferedProtocol.buffer_updated`
   */
  bufferUpdated(nbytes: number): void;

  /**
   * Called when the other end signals that it sends no more data; as `Protocol.eofReceived`.
   *
   * Python parity: `BufferedProtocol.eof_received`
   */
  eofReceived?(): boolean | void | null;
}

/**
 * A datagram (UDP) protocol.
 *
 * Python parity: `asyncio.DatagramProtocol`
 */
export interface DatagramProtocol extends BaseProtocol {
  /**
   * Called once when the endpoint is ready, with its transport.
   *
   * Python parity: `DatagramProtocol.connection_made`
   */
  connectionMade?(transport: DatagramTransport): void;

  /**
   * Called with each datagram received and the address it came from.
   *
   * Python parity: `DatagramProtocol.datagram_received`
   */
  datagramReceived?(data: Uint8Array, addr: SocketAddress): void;

  /**
   * Called when a send or receive failed (often an ICMP error reported as `OSError`); the
   * endpoint stays open.
   *
   * Python parity: `DatagramProtocol.error_received`
   */
  errorReceived?(exc: Error): void;
}

/**
 * The protocol of a child process: its output, its pipes closing and its exit.
 *
 * Python parity: `asyncio.SubprocessProtocol`
 */
export interface SubprocessProtocol extends BaseProtocol {
  /**
   * Called once when the process is started, with its transport.
   *
   * Python parity: `SubprocessProtocol.connection_made`
   */
  connectionMade?(transport: SubprocessTransport): void;

  /**
   * Called with data the child wrote to its stdout (`fd` 1) or stderr (`fd` 2).
   *
   * Python parity: `SubprocessProtocol.pipe_data_received`
   */
  pipeDataReceived?(fd: number, data: Uint8Array): void;

  /**
   * Called when one of the child's pipes closes: with the error, or `null` on a regular close.
   *
   * Python parity: `SubprocessProtocol.pipe_connection_lost`
   */
  pipeConnectionLost?(fd: number, exc: Error | null): void;

  /**
   * Called when the child exits.
   *
   * Python parity: `SubprocessProtocol.process_exited`
   */
  processExited?(): void;
}
