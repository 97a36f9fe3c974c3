import { lookupService } from 'node:dns';
import { isIP } from 'node:net';
import { OSError, ValueError, toOSError } from '@tsio/core';
import { GaiError, _gaiErrorFromNode } from '../gai-error.js';
import { loadServices } from './services.js';
import { scopeIdToZone, zoneToScopeId } from './scope-id.js';

/**
 * getnameinfo(3) as Python's `socket.getnameinfo` exposes it on Linux. Node's
 * `dns.lookupService` always asks for a name (NI_NAMEREQD) and a TCP service, so the numeric
 * fallback, the flags and the services are handled here, the way glibc does.
 */

const NI_NUMERICHOST = 0x1;
const NI_NUMERICSERV = 0x2;
const NI_NOFQDN = 0x4;
const NI_NAMEREQD = 0x8;
const NI_DGRAM = 0x10;
// glibc also accepts NI_IDN (0x20); it changes nothing here.
const KNOWN_NI_FLAGS = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20;
const MAX_FLOWINFO = 0xfffff;

/** A checked getnameinfo request. */
export interface NameInfoRequest {
  readonly host: string;
  readonly version: 4 | 6;
  readonly port: number;
  /** The zone of the address (`%eth0` or `%2`), or the sockaddr's scope id. */
  readonly zone: string | number | null;
  readonly flags: number;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return String(value);
}

function checkField(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`getnameinfo(): ${name} must be an integer, got ${describe(value)}`);
  }
  if (value < 0 || value > max) {
    throw new ValueError(`getnameinfo(): ${name} must be 0-${max}, got ${value}`);
  }
  return value;
}

/**
 * Checks getnameinfo's arguments, before any I/O.
 *
 * @throws TypeError, ValueError for a malformed sockaddr; OSError for an IPv4 address with
 *   IPv6 fields; GaiError EAI_NONAME for a host that is not a numeric address
 */
export function checkNameInfoRequest(sockaddr: unknown, flags: unknown): NameInfoRequest {
  if (!Array.isArray(sockaddr)) {
    throw new TypeError(
      `getnameinfo() argument 1 must be an array [host, port] or [host, port, flowinfo, scopeid], got ${describe(sockaddr)}`,
    );
  }
  const [host, port, flowinfo = 0, scopeId = 0] = sockaddr as unknown[];
  if (sockaddr.length < 2 || sockaddr.length > 4 || typeof host !== 'string') {
    throw new TypeError(
      `getnameinfo(): illegal sockaddr argument ${describe(sockaddr)}: expected [host, port] or [host, port, flowinfo, scopeid] with a string host`,
    );
  }
  checkField('port', port, 65535);
  checkField('flowinfo', flowinfo, MAX_FLOWINFO);
  checkField('scopeid', scopeId, 0xffffffff);
  if (flags !== undefined && (typeof flags !== 'number' || !Number.isInteger(flags))) {
    throw new TypeError(`getnameinfo() flags must be an integer, got ${describe(flags)}`);
  }
  const percent = host.indexOf('%');
  const base = percent === -1 ? host : host.slice(0, percent);
  const version = isIP(base);
  // Python resolves the host with AI_NUMERICHOST: a name is "not known".
  if (version === 0 || (version === 4 && percent !== -1)) {
    throw new GaiError('EAI_NONAME', { syscall: 'getnameinfo' });
  }
  if (version === 4 && sockaddr.length > 2) {
    throw new OSError(`IPv4 sockaddr must be 2 elements [host, port], got ${describe(sockaddr)}`);
  }
  let zone: string | number | null = null;
  if (percent !== -1) zone = host.slice(percent + 1);
  else if (scopeId !== 0) zone = scopeId as number;
  return {
    host: base,
    version: version === 4 ? 4 : 6,
    port: port as number,
    zone,
    flags: (flags as number) ?? 0,
  };
}

function isLinkLocal(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

function lookupName(address: string, port: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    lookupService(address, port, (error, hostname) => {
      if (error === null) resolve(hostname);
      else if (_gaiErrorFromNode(error, 'getnameinfo')?.code === 'EAI_NONAME') resolve(null);
      else reject(_gaiErrorFromNode(error, 'getnameinfo') ?? toOSError(error));
    });
  });
}

/**
 * Resolves a checked request to `[host, service]`.
 *
 * @throws GaiError as Python's socket.getnameinfo raises socket.gaierror
 */
export async function resolveNameInfo(req: NameInfoRequest): Promise<[string, string]> {
  if ((req.flags & ~KNOWN_NI_FLAGS) !== 0) {
    throw new GaiError('EAI_BADFLAGS', { syscall: 'getnameinfo' });
  }
  let numeric = req.host;
  // A scope matters for link-local addresses only: glibc names its interface there.
  if (req.version === 6 && req.zone !== null && isLinkLocal(req.host)) {
    const scopeId = typeof req.zone === 'number' ? req.zone : await zoneToScopeId(req.zone);
    if (scopeId === null) throw new GaiError('EAI_NONAME', { syscall: 'getnameinfo' });
    numeric = `${req.host}%${await scopeIdToZone(scopeId)}`;
  }
  let host = numeric;
  if ((req.flags & NI_NUMERICHOST) === 0) {
    const name = await lookupName(req.host, req.port);
    if (name === null && (req.flags & NI_NAMEREQD) !== 0) {
      throw new GaiError('EAI_NONAME', { syscall: 'getnameinfo' });
    }
    if (name !== null) host = (req.flags & NI_NOFQDN) !== 0 ? (name.split('.')[0] ?? name) : name;
  }
  let service = String(req.port);
  if ((req.flags & NI_NUMERICSERV) === 0) {
    const protocol = (req.flags & NI_DGRAM) !== 0 ? 'udp' : 'tcp';
    service = (await loadServices()).name(req.port, protocol) ?? service;
  }
  return [host, service];
}
