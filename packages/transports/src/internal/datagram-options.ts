import { Socket as DgramSocket } from 'node:dgram';
import { Socket as NetSocket } from 'node:net';
import { NotImplementedError, ValueError } from '@tsio/core';
import { checkHost, checkPort } from './address-checks.js';

/**
 * The checks of `createDatagramEndpoint`'s options, made before any I/O, as asyncio's
 * `create_datagram_endpoint` makes them (plus the type checks Python leaves to `socket`).
 */

/** A host and port as given, checked; `host` null means "resolve like Python's None". */
export interface HostPort {
  readonly host: string | null;
  readonly port: number;
}

/** The options once checked. */
export interface DatagramPlan {
  readonly localAddr: HostPort | null;
  readonly remoteAddr: HostPort | null;
  /** 0 (any), 4 or 6. */
  readonly family: 0 | 4 | 6;
  /** getaddrinfo flags Node's `dns.lookup` understands (`hints`). */
  readonly hints: number;
  readonly reusePort: boolean;
  readonly allowBroadcast: boolean;
  readonly sock: DgramSocket | null;
}

const VALID_KEYS = [
  'localAddr',
  'remoteAddr',
  'family',
  'proto',
  'flags',
  'reusePort',
  'allowBroadcast',
  'sock',
] as const;

/** IPPROTO_UDP: the only protocol Node's dgram sockets speak. */
const IPPROTO_UDP = 17;
/** AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG: the getaddrinfo flags `dns.lookup` passes on. */
const LOOKUP_HINTS = 0x08 | 0x10 | 0x20;

const UNIX_UNSUPPORTED =
  "Unix datagram sockets are not supported: Node's dgram module has no AF_UNIX datagram sockets";

/** Describes a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

function checkFamily(family: unknown): 0 | 4 | 6 {
  switch (family) {
    case undefined:
    case null:
    case 0:
      return 0;
    case 2: // AF_INET, as the other I/O methods take it
    case 4:
    case 'IPv4':
      return 4;
    case 10: // AF_INET6
    case 6:
    case 'IPv6':
      return 6;
    case 'unix':
    case 'AF_UNIX':
      throw new NotImplementedError(`family ${describeValue(family)}: ${UNIX_UNSUPPORTED}`);
    default:
      throw new (typeof family === 'number' || typeof family === 'string' ? ValueError : TypeError)(
        `family must be 2 (AF_INET), 4 or 'IPv4'; 10 (AF_INET6), 6 or 'IPv6'; or 0/null for any, got ${describeValue(family)}`,
      );
  }
}

function checkInteger(name: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(
      `${name} must be a non-negative integer (or null), got ${describeValue(value)}`,
    );
  }
  return value;
}

function checkFlag(name: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name} must be true or false (or null), got ${describeValue(value)}`);
  }
  return value;
}

function checkAddress(name: string, addr: unknown): HostPort | null {
  if (addr === undefined || addr === null) return null;
  if (typeof addr === 'string' || addr instanceof URL) {
    throw new TypeError(
      `${name} must be a [host, port] pair such as ['127.0.0.1', 0], got ${describeValue(addr)}; ` +
        `a string would name a Unix datagram socket, and ${UNIX_UNSUPPORTED}`,
    );
  }
  if (!Array.isArray(addr) || addr.length !== 2) {
    throw new TypeError(
      `${name} must be a [host, port] pair such as ['127.0.0.1', 0], got ${describeValue(addr)}`,
    );
  }
  const host = checkHost(addr[0], `${name}[0]`);
  if (host === '') {
    throw new ValueError(
      `${name}[0] must not be empty: use '0.0.0.0' or '::' for all interfaces, '127.0.0.1' or '::1' for loopback`,
    );
  }
  return { host, port: checkPort(addr[1]) ?? 0 };
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

/** The node version has dgram's `reusePort` option (added in Node 22.12 and 23.1). */
export function dgramHasReusePort(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/**
 * Checks `createDatagramEndpoint`'s options.
 *
 * @throws TypeError for an unknown option or a value of the wrong type; ValueError for a bad
 *   value or combination (`sock` with address options, `reuseAddress`, no address and no
 *   family); NotImplementedError for Unix datagram sockets.
 */
export function parseDatagramOptions(options: unknown): DatagramPlan {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `createDatagramEndpoint() options must be an object such as { localAddr: ['127.0.0.1', 0] }, got ${describeValue(options)}`,
    );
  }
  const o = options as Record<string, unknown>;
  if (o['reuseAddress'] !== undefined) {
    // asyncio 3.8.1 disabled reuse_address (bpo-37228) and 3.12 removed it.
    throw new ValueError(
      'reuseAddress is not supported: SO_REUSEADDR on UDP lets another process bind the same ' +
        'address and receive its datagrams, a security concern (asyncio removed reuse_address); ' +
        'use reusePort: true to share a port between sockets of the same user',
    );
  }
  const unknown = Object.keys(o).filter(
    (key) => key !== 'reuseAddress' && !(VALID_KEYS as readonly string[]).includes(key),
  );
  if (unknown.length > 0) {
    throw new TypeError(
      `createDatagramEndpoint() got unknown option(s) ${unknown.join(', ')}; valid options are ${VALID_KEYS.join(', ')}`,
    );
  }

  const sock = o['sock'];
  if (sock !== undefined && sock !== null) {
    if (sock instanceof NetSocket) {
      throw new ValueError(
        'A datagram socket was expected, got a net.Socket (a stream socket); pass a dgram.Socket',
      );
    }
    if (!(sock instanceof DgramSocket)) {
      throw new TypeError(`sock must be a dgram.Socket, got ${describeValue(sock)}`);
    }
    const problems = VALID_KEYS.filter((key) => key !== 'sock')
      .filter((key) => truthy(o[key]))
      .map((key) => `${key}=${describeValue(o[key])}`);
    if (problems.length > 0) {
      throw new ValueError(
        `socket modifier options can not be used when sock is specified (${problems.join(', ')}); ` +
          'configure the dgram.Socket yourself (bind, connect, setBroadcast) before passing it',
      );
    }
    return {
      localAddr: null,
      remoteAddr: null,
      family: 0,
      hints: 0,
      reusePort: false,
      allowBroadcast: false,
      sock,
    };
  }

  const family = checkFamily(o['family']);
  const proto = checkInteger('proto', o['proto']);
  if (proto !== 0 && proto !== IPPROTO_UDP) {
    throw new ValueError(
      `proto must be 0 or 17 (IPPROTO_UDP): Node's dgram sockets are UDP only, got ${proto}`,
    );
  }
  const flags = checkInteger('flags', o['flags']);
  const reusePort = checkFlag('reusePort', o['reusePort']);
  const allowBroadcast = checkFlag('allowBroadcast', o['allowBroadcast']);
  const localAddr = checkAddress('localAddr', o['localAddr']);
  const remoteAddr = checkAddress('remoteAddr', o['remoteAddr']);
  if (remoteAddr !== null && remoteAddr.port === 0) {
    throw new ValueError('remoteAddr port must be 1-65535: nothing can be sent to port 0');
  }
  if (localAddr === null && remoteAddr === null && family === 0) {
    throw new ValueError(
      'unexpected address family: give localAddr, remoteAddr or family (4 or 6) to createDatagramEndpoint()',
    );
  }
  if (reusePort && !dgramHasReusePort()) {
    throw new ValueError(
      `reusePort is not supported by this Node.js (${process.versions.node}): dgram sockets ` +
        'can set SO_REUSEPORT from Node 22.12 and 23.1',
    );
  }
  return {
    localAddr,
    remoteAddr,
    family,
    hints: flags & LOOKUP_HINTS,
    reusePort,
    allowBroadcast,
    sock: null,
  };
}
