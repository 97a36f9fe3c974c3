import net from 'node:net';
import { OSError, toOSError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import type { AddrInfo } from '../name-resolution.js';

/**
 * Binding the listening sockets of a TCP server: which addresses the hosts name, and one
 * listening `net.Server` per address, as asyncio's `create_server` makes one socket per
 * address that getaddrinfo returns.
 */

/** One address to bind: `host` undefined means every interface (IPv6 dual-stack, or IPv4). */
export interface BindAddress {
  readonly host: string | undefined;
  readonly ipv6Only: boolean;
}

function describeAddress(host: string | undefined, port: number): string {
  if (host === undefined) return `(all interfaces):${port}`;
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;

/**
 * The addresses `hosts` name, as asyncio's `create_server` finds them: `null` is every
 * interface (one dual-stack IPv6 socket, or IPv4 where IPv6 is missing; `family` narrows
 * it), anything else every address `loop.getaddrinfo` gives for it (IP addresses included).
 * Duplicates are bound once.
 *
 * @param family - 0 (any), 2 (`AF_INET`) or 10 (`AF_INET6`)
 * @throws GaiError when a name does not resolve
 */
export async function resolveBindAddresses(
  loop: AbstractEventLoop,
  hosts: readonly (string | null)[],
  port: number,
  family: 0 | 2 | 10,
  flags: number,
): Promise<BindAddress[]> {
  const lists = await Promise.all(
    hosts.map(async (host): Promise<BindAddress[]> => {
      if (host === null) {
        if (family === AF_INET) return [{ host: '0.0.0.0', ipv6Only: false }];
        if (family === AF_INET6) return [{ host: '::', ipv6Only: true }];
        return [{ host: undefined, ipv6Only: false }];
      }
      const infos = (await loop.getaddrinfo(host, port, {
        family,
        type: SOCK_STREAM,
        flags,
      })) as AddrInfo[];
      // asyncio sets IPV6_V6ONLY on every IPv6 socket it binds for a host.
      return infos.map(([af, , , , sockaddr]) => ({
        host: sockaddr[0],
        ipv6Only: af === AF_INET6,
      }));
    }),
  );
  const seen = new Set<string>();
  const result: BindAddress[] = [];
  for (const address of lists.flat()) {
    const key = address.host ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(address);
  }
  return result;
}

/** Starts `server` listening; resolves once it listens, rejects with Node's error. */
export function listen(server: net.Server, options: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options);
  });
}

/** The `OSError` asyncio raises when bind fails, with Node's code and the original as cause. */
function bindError(error: unknown, host: string | undefined, port: number): OSError {
  const mapped = toOSError(error);
  const ErrorClass = mapped.constructor as new (message: string, options: object) => OSError;
  const reason = String(mapped.message).toLowerCase();
  return new ErrorClass(
    `error while attempting to bind on address ${describeAddress(host, port)}: ${reason}`,
    {
      cause: error,
      ...(mapped.code !== undefined && { code: mapped.code }),
      ...(mapped.errno !== undefined && { errno: mapped.errno }),
      ...(mapped.syscall !== undefined && { syscall: mapped.syscall }),
    },
  );
}

/** What to pass to `net.Server#listen` besides the address. */
export interface BindOptions {
  readonly port: number;
  readonly backlog: number;
  readonly reusePort: boolean;
}

/**
 * Makes and binds one listening server per address, in order. An address that is not
 * available (`EADDRNOTAVAIL`: its family is not enabled) is skipped, as asyncio does
 * (bpo-30945); any other failure closes the servers already bound and throws.
 *
 * @throws OSError `error while attempting to bind on address ...` (code kept, e.g.
 *   `EADDRINUSE`), or `could not bind on any address` when every address was skipped
 */
export async function bindAll(
  addresses: readonly BindAddress[],
  options: BindOptions,
  makeServer: () => net.Server,
): Promise<net.Server[]> {
  const servers: net.Server[] = [];
  try {
    for (const { host, ipv6Only } of addresses) {
      const server = makeServer();
      const listenOptions: net.ListenOptions & { reusePort?: boolean } = {
        port: options.port,
        backlog: options.backlog,
        exclusive: true,
        ipv6Only,
        ...(host !== undefined && { host }),
        ...(options.reusePort && { reusePort: true }),
      };
      try {
        await listen(server, listenOptions);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'EADDRNOTAVAIL') continue;
        throw bindError(error, host, options.port);
      }
      servers.push(server);
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  if (servers.length === 0) {
    const all = addresses.map(({ host }) => describeAddress(host, options.port)).join(', ');
    throw new OSError(`could not bind on any address out of [${all}]`, { code: 'EADDRNOTAVAIL' });
  }
  return servers;
}
