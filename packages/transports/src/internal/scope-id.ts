import { readFile, readdir } from 'node:fs/promises';

/**
 * IPv6 zone (scope) ids: the network interface names of `fe80::1%eth0` to the interface index
 * that a sockaddr's `scopeid` holds, and back, as if_nametoindex(3)/if_indextoname(3) give
 * them. Node exposes neither, so tsio reads Linux's /sys/class/net; elsewhere only numeric
 * zones (`fe80::1%2`) are understood.
 */
const NET_DIR = '/sys/class/net';

/** The interface index of zone `zone` (a name or a number), or `null` when unknown. */
export async function zoneToScopeId(zone: string): Promise<number | null> {
  if (/^\d+$/.test(zone)) return Number(zone);
  if (zone.includes('/') || zone.startsWith('.')) return null;
  try {
    const index = Number((await readFile(`${NET_DIR}/${zone}/ifindex`, 'utf8')).trim());
    return Number.isInteger(index) ? index : null;
  } catch {
    return null;
  }
}

/** The interface name of index `scopeId`, or its number as a string when unknown. */
export async function scopeIdToZone(scopeId: number): Promise<string> {
  try {
    for (const name of await readdir(NET_DIR)) {
      const index = await readFile(`${NET_DIR}/${name}/ifindex`, 'utf8').catch(() => '');
      if (Number(index.trim()) === scopeId) return name;
    }
  } catch {
    // No /sys: fall back to the number.
  }
  return String(scopeId);
}
