import type tls from 'node:tls';
import { defaultSecureContext } from './tls-options.js';

/** `getExtraInfo('cipher')` of a TLS transport: `[name, protocol version, secret bits]`. */
export type CipherInfo = readonly [name: string, version: string, bits: number | null];

/**
 * The secret bits of a cipher suite, read from its OpenSSL or IANA name
 * (`'TLS_AES_256_GCM_SHA384'`, `'ECDHE-RSA-AES128-GCM-SHA256'`): Node does not report them.
 * `null` for a suite this does not know.
 */
export function cipherBits(name: string): number | null {
  const sized = /(?:AES|CAMELLIA|ARIA)_?(128|256)/.exec(name);
  if (sized?.[1] !== undefined) return Number(sized[1]);
  if (name.includes('CHACHA20')) return 256;
  if (name.includes('DES-CBC3') || name.includes('3DES')) return 112;
  return null;
}

/**
 * The extra information of a TLS transport once its handshake is done, as asyncio's
 * SSLProtocol records it:
 * - `'sslcontext'`: `sslContext`, the `ssl` value the connection was made with (for `true`,
 *   the shared SecureContext with Node's default CAs that tsio then uses);
 * - `'peercert'`: the peer's certificate as `socket.getPeerCertificate()` returns it, or `null`
 *   when the peer sent none (Python: `None`);
 * - `'cipher'`: `[name, version, bits]` as Python's `SSLSocket.cipher()`;
 * - `'compression'`: `null` (TLS compression is never used);
 * - `'ssl_object'`: the `tls.TLSSocket` itself.
 */
export function tlsExtraInfo(socket: tls.TLSSocket, sslContext: unknown): Record<string, unknown> {
  const cert = socket.getPeerCertificate();
  const cipher = socket.getCipher() as tls.CipherNameAndProtocol | undefined;
  return {
    sslcontext: sslContext === true ? defaultSecureContext() : sslContext,
    peercert: cert === null || Object.keys(cert).length === 0 ? null : cert,
    cipher:
      cipher === undefined
        ? null
        : ([cipher.name, cipher.version, cipherBits(cipher.name)] satisfies CipherInfo),
    compression: null,
    ssl_object: socket,
  };
}
