import { ConnectionAbortedError, OSError, toOSError } from '@tsio/core';
import { SSLCertVerificationError, SSLError } from '../ssl-errors.js';
import type { SSLErrorOptions } from '../ssl-errors.js';

// OpenSSL's certificate verification results, as Node names them in `err.code` (the
// X509_V_ERR_* names without the prefix; see Node's src/crypto/crypto_common.cc).
const VERIFY_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'EMAIL_MISMATCH',
  'IP_ADDRESS_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// Verification failures that mean "no CA you trust signed this": say how to trust one.
const UNTRUSTED_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

function stringField(error: object, key: string): string | undefined {
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Converts an error of a Node TLS socket into Python's class for it: a certificate that
 * failed verification -> `SSLCertVerificationError`; another OpenSSL or Node TLS error
 * (`ERR_SSL_*`, `ERR_TLS_*`) -> `SSLError`; a system error -> its `OSError` subclass
 * (`ECONNRESET` -> `ConnectionResetError`...). Node's `code` is kept; `cause` is Node's error.
 */
export function toTlsError(error: unknown): OSError {
  if (error instanceof OSError) return error;
  if (typeof error !== 'object' || error === null) return toOSError(error);
  const code = stringField(error, 'code');
  const message = stringField(error, 'message') ?? String(error);
  if (code !== undefined && VERIFY_CODES.has(code)) {
    const hint = UNTRUSTED_CODES.has(code)
      ? ' (to trust a private CA, pass ssl: { ca: caPem })'
      : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? ' (serverHostname sets the name to check)'
        : '';
    return new SSLCertVerificationError(`certificate verify failed: ${message}${hint}`, {
      code,
      verifyMessage: message,
      cause: error,
    });
  }
  if (code !== undefined && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    const options: SSLErrorOptions = { code, cause: error };
    const library = stringField(error, 'library');
    const reason = stringField(error, 'reason');
    if (library !== undefined) options.library = library;
    if (reason !== undefined) options.reason = reason;
    return new SSLError(message, options);
  }
  return toOSError(error);
}

/** asyncio's error for a handshake that outlived `sslHandshakeTimeout`. */
export function handshakeTimeoutError(timeoutSeconds: number): ConnectionAbortedError {
  return new ConnectionAbortedError(
    `SSL handshake is taking longer than ${formatSeconds(timeoutSeconds)} seconds: ` +
      'aborting the connection',
  );
}

/** Seconds as Python prints a float: `60.0`, `0.5`. */
function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}
