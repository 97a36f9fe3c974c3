/**
 * Protocol base classes: subclass one and override the callbacks you need, as with asyncio's.
 *
 * The callbacks are optional in the types (an object literal with only `dataReceived` is a
 * `Protocol`, as core's interfaces promise), and present as no-ops at run time, so a
 * subclass may call `super.connectionMade?.(transport)` as Python code calls `super()`.
 */
import { NotImplementedError } from '@tsio/core';
import type {
  BaseProtocol as BaseProtocolContract,
  DatagramTransport,
  SubprocessTransport,
  Transport,
  BufferedProtocol as BufferedProtocolContract,
  DatagramProtocol as DatagramProtocolContract,
  Protocol as ProtocolContract,
  SubprocessProtocol as SubprocessProtocolContract,
} from '@tsio/core';

function noOp(): void {}

function defineNoOps(prototype: object, names: readonly string[]): void {
  for (const name of names) {
    Object.defineProperty(prototype, name, { value: noOp, writable: true, configurable: true });
  }
}

// Each interface below gives its class the optional callbacks' types (declaration merging);
// defineNoOps gives the prototypes their no-ops.

/**
 * The callbacks of every protocol: connection made and lost, and write flow control.
 *
 * Python parity: `asyncio.BaseProtocol`
 */
export interface BaseProtocol extends BaseProtocolContract {}
/**
 * The callbacks of every protocol: connection made and lost, and write flow control.
 *
 * Python parity: `asyncio.BaseProtocol`
 */
export class BaseProtocol {}
defineNoOps(BaseProtocol.prototype, [
  'connectionMade',
  'connectionLost',
  'pauseWriting',
  'resumeWriting',
]);

/**
 * A stream protocol (TCP, TLS, Unix sockets, pipes): receives data as chunks.
 *
 * Python parity: `asyncio.Protocol`
 */
export interface Protocol extends ProtocolContract {
  // Restated: the contract's transport type narrows BaseProtocol's.
  connectionMade?(transport: Transport): void;
}
/**
 * A stream protocol (TCP, TLS, Unix sockets, pipes): receives data as chunks.
 *
 * Python parity: `asyncio.Protocol`
 */
export class Protocol extends BaseProtocol {}
defineNoOps(Protocol.prototype, ['dataReceived', 'eofReceived']);

/**
 * A stream protocol that receives data straight into buffers it provides, saving a copy.
 * A subclass must override `getBuffer` and `bufferUpdated`.
 *
 * Python parity: `asyncio.BufferedProtocol`
 */
export interface BufferedProtocol extends BufferedProtocolContract {
  // Restated: the contract's transport type narrows BaseProtocol's.
  connectionMade?(transport: Transport): void;
}
/**
 * A stream protocol that receives data straight into buffers it provides, saving a copy.
 * A subclass must override `getBuffer` and `bufferUpdated`.
 *
 * Python parity: `asyncio.BufferedProtocol`
 */
export class BufferedProtocol extends BaseProtocol {
  /**
   * Returns the buffer the transport writes the next received bytes into; `sizehint` is the
   * recommended minimal size (-1 for any size). It must not be empty.
   *
   * Python parity: `BufferedProtocol.get_buffer`
   */
  getBuffer(_sizehint: number): Uint8Array {
    throw new NotImplementedError(
      `${this.constructor.name}.getBuffer() is not implemented: a BufferedProtocol overrides it`,
    );
  }

  /**
   * Called when `nbytes` bytes were written at the start of the buffer `getBuffer` returned.
   *
   * Python parity: `BufferedProtocol.buffer_updated`
   */
  bufferUpdated(_nbytes: number): void {
    throw new NotImplementedError(
      `${this.constructor.name}.bufferUpdated() is not implemented: a BufferedProtocol overrides it`,
    );
  }
}
defineNoOps(BufferedProtocol.prototype, ['eofReceived']);

/**
 * A datagram (UDP) protocol.
 *
 * Python parity: `asyncio.DatagramProtocol`
 */
export interface DatagramProtocol extends DatagramProtocolContract {
  // Restated: the contract's transport type narrows BaseProtocol's.
  connectionMade?(transport: DatagramTransport): void;
}
/**
 * A datagram (UDP) protocol.
 *
 * Python parity: `asyncio.DatagramProtocol`
 */
export class DatagramProtocol extends BaseProtocol {}
defineNoOps(DatagramProtocol.prototype, ['datagramReceived', 'errorReceived']);

/**
 * The protocol of a child process: its output, its pipes closing and its exit.
 *
 * Python parity: `asyncio.SubprocessProtocol`
 */
export interface SubprocessProtocol extends SubprocessProtocolContract {
  // Restated: the contract's transport type narrows BaseProtocol's.
  connectionMade?(transport: SubprocessTransport): void;
}
/**
 * The protocol of a child process: its output, its pipes closing and its exit.
 *
 * Python parity: `asyncio.SubprocessProtocol`
 */
export class SubprocessProtocol extends BaseProtocol {}
defineNoOps(SubprocessProtocol.prototype, [
  'pipeDataReceived',
  'pipeConnectionLost',
  'processExited',
]);
