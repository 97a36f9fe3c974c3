import { readFileSync } from 'node:fs';
import type net from 'node:net';
import type { SocketAddress } from '@tsio/core';

/**
 * The addresses of a connected socket as Python's `getsockname()`/`getpeername()` give them:
 * `[host, port]` for IPv4, `[host, port, flowinfo, scopeid]` for IPv6, a path for Unix sockets.
 */

/** The interface index of an IPv6 zone such as `eth0` or `2`; 0 when unknown. */
function scopeIdOf(zone: string): number {
  if (/^\d+$/.test(zone)) return Number(zone);
  if (!/^[\w.-]+$/.test(zone) || zone.startsWith('.')) return 0;
  try {
    // Linux: if_nametoindex(3) reads the same number. Rare (link-local peers only).
    const index = Number(readFileSync(`/sys/class/net/${zone}/ifindex`, 'utf8').trim());
    return Number.isInteger(index) ? index : 0;
  } catch {
    return 0;
  }
}

/**
 * The Python tuple for a Node address; `null` when there is none. Node knows no IPv6 flow
 * info: it is 0.
 */
export function inetAddress(
  address: string | undefined,
  port: number | undefined,
  family: string | undefined,
): SocketAddress | null {
  if (address === undefined || port === undefined) return null;
  if (family !== 'IPv6' && !address.includes(':')) return [address, port];
  const percent = address.indexOf('%');
  const scopeId = percent === -1 ? 0 : scopeIdOf(address.slice(percent + 1));
  return [address, port, 0, scopeId];
}

/** Whether `socket` is a TCP socket (else a Unix socket), judging by the handle Node made. */
export function isTcpSocket(socket: net.Socket): boolean {
  const handle = (socket as unknown as { _handle?: object | null })._handle;
  return handle?.constructor.name === 'TCP' || socket.remoteFamily !== undefined;
}

/** Python's `getsockname()` of a connected socket (Unix: the path of a server's socket). */
export function socketName(socket: net.Socket): SocketAddress | null {
  if (isTcpSocket(socket)) {
    return inetAddress(socket.localAddress, socket.localPort, socket.localFamily);
  }
  const server = (socket as unknown as { server?: net.Server | null }).server;
  const address = server?.address();
  // An accepted Unix connection is named after its server's path; a client's is unbound ('').
  return typeof address === 'string' ? address : '';
}

/** Python's `getpeername()` of a connected socket; a Unix client's path must come from the caller. */
export function peerName(socket: net.Socket): SocketAddress | null {
  if (isTcpSocket(socket)) {
    return inetAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
  }
  return '';
}
