import type { DatagramTransport as DatagramTransportContract, SocketAddress } from '@tsio/core';
import { BaseTransport, _mustOverride } from './base-transport.js';

/**
 * A datagram (UDP or Unix datagram) transport.
 *
 * Python parity: `asyncio.DatagramTransport`
 */
export class DatagramTransport extends BaseTransport implements DatagramTransportContract {
  /**
   * Sends `data` to `addr`, or to the remote address the endpoint is connected to when
   * `addr` is omitted. Does not block.
   *
   * Python parity: `DatagramTransport.sendto`
   */
  sendto(_data: Uint8Array, _addr?: SocketAddress): void {
    throw _mustOverride(this, 'sendto');
  }

  /**
   * Closes the transport at once, dropping buffered datagrams.
   *
   * Python parity: `DatagramTransport.abort`
   */
  abort(): void {
    throw _mustOverride(this, 'abort');
  }
}
