import net from 'node:net';
import { ValueError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { checkHost, checkPort } from './address-checks.js';
import { bindAll, resolveBindAddresses } from './listen.js';
import type { TcpServerSettings } from './server-options.js';

/** The hosts asyncio binds for `host`: `null`/`''` is every interface; an array, each. */
export function checkHosts(host: unknown): (string | null)[] {
  if (host === '' || host === undefined || host === null) return [null];
  if (typeof host === 'string') return [checkHost(host, 'host')];
  if (Array.isArray(host)) {
    if (host.length === 0)
      throw new ValueError('host must not be an empty array; pass null to bind every interface');
    return host.map((h: unknown, i) => (h === '' ? null : checkHost(h, `host[${i}]`)));
  }
  throw new TypeError(
    `host must be a string, an array of strings, or null (every interface), got ${typeof host === 'object' ? 'an object' : `${typeof host} ${String(host)}`}`,
  );
}

/**
 * Makes the listening servers of `createServer`: checks the address, then binds one
 * `net.Server` per address `host` names (or takes `settings.sock`).
 *
 * @throws TypeError/ValueError for a bad host or port, or both sock and host/port given;
 *   OSError when binding fails (see `bindAll`)
 */
export async function bindTcpServers(
  loop: AbstractEventLoop,
  host: unknown,
  port: unknown,
  settings: TcpServerSettings,
  makeServer: () => net.Server,
): Promise<net.Server[]> {
  const hasAddress =
    !(host === undefined || host === null) || !(port === undefined || port === null);
  if (!hasAddress) {
    if (settings.sock === null) throw new ValueError('Neither host/port nor sock were specified');
    return [settings.sock];
  }
  if (settings.sock !== null)
    throw new ValueError('host/port and sock can not be specified at the same time');
  const hosts = checkHosts(host);
  const checkedPort = checkPort(port) ?? 0;
  const addresses = await resolveBindAddresses(
    loop,
    hosts,
    checkedPort,
    settings.family,
    settings.flags,
  );
  return bindAll(
    addresses,
    { port: checkedPort, backlog: settings.backlog, reusePort: settings.reusePort },
    makeServer,
  );
}
