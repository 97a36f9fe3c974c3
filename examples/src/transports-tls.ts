// TLS with transports: the guide docs/transports-and-protocols.md walks through this file. It
// uses the test certificates of packages/transports (public keys: never use them elsewhere).
// Run it with `node examples/dist/transports-tls.js`.
import { readFileSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { Future, getRunningLoop, Protocol, run, type Transport } from 'tsio';

const fixture = (name: string) =>
  readFileSync(new URL(`../../packages/transports/test/fixtures/tls/${name}`, import.meta.url));

class Echo extends Protocol {
  #transport!: Transport;
  override connectionMade(transport: Transport): void {
    this.#transport = transport;
  }
  override dataReceived(data: Uint8Array): void {
    this.#transport.write(data);
  }
}

class Client extends Protocol {
  readonly reply = new Future<string>();
  override dataReceived(data: Uint8Array): void {
    if (!this.reply.done()) this.reply.setResult(Buffer.from(data).toString());
  }
  override connectionLost(exc: Error | null): void {
    if (exc !== null && !this.reply.done()) this.reply.setException(exc);
  }
}

await run(async () => {
  const loop = getRunningLoop();
  // A server needs a certificate and its key: `ssl` takes tls.createServer() options or a
  // tls.SecureContext.
  await using server = await loop.createServer(() => new Echo(), '127.0.0.1', 0, {
    ssl: { cert: fixture('localhost.crt'), key: fixture('localhost.key') },
  });
  const { port } = (server.sockets[0] as Server).address() as AddressInfo;

  // A client verifies the server's certificate by default: `ssl: true` trusts the system's
  // CAs; here the test CA signed the server's certificate, so the client trusts that CA.
  const [transport, client] = await loop.createConnection(() => new Client(), '127.0.0.1', port, {
    ssl: { ca: fixture('ca.crt') },
    serverHostname: 'localhost', // the name the certificate must carry
  });
  const [cipher, version] = transport.getExtraInfo('cipher') as [string, string, number];
  console.log('protocol:', version, 'cipher:', cipher.length > 0); // protocol: TLSv1.3 cipher: true
  transport.write(Buffer.from('secret'));
  console.log(await client.reply); // secret
  transport.close();
});
