import net from 'node:net';
import tls from 'node:tls';
import { ValueError } from '@tsio/core';

/**
 * The `ssl`, `serverHostname`, `sslHandshakeTimeout` and `sslShutdownTimeout` options of the
 * TLS entry points (`createConnection`, `createServer`, `startTls`...), checked before any I/O.
 */

/** Seconds a TLS handshake may take by default (asyncio's `SSL_HANDSHAKE_TIMEOUT`). */
export const DEFAULT_SSL_HANDSHAKE_TIMEOUT = 60;
/** Seconds a TLS shutdown may take by default (asyncio's `SSL_SHUTDOWN_TIMEOUT`). */
export const DEFAULT_SSL_SHUTDOWN_TIMEOUT = 30;

/** What `ssl` may be for a client: `true` (Node's default CAs), a secure context, or options. */
export type ClientSsl = true | tls.SecureContext | tls.ConnectionOptions;
/** What `ssl` may be for a server: a secure context, or the options of `tls.createServer`. */
export type ServerSsl = tls.SecureContext | tls.TlsOptions;

/**
 * A checked `ssl` value: `context` is what `getExtraInfo('sslcontext')` returns (the user's
 * value; for `ssl: true`, the shared default SecureContext), `options` the Node TLS options.
 */
export interface CheckedSsl<O> {
  readonly context: unknown;
  readonly options: O;
}

let secureContextClass: (abstract new (...args: never[]) => unknown) | undefined;
let defaultContext: tls.SecureContext | undefined;

/** Whether `value` was made by `tls.createSecureContext()`. */
export function isSecureContext(value: unknown): value is tls.SecureContext {
  if (typeof value !== 'object' || value === null) return false;
  secureContextClass ??= tls.createSecureContext().constructor as abstract new () => unknown;
  return value instanceof secureContextClass;
}

/** The SecureContext of `ssl: true` (Node's default CAs), made once and shared. */
export function defaultSecureContext(): tls.SecureContext {
  defaultContext ??= tls.createSecureContext();
  return defaultContext;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Describes a bad value in a message: its type, and the value when short. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'null-prototype object'}`;
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}

/** Whether `ssl` asks for TLS: as Python's `if ssl:`, `undefined`, `null` and `false` do not. */
export function wantsTls(ssl: unknown): boolean {
  return ssl !== undefined && ssl !== null && ssl !== false;
}

/**
 * Checks a client's `ssl` (`what` names it in messages, e.g. `'ssl'` or `'sslContext'`).
 *
 * @throws TypeError unless it is `true`, a `tls.SecureContext` or a plain object of options
 */
export function checkClientSsl(ssl: unknown, what = 'ssl'): CheckedSsl<tls.ConnectionOptions> {
  if (ssl === true) {
    const secureContext = defaultSecureContext();
    return { context: secureContext, options: { secureContext } };
  }
  if (isSecureContext(ssl)) return { context: ssl, options: { secureContext: ssl } };
  if (isPlainObject(ssl)) return { context: ssl, options: { ...ssl } };
  throw new TypeError(
    `${what} must be true (verify the server with Node's default CAs), a tls.SecureContext ` +
      `from tls.createSecureContext(), or an object of tls.connect() options such as ` +
      `{ ca: caPem }; got ${describeValue(ssl)}`,
  );
}

/**
 * Checks a server's `ssl`: it must carry a certificate, so `true` is not enough (asyncio
 * likewise requires an `SSLContext` for a server).
 *
 * @throws ValueError for `true`, or options with neither `cert`+`key`, `pfx`, `secureContext`
 *   nor `SNICallback`; TypeError for any other shape
 */
export function checkServerSsl(ssl: unknown, what = 'ssl'): CheckedSsl<tls.TlsOptions> {
  if (ssl === true) {
    throw new ValueError(
      `${what}: true is not enough for a server, which needs a certificate: pass ` +
        `{ key, cert } (tls.createServer() options) or a tls.SecureContext made with them`,
    );
  }
  if (isSecureContext(ssl)) return { context: ssl, options: { secureContext: ssl } };
  if (isPlainObject(ssl)) {
    const has = (key: string): boolean => ssl[key] !== undefined && ssl[key] !== null;
    if (!(
      (has('cert') && has('key')) ||
      has('pfx') ||
      has('secureContext') ||
      has('SNICallback')
    )) {
      throw new ValueError(
        `${what} for a server needs a certificate: give { key, cert }, { pfx }, ` +
          `{ secureContext } or { SNICallback }`,
      );
    }
    return { context: ssl, options: { ...ssl } };
  }
  throw new TypeError(
    `${what} for a server must be a tls.SecureContext from tls.createSecureContext({ key, cert }) ` +
      `or an object of tls.createServer() options such as { key, cert }; got ${describeValue(ssl)}`,
  );
}

function checkTimeout(value: unknown, name: string, defaultValue: number): number {
  if (value === undefined || value === null) return defaultValue;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of seconds, got ${describeValue(value)}`);
  }
  if (value <= 0) throw new ValueError(`${name} should be a positive number, got ${value}`);
  return value;
}

/**
 * Checks `sslHandshakeTimeout` (seconds; `undefined`/`null`: 60).
 *
 * @throws TypeError for a non-number; ValueError unless it is positive
 */
export function checkHandshakeTimeout(value: unknown): number {
  return checkTimeout(value, 'sslHandshakeTimeout', DEFAULT_SSL_HANDSHAKE_TIMEOUT);
}

/**
 * Checks `sslShutdownTimeout` (seconds; `undefined`/`null`: 30).
 *
 * @throws TypeError for a non-number; ValueError unless it is positive
 */
export function checkShutdownTimeout(value: unknown): number {
  return checkTimeout(value, 'sslShutdownTimeout', DEFAULT_SSL_SHUTDOWN_TIMEOUT);
}

/** The TLS settings of a client connection, checked. */
export interface TlsClientSettings extends CheckedSsl<tls.ConnectionOptions> {
  /** The name sent as SNI and checked against the certificate; `''`: no check. */
  readonly serverHostname: string;
  readonly sslHandshakeTimeout: number;
  readonly sslShutdownTimeout: number;
}

/** The TLS-related options of `createConnection`-like calls, unchecked. */
export interface TlsClientOptionsInput {
  readonly ssl?: unknown;
  readonly serverHostname?: unknown;
  readonly sslHandshakeTimeout?: unknown;
  readonly sslShutdownTimeout?: unknown;
}

/**
 * Checks the TLS options of a client call as `loop.create_connection` does: returns `null`
 * without `ssl` (then the other three must be absent), else the settings, with
 * `serverHostname` defaulting to `host`.
 *
 * @throws ValueError for a TLS option without `ssl`, or `ssl` with neither `host` nor
 *   `serverHostname`; TypeError/ValueError from the checks of each option
 */
export function checkTlsClientOptions(
  options: TlsClientOptionsInput,
  host: string | null | undefined,
): TlsClientSettings | null {
  const { ssl, serverHostname, sslHandshakeTimeout, sslShutdownTimeout } = options;
  const given = (value: unknown): boolean => value !== undefined && value !== null;
  if (!wantsTls(ssl)) {
    for (const [name, value] of [
      ['serverHostname', serverHostname],
      ['sslHandshakeTimeout', sslHandshakeTimeout],
      ['sslShutdownTimeout', sslShutdownTimeout],
    ] as const) {
      if (given(value)) throw new ValueError(`${name} is only meaningful with ssl`);
    }
    return null;
  }
  const checked = checkClientSsl(ssl);
  let name: string;
  if (given(serverHostname)) {
    if (typeof serverHostname !== 'string') {
      throw new TypeError(
        `serverHostname must be a string (the name the certificate must carry; '' disables ` +
          `the check), got ${describeValue(serverHostname)}`,
      );
    }
    name = serverHostname;
  } else {
    if (!host) {
      throw new ValueError('You must set serverHostname when using ssl without a host');
    }
    name = host;
  }
  return {
    ...checked,
    serverHostname: name,
    sslHandshakeTimeout: checkHandshakeTimeout(sslHandshakeTimeout),
    sslShutdownTimeout: checkShutdownTimeout(sslShutdownTimeout),
  };
}

/**
 * The `tls.connect()` options that make Node send `serverHostname` as SNI (not for an IP
 * address, which SNI cannot carry) and check the certificate against it: its DNS names, or
 * its IP addresses for an IP, with `check` (the user's `checkServerIdentity`, else Node's).
 * `''` disables the name check (the chain is still verified), as in asyncio.
 */
export function hostnameOptions(
  serverHostname: string,
  check: unknown = tls.checkServerIdentity,
): tls.ConnectionOptions {
  if (serverHostname === '') return { checkServerIdentity: () => undefined };
  const checkIdentity =
    typeof check === 'function'
      ? (check as typeof tls.checkServerIdentity)
      : tls.checkServerIdentity;
  return {
    ...(net.isIP(serverHostname) === 0 ? { servername: serverHostname } : {}),
    checkServerIdentity: (_host, cert) => checkIdentity(serverHostname, cert),
  };
}
