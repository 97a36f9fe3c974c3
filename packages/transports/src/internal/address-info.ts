import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { ValueError, toOSError } from '@tsio/core';
import { GaiError, _gaiErrorFromNode } from '../gai-error.js';
import type { AddrInfo, GetaddrinfoOptions, SockAddr } from '../name-resolution.js';
import { loadServices } from './services.js';
import { zoneToScopeId } from './scope-id.js';

/**
 * getaddrinfo(3) as Python's `socket.getaddrinfo` exposes it on Linux, over Node's
 * `dns.lookup` (the same system resolver, run in libuv's thread pool). Node resolves host
 * names only: the socket types, the services, numeric hosts and the null host are handled
 * here, the way glibc does.
 */

// Linux's numbers, as Python's socket module has them.
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const AI_PASSIVE = 0x1;
const AI_CANONNAME = 0x2;
const AI_NUMERICHOST = 0x4;
const AI_V4MAPPED = 0x8;
const AI_ALL = 0x10;
const AI_ADDRCONFIG = 0x20;
const AI_NUMERICSERV = 0x400;
// glibc also accepts AI_IDN (0x40) and AI_CANONIDN (0x80); they change nothing here.
const KNOWN_AI_FLAGS = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x400;

interface SocketKind {
  readonly type: number;
  readonly proto: number;
  /** The services database's protocol name; `null` for raw sockets, which have no services. */
  readonly protocol: string | null;
}

// The order in which glibc lists an address's socket types.
const SOCKET_KINDS: readonly SocketKind[] = [
  { type: SOCK_STREAM, proto: 6, protocol: 'tcp' },
  { type: SOCK_DGRAM, proto: 17, protocol: 'udp' },
  { type: SOCK_RAW, proto: 0, protocol: null },
];

/** A checked getaddrinfo request. */
export interface AddrInfoRequest {
  readonly host: string | null;
  /** The port number, or `null` when a service name (or nothing) was given. */
  readonly port: number | null;
  readonly service: string | null;
  readonly family: number;
  readonly type: number;
  readonly proto: number;
  readonly flags: number;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkInteger(name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  return value;
}

/** Checks a port: an integer 0..65535, a string of digits, a service name, or null. */
export function checkServicePort(port: unknown): { port: number | null; service: string | null } {
  if (port === undefined || port === null || port === '') return { port: null, service: null };
  let value: number;
  if (typeof port === 'number') value = port;
  else if (typeof port === 'string') {
    if (!/^\s*\d+\s*$/.test(port)) {
      if (port.includes('\0')) throw new ValueError('port must not contain a NUL character');
      return { port: null, service: port };
    }
    value = Number(port);
  } else {
    throw new TypeError(
      `port must be an integer 0-65535, a service name such as 'http', or null, got ${describe(port)}`,
    );
  }
  if (!Number.isInteger(value)) {
    throw new TypeError(`port must be an integer 0-65535, got ${describe(port)}`);
  }
  if (value < 0 || value > 65535) {
    throw new ValueError(`port must be 0-65535, got ${describe(port)}`);
  }
  return { port: value, service: null };
}

/** Checks getaddrinfo's arguments, before any I/O. @throws TypeError, ValueError */
export function checkAddrInfoRequest(
  host: unknown,
  port: unknown,
  options: GetaddrinfoOptions | undefined,
): AddrInfoRequest {
  if (host !== null && host !== undefined && typeof host !== 'string') {
    throw new TypeError(
      `getaddrinfo() host must be a string such as 'localhost' or '::1', or null, got ${describe(host)}`,
    );
  }
  if (typeof host === 'string' && host.includes('\0')) {
    throw new ValueError('getaddrinfo() host must not contain a NUL character');
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(
      `getaddrinfo() options must be an object such as { family: 2, type: 1 }, got ${describe(options)}`,
    );
  }
  return {
    host: host ?? null,
    ...checkServicePort(port),
    family: checkInteger('family', options?.family),
    type: checkInteger('type', options?.type),
    proto: checkInteger('proto', options?.proto),
    flags: checkInteger('flags', options?.flags),
  };
}

function gai(code: ConstructorParameters<typeof GaiError>[0]): GaiError {
  return new GaiError(code, { syscall: 'getaddrinfo' });
}

/** The socket kinds the request asks for, each with its port. */
async function socketKinds(req: AddrInfoRequest): Promise<Array<[SocketKind, number]>> {
  let kinds = SOCKET_KINDS.filter((k) => req.type === 0 || k.type === req.type);
  if (req.proto !== 0) {
    // A raw socket takes any protocol; the others only their own.
    kinds = kinds
      .filter((k) => k.proto === req.proto || (k.type === SOCK_RAW && req.type === SOCK_RAW))
      .map((k) => (k.type === SOCK_RAW ? { ...k, proto: req.proto } : k));
  }
  if (kinds.length === 0) throw gai(req.type === 0 ? 'EAI_SERVICE' : 'EAI_SOCKTYPE');
  if (req.service === null) return kinds.map((k) => [k, req.port ?? 0]);
  if ((req.flags & AI_NUMERICSERV) !== 0) throw gai('EAI_NONAME');
  const services = await loadServices();
  const found: Array<[SocketKind, number]> = [];
  for (const kind of kinds) {
    const port = kind.protocol === null ? undefined : services.port(req.service, kind.protocol);
    if (port !== undefined) found.push([kind, port]);
  }
  if (found.length === 0) throw gai('EAI_SERVICE');
  return found;
}

interface Address {
  readonly address: string;
  readonly family: typeof AF_INET | typeof AF_INET6;
  readonly scopeId: number;
}

async function numericAddress(req: AddrInfoRequest, host: string): Promise<Address | null> {
  const percent = host.indexOf('%');
  const base = percent === -1 ? host : host.slice(0, percent);
  const version = isIP(base);
  if (version === 0 || (percent !== -1 && version !== 6)) return null;
  if (version === 4) {
    if (req.family === AF_INET6) {
      if ((req.flags & AI_V4MAPPED) === 0) throw gai('EAI_ADDRFAMILY');
      return { address: `::ffff:${base}`, family: AF_INET6, scopeId: 0 };
    }
    return { address: base, family: AF_INET, scopeId: 0 };
  }
  if (req.family === AF_INET) throw gai('EAI_ADDRFAMILY');
  const scopeId = percent === -1 ? 0 : await zoneToScopeId(host.slice(percent + 1));
  if (scopeId === null) throw gai('EAI_NONAME');
  return { address: base, family: AF_INET6, scopeId };
}

function lookupAll(req: AddrInfoRequest, host: string): Promise<Address[]> {
  const family = req.family === AF_INET ? 4 : req.family === AF_INET6 ? 6 : 0;
  const hints = req.flags & (AI_ADDRCONFIG | AI_V4MAPPED | AI_ALL);
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, family, hints }, (error, addresses) => {
      if (error !== null) {
        reject(_gaiErrorFromNode(error, 'getaddrinfo') ?? toOSError(error));
        return;
      }
      Promise.all(
        addresses.map(async ({ address, family: version }): Promise<Address> => {
          const numeric = await numericAddress({ ...req, family: AF_UNSPEC }, address);
          return numeric ?? { address, family: version === 6 ? AF_INET6 : AF_INET, scopeId: 0 };
        }),
      ).then(resolve, reject);
    });
  });
}

async function resolveHost(req: AddrInfoRequest): Promise<Address[]> {
  if (req.host === null) {
    // No host: the wildcard addresses for a server (AI_PASSIVE), else the loopback ones, in
    // the order glibc gives them.
    const passive = (req.flags & AI_PASSIVE) !== 0;
    const v4: Address = { address: passive ? '0.0.0.0' : '127.0.0.1', family: AF_INET, scopeId: 0 };
    const v6: Address = { address: passive ? '::' : '::1', family: AF_INET6, scopeId: 0 };
    return (passive ? [v4, v6] : [v6, v4]).filter(
      (a) => req.family === AF_UNSPEC || a.family === req.family,
    );
  }
  if (req.host === '') throw gai('EAI_NONAME');
  const numeric = await numericAddress(req, req.host);
  if (numeric !== null) return [numeric];
  if ((req.flags & AI_NUMERICHOST) !== 0) throw gai('EAI_NONAME');
  return lookupAll(req, req.host);
}

/**
 * Resolves a checked request to Python's `(family, type, proto, canonname, sockaddr)` entries.
 *
 * @throws GaiError as Python's socket.getaddrinfo raises socket.gaierror
 */
export async function resolveAddrInfo(req: AddrInfoRequest): Promise<AddrInfo[]> {
  if ((req.flags & ~KNOWN_AI_FLAGS) !== 0) throw gai('EAI_BADFLAGS');
  if (req.host === null && (req.flags & AI_CANONNAME) !== 0) throw gai('EAI_BADFLAGS');
  if (req.family !== AF_UNSPEC && req.family !== AF_INET && req.family !== AF_INET6) {
    throw gai('EAI_FAMILY');
  }
  if (req.type < 0 || req.type > SOCK_RAW) throw gai('EAI_SOCKTYPE');
  if (req.host === null && req.port === null && req.service === null) throw gai('EAI_NONAME');
  const kinds = await socketKinds(req);
  const addresses = await resolveHost(req);
  const entries: AddrInfo[] = [];
  for (const { address, family, scopeId } of addresses) {
    for (const [kind, port] of kinds) {
      const sockaddr: SockAddr =
        family === AF_INET6 ? [address, port, 0, scopeId] : [address, port];
      entries.push([family, kind.type, kind.proto, '', sockaddr]);
    }
  }
  // glibc names the canonical name on the first entry only. Node's resolver does not report
  // it, so tsio gives the host as it was asked for (python-differences.md).
  const first = entries[0];
  if (first !== undefined && (req.flags & AI_CANONNAME) !== 0) first[3] = req.host ?? '';
  return entries;
}
