import type { AbstractEventLoop } from '@tsio/core';
import { checkAddrInfoRequest, resolveAddrInfo } from './internal/address-info.js';
import { checkNameInfoRequest, resolveNameInfo } from './internal/name-info.js';
import { throughFuture } from './internal/through-future.js';

/**
 * Options of `getaddrinfo`: getaddrinfo(3)'s hints, with Linux's numbers as Python's socket
 * module has them. Each defaults to 0 (any).
 *
 * Python parity: `loop.getaddrinfo` keyword arguments
 */
export interface GetaddrinfoOptions {
  /** Address family: 0 any, 2 IPv4 (`AF_INET`), 10 IPv6 (`AF_INET6`). */
  readonly family?: number;
  /** Socket type: 0 any, 1 stream (`SOCK_STREAM`), 2 datagram (`SOCK_DGRAM`), 3 raw (`SOCK_RAW`). */
  readonly type?: number;
  /** Protocol: 0 any, 6 TCP, 17 UDP. */
  readonly proto?: number;
  /**
   * `AI_*` flags, or-ed: `AI_PASSIVE` 1, `AI_CANONNAME` 2, `AI_NUMERICHOST` 4,
   * `AI_V4MAPPED` 8, `AI_ALL` 16, `AI_ADDRCONFIG` 32, `AI_NUMERICSERV` 1024.
   */
  readonly flags?: number;
}

/**
 * A socket address as Python gives it: `[host, port]` for IPv4,
 * `[host, port, flowinfo, scopeid]` for IPv6.
 *
 * Python parity: the `sockaddr` tuple of `socket.getaddrinfo`
 */
export type SockAddr =
  [host: string, port: number] | [host: string, port: number, flowinfo: number, scopeid: number];

/**
 * One result of `getaddrinfo`: family (2 IPv4, 10 IPv6), socket type (1 stream, 2 datagram,
 * 3 raw), protocol (6 TCP, 17 UDP, 0 raw), canonical name (`''` unless `AI_CANONNAME` was
 * asked for, and then on the first entry only) and socket address.
 *
 * Python parity: the 5-tuples of `socket.getaddrinfo`
 */
export type AddrInfo = [
  family: number,
  type: number,
  proto: number,
  canonname: string,
  sockaddr: SockAddr,
];

/**
 * Loop machinery of `EventLoop.getaddrinfo`: resolves `host` and `port` (a number, a string of
 * digits or a service name from /etc/services) with the system resolver, in libuv's thread
 * pool, to Python's `[family, type, proto, canonname, sockaddr]` entries.
 *
 * @throws TypeError, ValueError for bad arguments (a port out of 0-65535 is a ValueError,
 *   where Python wraps it or raises gaierror); GaiError when resolution fails
 *
 * Python parity: `loop.getaddrinfo`
 */
export async function _getaddrinfo(
  loop: AbstractEventLoop,
  host: string | null,
  port: number | string | null,
  options?: GetaddrinfoOptions,
): Promise<AddrInfo[]> {
  const request = checkAddrInfoRequest(host, port, options);
  return throughFuture(loop, () => resolveAddrInfo(request));
}

/**
 * Loop machinery of `EventLoop.getnameinfo`: resolves a numeric socket address to
 * `[host, service]` with the system resolver (`NI_*` flags: `NI_NUMERICHOST` 1,
 * `NI_NUMERICSERV` 2, `NI_NOFQDN` 4, `NI_NAMEREQD` 8, `NI_DGRAM` 16).
 *
 * @throws TypeError, ValueError for a malformed `sockaddr`; GaiError when resolution fails
 *
 * Python parity: `loop.getnameinfo`
 */
export async function _getnameinfo(
  loop: AbstractEventLoop,
  sockaddr: readonly [string, number, ...number[]],
  flags?: number,
): Promise<[string, string]> {
  const request = checkNameInfoRequest(sockaddr, flags);
  return throughFuture(loop, () => resolveNameInfo(request));
}
