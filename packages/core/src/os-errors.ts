/**
 * Python's `OSError` family, and the mapping from Node's system errors (`err.code`) to it.
 */

import { getSystemErrorMap } from 'node:util';

/**
 * Options of `new OSError(message, options)`: the fields of a Node system error.
 *
 * Python parity: `OSError(errno, strerror, filename)` arguments
 */
export interface OSErrorOptions extends ErrorOptions {
  /** The error number, as Node reports it (negative on POSIX, e.g. `-111`). */
  errno?: number;
  /** The symbolic error code, e.g. `'ECONNREFUSED'`. */
  code?: string;
  /** The system call that failed, e.g. `'connect'`. */
  syscall?: string;
  /** The system's description of the error; defaults to the one known for `errno`. */
  strerror?: string;
  /** The file path involved, if any. */
  filename?: string;
}

let systemErrors: Map<number, [string, string]> | undefined;

/** The system's description of `errno` (e.g. "connection refused"), or `null`. */
function describeErrno(errno: number | undefined): string | null {
  if (errno === undefined) return null;
  systemErrors ??= getSystemErrorMap();
  return systemErrors.get(errno)?.[1] ?? null;
}

/**
 * A system call failed; `code`, `errno` and `syscall` say which and why.
 *
 * Node's `errno` is kept as Node reports it (negative on POSIX), where Python's is positive;
 * compare `code` to stay portable.
 *
 * Python parity: `OSError`
 */
export class OSError extends Error {
  /** The error number, as Node reports it. Python parity: `OSError.errno` (sign differs) */
  declare readonly errno?: number;
  /** The symbolic error code, e.g. `'ECONNRESET'`. */
  declare readonly code?: string;
  /** The system call that failed, e.g. `'read'`. */
  declare readonly syscall?: string;
  /** The file path involved. Python parity: `OSError.filename` */
  declare readonly filename?: string;
  /** The system's description of the error, or `null` when unknown. Python parity: `OSError.strerror` */
  readonly strerror: string | null;

  /**
   * @param message - what failed, e.g. Node's `'connect ECONNREFUSED 127.0.0.1:80'`
   * @param options - the system error's fields, and `cause`
   */
  constructor(message?: string, options: OSErrorOptions = {}) {
    super(message, options);
    this.name = new.target.name;
    const { errno, code, syscall, filename, strerror } = options;
    if (errno !== undefined) this.errno = errno;
    if (code !== undefined) this.code = code;
    if (syscall !== undefined) this.syscall = syscall;
    if (filename !== undefined) this.filename = filename;
    this.strerror = strerror ?? describeErrno(errno);
  }
}

/**
 * A connection-related system error.
 *
 * Python parity: `ConnectionError`
 */
export class ConnectionError extends OSError {}

/**
 * The peer reset the connection (`ECONNRESET`).
 *
 * Python parity: `ConnectionResetError`
 */
export class ConnectionResetError extends ConnectionError {}

/**
 * The peer refused the connection (`ECONNREFUSED`).
 *
 * Python parity: `ConnectionRefusedError`
 */
export class ConnectionRefusedError extends ConnectionError {}

/**
 * The connection was aborted (`ECONNABORTED`).
 *
 * Python parity: `ConnectionAbortedError`
 */
export class ConnectionAbortedError extends ConnectionError {}

/**
 * Writing to a pipe or socket whose other end was closed (`EPIPE`, `ESHUTDOWN`).
 *
 * Python parity: `BrokenPipeError`
 */
export class BrokenPipeError extends ConnectionError {}

/**
 * A file or directory does not exist (`ENOENT`).
 *
 * Python parity: `FileNotFoundError`
 */
export class FileNotFoundError extends OSError {}

/**
 * The operation lacked the access rights it needs (`EACCES`, `EPERM`).
 *
 * Python parity: `PermissionError`
 */
export class PermissionError extends OSError {}

type OSErrorClass = new (message?: string, options?: OSErrorOptions) => OSError;

// The same code-to-class table as CPython's errno mapping in Objects/exceptions.c, for the
// codes that asyncio's transports and streams meet.
const CLASS_BY_CODE: ReadonlyMap<string, OSErrorClass> = new Map<string, OSErrorClass>([
  ['ECONNRESET', ConnectionResetError],
  ['ECONNREFUSED', ConnectionRefusedError],
  ['ECONNABORTED', ConnectionAbortedError],
  ['EPIPE', BrokenPipeError],
  ['ESHUTDOWN', BrokenPipeError],
  ['ENOENT', FileNotFoundError],
  ['EACCES', PermissionError],
  ['EPERM', PermissionError],
]);

function field<K extends string>(value: object, key: K, type: 'string' | 'number'): unknown {
  const v = (value as Partial<Record<K, unknown>>)[key];
  return typeof v === type ? v : undefined;
}

/**
 * Converts an error from a Node API into the `OSError` subclass that Python raises for the
 * same `code` (`ECONNRESET` -> `ConnectionResetError`, `ENOENT` -> `FileNotFoundError`, ...;
 * other codes give a plain `OSError`). The result keeps Node's `message`, `code`, `errno`,
 * `syscall` and `path` (as `filename`), and has the original error as its `cause`.
 * An `OSError` is returned unchanged.
 *
 * @example
 * ```ts
 * import net from 'node:net';
 * const socket = net.connect(1, '127.0.0.1');
 * socket.on('error', (err) => {
 *   const error = toOSError(err); // ECONNREFUSED -> ConnectionRefusedError
 *   console.log(error instanceof ConnectionRefusedError, error.errno);
 * });
 * ```
 *
 * Python parity: `OSError.__new__`, which picks the subclass from `errno`
 */
export function toOSError(nodeError: unknown): OSError {
  if (nodeError instanceof OSError) return nodeError;
  if (typeof nodeError !== 'object' || nodeError === null) {
    return new OSError(String(nodeError), { cause: nodeError });
  }
  const code = field(nodeError, 'code', 'string') as string | undefined;
  const options: OSErrorOptions = { cause: nodeError };
  const errno = field(nodeError, 'errno', 'number') as number | undefined;
  const syscall = field(nodeError, 'syscall', 'string') as string | undefined;
  const path = field(nodeError, 'path', 'string') as string | undefined;
  if (code !== undefined) options.code = code;
  if (errno !== undefined) options.errno = errno;
  if (syscall !== undefined) options.syscall = syscall;
  if (path !== undefined) options.filename = path;
  const message = field(nodeError, 'message', 'string') as string | undefined;
  const ErrorClass = (code !== undefined ? CLASS_BY_CODE.get(code) : undefined) ?? OSError;
  return new ErrorClass(message ?? String(nodeError), options);
}
