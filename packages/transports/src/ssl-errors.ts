import { OSError } from '@tsio/core';
import type { OSErrorOptions } from '@tsio/core';

/**
 * Python's `ssl` error classes, for the errors of TLS handshakes and connections.
 */

/**
 * Options of `new SSLError(message, options)`.
 *
 * Python parity: the `library` and `reason` attributes of `ssl.SSLError`
 */
export interface SSLErrorOptions extends OSErrorOptions {
  /** The OpenSSL library that failed, e.g. `'SSL routines'`. */
  library?: string;
  /** OpenSSL's reason, e.g. `'wrong version number'`. */
  reason?: string;
}

/**
 * A TLS error: the handshake or the connection failed at the TLS level (an alert from the
 * peer, a protocol or cipher mismatch, a bad certificate). `code` is Node's code, e.g.
 * `'ERR_SSL_WRONG_VERSION_NUMBER'`; `cause` is Node's error.
 *
 * @example
 * ```ts
 * try {
 *   await loop.createConnection(() => new Protocol(), 'example.com', 443, { ssl: true });
 * } catch (error) {
 *   if (error instanceof SSLError) console.log('TLS failed:', error.code);
 * }
 * ```
 *
 * Python parity: `ssl.SSLError`
 */
export class SSLError extends OSError {
  /** The OpenSSL library that failed, when known. Python parity: `ssl.SSLError.library` */
  readonly library: string | null;
  /** Why it failed, when known. Python parity: `ssl.SSLError.reason` */
  readonly reason: string | null;

  /**
   * @param message - what failed
   * @param options - Node's `code`, the OpenSSL `library` and `reason`, and `cause`
   */
  constructor(message?: string, options: SSLErrorOptions = {}) {
    super(message, options);
    this.library = options.library ?? null;
    this.reason = options.reason ?? null;
  }
}

/**
 * The peer's certificate failed verification: no trusted CA vouches for it
 * (`'UNABLE_TO_VERIFY_LEAF_SIGNATURE'`, `'SELF_SIGNED_CERT_IN_CHAIN'`,
 * `'DEPTH_ZERO_SELF_SIGNED_CERT'`), it expired (`'CERT_HAS_EXPIRED'`), or it is not for the
 * host connected to (`'ERR_TLS_CERT_ALTNAME_INVALID'`). `code` is Node's code;
 * `verifyMessage` says why; `reason` is `'CERTIFICATE_VERIFY_FAILED'` as in Python.
 *
 * Trust a private CA with `ssl: { ca: caPem }`; check another name with `serverHostname`.
 *
 * Python parity: `ssl.SSLCertVerificationError` (also `ssl.CertificateError`)
 */
export class SSLCertVerificationError extends SSLError {
  /** Why the certificate was refused. Python parity: `ssl.SSLCertVerificationError.verify_message` */
  readonly verifyMessage: string;

  /**
   * @param message - what failed
   * @param options - Node's `code`, `verifyMessage`, and `cause`
   */
  constructor(message?: string, options: SSLErrorOptions & { verifyMessage?: string } = {}) {
    super(message, { reason: 'CERTIFICATE_VERIFY_FAILED', library: 'SSL', ...options });
    this.verifyMessage = options.verifyMessage ?? message ?? '';
  }
}
