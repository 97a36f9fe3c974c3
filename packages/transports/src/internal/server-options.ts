import net from 'node:net';
import tls from 'node:tls';
import { ValueError } from '@tsio/core';
import {
  checkHandshakeTimeout,
  checkServerSsl,
  checkShutdownTimeout,
  wantsTls,
  type CheckedSsl,
  type ServerSsl,
} from './tls-options.js';

/**
 * Options of `loop.createServer(protocolFactory, host, port, options)`. (A type alias, not
 * an interface, so that it is assignable to core's `IoOptions` record.)
 *
 * Python parity: the keyword arguments of `loop.create_server`
 */
export type CreateServerOptions = {
  /**
   * Address family to bind: 0 (any; the default), 2 (`AF_INET`) or 10 (`AF_INET6`), as
   * `getaddrinfo` takes; 4 and 6 are accepted for IPv4 and IPv6 too. Python parity: `family`
   */
  readonly family?: 0 | 2 | 10 | 4 | 6 | null;
  /** `AI_*` flags for `getaddrinfo` (see `GetaddrinfoOptions`). Python parity: `flags` */
  readonly flags?: number | null;
  /** A listening `net.Server` to serve instead of binding `host`/`port`. Python parity: `sock` */
  readonly sock?: net.Server | null;
  /** Length of the queue of connections not yet accepted; defaults to 100. Python parity: `backlog` */
  readonly backlog?: number;
  /** Serve TLS: a `tls.SecureContext` or `tls.createServer` options (with `key` and `cert`). */
  readonly ssl?: ServerSsl | null;
  /** Must be true or absent: libuv always sets `SO_REUSEADDR` on TCP servers. */
  readonly reuseAddress?: boolean | null;
  /** Let several servers bind the same port (`SO_REUSEPORT`); needs Node >= 22.12 or 23.1. */
  readonly reusePort?: boolean | null;
  /** Enable TCP keep-alive on accepted connections. Python parity: `keep_alive` */
  readonly keepAlive?: boolean | null;
  /** Seconds a TLS handshake may take before the connection is aborted (ssl only). */
  readonly sslHandshakeTimeout?: number | null;
  /** Seconds a TLS shutdown may take (ssl only). */
  readonly sslShutdownTimeout?: number | null;
  /** Start accepting connections at once (default true); otherwise call `startServing()`. */
  readonly startServing?: boolean;
};

/**
 * Options of `loop.createUnixServer(protocolFactory, path, options)`.
 *
 * Python parity: the keyword arguments of `loop.create_unix_server`
 */
export type CreateUnixServerOptions = {
  /** A listening `net.Server` on a Unix socket to serve instead of binding `path`. */
  readonly sock?: net.Server | null;
  /** Length of the queue of connections not yet accepted; defaults to 100. */
  readonly backlog?: number;
  /** Serve TLS: a `tls.SecureContext` or `tls.createServer` options (with `key` and `cert`). */
  readonly ssl?: ServerSsl | null;
  /** Seconds a TLS handshake may take before the connection is aborted (ssl only). */
  readonly sslHandshakeTimeout?: number | null;
  /** Seconds a TLS shutdown may take (ssl only). */
  readonly sslShutdownTimeout?: number | null;
  /** Start accepting connections at once (default true); otherwise call `startServing()`. */
  readonly startServing?: boolean;
  /** Remove the socket file when the server closes (default true). Python parity: `cleanup_socket` */
  readonly cleanupSocket?: boolean;
};

/** The options every server has, checked and with defaults filled in. */
export interface ServerSettings {
  readonly sock: net.Server | null;
  readonly backlog: number;
  /** `null` without TLS. */
  readonly ssl: CheckedTls | null;
  readonly startServing: boolean;
}

/** A server's TLS settings, checked. */
export interface CheckedTls extends CheckedSsl<tls.TlsOptions> {
  readonly sslHandshakeTimeout: number;
  readonly sslShutdownTimeout: number;
}

const SERVER_KEYS = [
  'family',
  'flags',
  'sock',
  'backlog',
  'ssl',
  'reuseAddress',
  'reusePort',
  'keepAlive',
  'sslHandshakeTimeout',
  'sslShutdownTimeout',
  'startServing',
] as const;

const UNIX_SERVER_KEYS = [
  'sock',
  'backlog',
  'ssl',
  'sslHandshakeTimeout',
  'sslShutdownTimeout',
  'startServing',
  'cleanupSocket',
] as const;

type Bag = Readonly<Record<string, unknown>>;

/** Checks that `options` is an object with known keys only, and returns it. */
export function checkOptionKeys(options: unknown, valid: readonly string[], fn: string): Bag {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${fn}() options must be an object, got ${String(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => !valid.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(
      `${fn}() got unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; valid options are ${valid.join(', ')}`,
    );
  }
  return options as Bag;
}

function optionalBoolean(bag: Bag, key: string, fallback: boolean): boolean {
  const value = bag[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`${key} must be a boolean, got ${String(value)}`);
  return value;
}

function checkTls(bag: Bag): CheckedTls | null {
  const ssl = bag['ssl'];
  if (!wantsTls(ssl)) {
    for (const key of ['sslHandshakeTimeout', 'sslShutdownTimeout']) {
      const value = bag[key];
      if (value !== undefined && value !== null)
        throw new ValueError(`${key} is only meaningful with ssl`);
    }
    return null;
  }
  return {
    ...checkServerSsl(ssl),
    sslHandshakeTimeout: checkHandshakeTimeout(bag['sslHandshakeTimeout']),
    sslShutdownTimeout: checkShutdownTimeout(bag['sslShutdownTimeout']),
  };
}

function checkSock(value: unknown): net.Server | null {
  if (value === undefined || value === null) return null;
  if (value instanceof tls.Server) {
    throw new TypeError(
      'sock cannot be a tls.Server; pass a net.Server and the ssl option instead',
    );
  }
  if (!(value instanceof net.Server)) {
    throw new TypeError(`sock must be a listening net.Server, got ${String(value)}`);
  }
  if (!value.listening) {
    throw new ValueError(
      'sock must be a listening net.Server: call sock.listen(...) and wait for it first',
    );
  }
  return value;
}

function checkSettings(bag: Bag): ServerSettings {
  const backlog = bag['backlog'] ?? 100;
  if (typeof backlog !== 'number' || !Number.isInteger(backlog)) {
    throw new TypeError(`backlog must be an integer, got ${String(backlog)}`);
  }
  return {
    sock: checkSock(bag['sock']),
    backlog: Math.max(0, backlog),
    ssl: checkTls(bag),
    startServing: optionalBoolean(bag, 'startServing', true),
  };
}

/** `createServer` options, checked; the TCP-only ones besides the shared settings. */
export interface TcpServerSettings extends ServerSettings {
  /** 0, 2 (`AF_INET`) or 10 (`AF_INET6`). */
  readonly family: 0 | 2 | 10;
  readonly flags: number;
  readonly reusePort: boolean;
  readonly keepAlive: boolean;
}

const FAMILIES: ReadonlyMap<unknown, 0 | 2 | 10> = new Map<unknown, 0 | 2 | 10>([
  [0, 0],
  [2, 2],
  [4, 2],
  [10, 10],
  [6, 10],
]);

/** Whether this Node.js has `listen({ reusePort })`: 22.12+ or 23.1+. */
export function hasReusePort(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/**
 * Checks `createServer`'s options before any I/O.
 *
 * @throws TypeError for an unknown key or a value of the wrong type; ValueError for a value
 *   out of range or an option this Node.js cannot honour
 */
export function checkServerOptions(options: unknown): TcpServerSettings {
  const bag = checkOptionKeys(options, SERVER_KEYS, 'createServer');
  const family = FAMILIES.get(bag['family'] ?? 0);
  if (family === undefined) {
    throw new ValueError(
      `family must be 0 (any), 2 (AF_INET, or 4) or 10 (AF_INET6, or 6), got ${String(bag['family'])}`,
    );
  }
  const flags = bag['flags'] ?? 0;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0) {
    throw new TypeError(
      `flags must be a non-negative integer of dns.lookup hints, got ${String(flags)}`,
    );
  }
  if (optionalBoolean(bag, 'reuseAddress', true) === false) {
    throw new ValueError(
      'reuseAddress: false is not supported: libuv always sets SO_REUSEADDR on TCP servers; omit the option',
    );
  }
  const reusePort = optionalBoolean(bag, 'reusePort', false);
  if (reusePort && !hasReusePort()) {
    throw new ValueError(
      `reusePort is not supported by this Node.js version (needs Node.js >= 22.12 or >= 23.1, running ${process.versions.node})`,
    );
  }
  return {
    ...checkSettings(bag),
    family,
    flags,
    reusePort,
    keepAlive: optionalBoolean(bag, 'keepAlive', false),
  };
}

/** `createUnixServer` options, checked. */
export interface UnixServerSettings extends ServerSettings {
  readonly cleanupSocket: boolean;
}

/**
 * Checks `createUnixServer`'s options before any I/O.
 *
 * @throws TypeError for an unknown key or a value of the wrong type; ValueError for a value
 *   out of range
 */
export function checkUnixServerOptions(options: unknown): UnixServerSettings {
  const bag = checkOptionKeys(options, UNIX_SERVER_KEYS, 'createUnixServer');
  return { ...checkSettings(bag), cleanupSocket: optionalBoolean(bag, 'cleanupSocket', true) };
}
