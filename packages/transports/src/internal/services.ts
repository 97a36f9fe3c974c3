import { readFile } from 'node:fs/promises';

/**
 * The services database (`/etc/services`, as getaddrinfo(3) and getnameinfo(3) read it through
 * glibc): service names to ports and back, per protocol ('tcp', 'udp'). Node's resolver does
 * not expose getservbyname(3), so tsio reads the file itself, once, asynchronously; where it is
 * missing (Windows, minimal containers) a small built-in table of common services is used.
 */
export interface ServiceTable {
  /** The port of `name` (a service name or alias) for `protocol`, or `undefined`. */
  port(name: string, protocol: string): number | undefined;
  /** The service name of `port` for `protocol`, or `undefined`. */
  name(port: number, protocol: string): string | undefined;
}

const SERVICES_FILE = '/etc/services';

// name, port, protocols: used only when SERVICES_FILE cannot be read.
const BUILT_IN = `
ftp 21/tcp
ssh 22/tcp
telnet 23/tcp
smtp 25/tcp mail
domain 53/tcp
domain 53/udp
http 80/tcp www
pop3 110/tcp pop-3
ntp 123/udp
imap2 143/tcp imap
snmp 161/udp
https 443/tcp
https 443/udp
submission 587/tcp
imaps 993/tcp
pop3s 995/tcp
`;

class ParsedServices implements ServiceTable {
  private readonly ports = new Map<string, number>();
  private readonly names = new Map<string, string>();

  constructor(text: string) {
    for (const rawLine of text.split('\n')) {
      const line = rawLine.replace(/#.*/, '').trim();
      if (line === '') continue;
      const [name, portProto, ...aliases] = line.split(/\s+/);
      const match = /^(\d+)\/(\w+)$/.exec(portProto ?? '');
      if (name === undefined || match === null) continue;
      const port = Number(match[1]);
      const protocol = match[2] as string;
      // The first entry wins, as getservbyname(3) returns the first match.
      for (const alias of [name, ...aliases]) {
        const key = `${alias}/${protocol}`;
        if (!this.ports.has(key)) this.ports.set(key, port);
      }
      const key = `${port}/${protocol}`;
      if (!this.names.has(key)) this.names.set(key, name);
    }
  }

  port(name: string, protocol: string): number | undefined {
    return this.ports.get(`${name}/${protocol}`);
  }

  name(port: number, protocol: string): string | undefined {
    return this.names.get(`${port}/${protocol}`);
  }
}

let services: Promise<ServiceTable> | undefined;

/** The services table, read on first use. */
export function loadServices(): Promise<ServiceTable> {
  services ??= readFile(SERVICES_FILE, 'utf8').then(
    (text) => new ParsedServices(text),
    () => new ParsedServices(BUILT_IN),
  );
  return services;
}
