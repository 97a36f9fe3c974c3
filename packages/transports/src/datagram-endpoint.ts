import type { Socket as DgramSocket } from 'node:dgram';
import type {
  AbstractEventLoop,
  DatagramProtocol,
  DatagramTransport,
  ProtocolFactory,
} from '@tsio/core';
import { attachProtocol } from './internal/attach-protocol.js';
import { parseDatagramOptions } from './internal/datagram-options.js';
import { openDatagramSocket } from './internal/datagram-socket.js';
import { DgramTransport } from './internal/dgram-transport.js';

/**
 * A `[host, port]` pair of `createDatagramEndpoint`; a null host resolves as Python's `None`
 * does (to the loopback addresses), a string port must be digits.
 *
 * Python parity: the `(host, port)` tuples of `local_addr` and `remote_addr`
 */
export type DatagramHostPort = readonly [host: string | null, port: number | string | null];

/**
 * Options of `createDatagramEndpoint`. Give `localAddr`, `remoteAddr`, `family`, or `sock`.
 *
 * Python parity: the keyword arguments of `loop.create_datagram_endpoint`
 */
export type CreateDatagramEndpointOptions = {
  /**
   * The address to bind, `[host, port]` (port 0 picks a free one); host names are resolved
   * with `dns.lookup`. Unix datagram paths are not supported: Node's dgram has no AF_UNIX.
   */
  readonly localAddr?: DatagramHostPort | null;
  /**
   * The address to connect the socket to: `sendto` then takes no address (or this one), and
   * datagrams from other addresses are not received.
   */
  readonly remoteAddr?: DatagramHostPort | null;
  /**
   * The address family: 2 (`AF_INET`, also 4 or `'IPv4'`) or 10 (`AF_INET6`, also 6 or
   * `'IPv6'`); 0 or null lets the addresses decide.
   */
  readonly family?: 0 | 2 | 4 | 6 | 10 | 'IPv4' | 'IPv6' | null;
  /** The protocol: 0 or 17 (IPPROTO_UDP); dgram sockets are always UDP. */
  readonly proto?: number | null;
  /** getaddrinfo flags: AI_V4MAPPED (8), AI_ALL (16) and AI_ADDRCONFIG (32) are passed on. */
  readonly flags?: number | null;
  /** Sets SO_REUSEPORT (needs Node 22.12 or 23.1; ValueError before). */
  readonly reusePort?: boolean | null;
  /**
   * Sets SO_BROADCAST, to send to broadcast addresses. With `remoteAddr`, the socket is then
   * not connected: `sendto` sends to `remoteAddr` and datagrams from anywhere are received.
   */
  readonly allowBroadcast?: boolean | null;
  /**
   * An existing `dgram.Socket` to use (bound to a free port first if it is not bound yet);
   * excludes every other option. The transport closes it.
   */
  readonly sock?: DgramSocket | null;
  /**
   * Removed, as in asyncio (SO_REUSEADDR on UDP lets other processes steal datagrams): any
   * value throws `ValueError`.
   */
  readonly reuseAddress?: never;
};

/**
 * Loop machinery of `EventLoop.createDatagramEndpoint`: checks the options, resolves the
 * addresses, opens a dgram socket (bound to `localAddr`, connected to `remoteAddr`), and
 * resolves to `[transport, protocol]` once the protocol's `connectionMade` has run.
 *
 * The transport's `sendto(data, addr?)` sends a datagram (empty ones too); send and ICMP
 * errors go to the protocol's `errorReceived` and the endpoint stays open. Its write buffer
 * holds the datagrams Node has not sent yet (`getWriteBufferSize`, `setWriteBufferLimits` and
 * `pauseWriting`/`resumeWriting` work on it). `close()` lets them go out, then calls
 * `connectionLost(null)`; `abort()` drops them.
 *
 * @throws TypeError for an unknown option, a value of the wrong type or an address that is not
 *   a `[host, port]` pair; ValueError for `sock` with other options, `reuseAddress`, no
 *   address and no family, addresses with no family in common; NotImplementedError for
 *   `family: 'unix'`; OSError (from `toOSError`) when resolving, binding or connecting fails.
 *
 * @example
 * ```ts
 * const [transport] = await loop.createDatagramEndpoint(
 *   () => ({ datagramReceived: (data, addr) => console.log(data, addr) }),
 *   { localAddr: ['127.0.0.1', 0] },
 * );
 * ```
 *
 * Python parity: `loop.create_datagram_endpoint`
 */
export async function _createDatagramEndpoint<P extends DatagramProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  options?: CreateDatagramEndpointOptions,
): Promise<[DatagramTransport, P]> {
  if (typeof protocolFactory !== 'function') {
    throw new TypeError(
      `protocolFactory must be a function returning a protocol, got ${typeof protocolFactory}; ` +
        'write createDatagramEndpoint(() => new MyProtocol(), ...)',
    );
  }
  const plan = parseDatagramOptions(options);
  const { socket, remote } = await openDatagramSocket(plan);
  return attachProtocol<P, DatagramTransport>(
    loop,
    protocolFactory,
    () => socket.close(),
    (protocol, waiter) => new DgramTransport(loop, socket, protocol, { remote, waiter }),
  );
}
