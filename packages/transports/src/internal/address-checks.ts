import { fileURLToPath } from 'node:url';
import { ValueError } from '@tsio/core';

/**
 * Checks of the addresses given to `createConnection`, `createServer` and friends, made before
 * any I/O so that bad input fails with a typed error saying what to pass instead.
 */

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Checks a host name or address: a string, or `null`/`undefined` (no host) returned as `null`.
 *
 * @param what - how the caller names it in messages, e.g. `'host'` or `'localAddr[0]'`
 * @throws TypeError for anything else
 */
export function checkHost(host: unknown, what: string): string | null {
  if (host === undefined || host === null) return null;
  if (typeof host !== 'string') {
    throw new TypeError(
      `${what} must be a string such as '127.0.0.1', '::1' or 'example.com' (or null), got ${describe(host)}`,
    );
  }
  if (host.includes('\0')) throw new ValueError(`${what} must not contain a NUL character`);
  return host;
}

/**
 * Checks a port: an integer 0..65535 or a string of digits (as Python's getaddrinfo accepts);
 * `null`/`undefined` (no port) is returned as `null`.
 *
 * @throws TypeError for a value of another type; ValueError for a number out of range or not
 *   an integer, or a non-numeric string (service names are not supported)
 */
export function checkPort(port: unknown): number | null {
  if (port === undefined || port === null) return null;
  let value: number;
  if (typeof port === 'number') {
    value = port;
  } else if (typeof port === 'string') {
    if (!/^\s*\d+\s*$/.test(port)) {
      throw new ValueError(
        `port must be an integer 0-65535 or a string of digits, got ${describe(port)}; service names are not supported`,
      );
    }
    value = Number(port);
  } else {
    throw new TypeError(`port must be an integer 0-65535 (or null), got ${describe(port)}`);
  }
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ValueError(`port must be an integer 0-65535, got ${String(port)}`);
  }
  return value;
}

/**
 * Checks a Unix socket path: a non-empty string (a leading NUL names a Linux abstract socket),
 * or a `file:` URL (converted to a path).
 *
 * @throws TypeError for another type; ValueError for an empty path or one containing NUL
 */
export function checkPath(path: unknown): string {
  let value: string;
  if (typeof path === 'string') value = path;
  else if (path instanceof URL) {
    if (path.protocol !== 'file:') {
      throw new ValueError(`path must be a file: URL or a string, got ${path.href}`);
    }
    value = fileURLToPath(path);
  } else {
    throw new TypeError(
      `path must be a string naming a Unix socket, e.g. '/tmp/app.sock', got ${describe(path)}`,
    );
  }
  if (value === '') throw new ValueError('path must not be empty');
  // A leading NUL names a Linux abstract socket, as in Python.
  if (value.indexOf('\0', 1) !== -1) {
    throw new ValueError('path must not contain a NUL character (except a leading one)');
  }
  return value;
}
