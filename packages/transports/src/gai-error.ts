import { OSError } from '@tsio/core';

// glibc's EAI_* numbers (netdb.h) and gai_strerror(3) texts: what Python's socket.gaierror
// carries on Linux.
const GAI_ERRORS: ReadonlyMap<string, readonly [errno: number, strerror: string]> = new Map([
  ['EAI_BADFLAGS', [-1, 'Bad value for ai_flags']],
  ['EAI_NONAME', [-2, 'Name or service not known']],
  ['EAI_AGAIN', [-3, 'Temporary failure in name resolution']],
  ['EAI_FAIL', [-4, 'Non-recoverable failure in name resolution']],
  ['EAI_NODATA', [-5, 'No address associated with hostname']],
  ['EAI_FAMILY', [-6, 'ai_family not supported']],
  ['EAI_SOCKTYPE', [-7, 'ai_socktype not supported']],
  ['EAI_SERVICE', [-8, 'Servname not supported for ai_socktype']],
  ['EAI_ADDRFAMILY', [-9, 'Address family for hostname not supported']],
  ['EAI_MEMORY', [-10, 'Memory allocation failure']],
  ['EAI_SYSTEM', [-11, 'System error']],
  ['EAI_OVERFLOW', [-12, 'Argument buffer overflow']],
]);

/**
 * The `EAI_*` codes a `GaiError` can carry.
 *
 * Python parity: the `socket.EAI_*` constants
 */
export type GaiErrorCode =
  | 'EAI_BADFLAGS'
  | 'EAI_NONAME'
  | 'EAI_AGAIN'
  | 'EAI_FAIL'
  | 'EAI_NODATA'
  | 'EAI_FAMILY'
  | 'EAI_SOCKTYPE'
  | 'EAI_SERVICE'
  | 'EAI_ADDRFAMILY'
  | 'EAI_MEMORY'
  | 'EAI_SYSTEM'
  | 'EAI_OVERFLOW';

/**
 * Name resolution failed: `getaddrinfo` or `getnameinfo` could not resolve the host or the
 * service. `code` is the resolver's symbolic code (`'EAI_NONAME'`, `'EAI_AGAIN'`,
 * `'EAI_SERVICE'`...), `errno` its number as Python reports it on Linux (`EAI_NONAME` is
 * `-2`), and the message reads as Python's, e.g. `[Errno -2] Name or service not known`.
 *
 * @example
 * ```ts
 * try {
 *   await loop.getaddrinfo('no-such-host.invalid', 80);
 * } catch (error) {
 *   if (error instanceof GaiError && error.code === 'EAI_NONAME') console.log('unknown host');
 *   else throw error;
 * }
 * ```
 *
 * Python parity: `socket.gaierror`
 */
export class GaiError extends OSError {
  declare readonly code: GaiErrorCode;
  declare readonly errno: number;

  /**
   * @param code - the resolver's code, e.g. `'EAI_NONAME'`
   * @param options - `syscall` (`'getaddrinfo'` or `'getnameinfo'`) and `cause`
   */
  constructor(code: GaiErrorCode, options: { syscall?: string; cause?: unknown } = {}) {
    const [errno, strerror] = GAI_ERRORS.get(code) ?? [0, code];
    super(`[Errno ${errno}] ${strerror}`, { ...options, code, errno, strerror });
  }
}

// Node names EAI_NONAME and EAI_NODATA both 'ENOTFOUND' (lib/internal/errors.js, dnsException).
const GAI_CODE_BY_NODE_CODE: ReadonlyMap<string, GaiErrorCode> = new Map<string, GaiErrorCode>([
  ['ENOTFOUND', 'EAI_NONAME'],
  ['ENODATA', 'EAI_NODATA'],
  ...[...GAI_ERRORS.keys()].map((code): [string, GaiErrorCode] => [code, code as GaiErrorCode]),
]);

/** The `GaiError` for an error of Node's `dns.lookup`/`lookupService`, or `null` for others. */
export function _gaiErrorFromNode(error: unknown, syscall: string): GaiError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const gaiCode = GAI_CODE_BY_NODE_CODE.get(code);
  return gaiCode === undefined ? null : new GaiError(gaiCode, { syscall, cause: error });
}
