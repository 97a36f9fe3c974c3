// UDP with DatagramProtocol: the guide docs/transports-and-protocols.md walks through this
// file. Run it with `node examples/dist/transports-datagram.js`.
import {
  DatagramProtocol,
  Future,
  getRunningLoop,
  run,
  timeout,
  type DatagramTransport,
  type SocketAddress,
} from 'tsio';

/** Answers every datagram with the same bytes, upper-cased, to the address it came from. */
class UpperServer extends DatagramProtocol {
  #transport!: DatagramTransport;

  override connectionMade(transport: DatagramTransport): void {
    this.#transport = transport;
  }

  override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
    this.#transport.sendto(Buffer.from(Buffer.from(data).toString().toUpperCase()), addr);
  }
}

/** Keeps the first reply; UDP may lose datagrams, so the caller waits with a timeout. */
class Client extends DatagramProtocol {
  readonly reply = new Future<string>();

  override datagramReceived(data: Uint8Array): void {
    if (!this.reply.done()) this.reply.setResult(Buffer.from(data).toString());
  }

  override errorReceived(exc: Error): void {
    // An ICMP "port unreachable" and the like: the endpoint stays open.
    if (!this.reply.done()) this.reply.setException(exc);
  }
}

await run(async () => {
  const loop = getRunningLoop();
  const [serverTransport] = await loop.createDatagramEndpoint(() => new UpperServer(), {
    localAddr: ['127.0.0.1', 0], // port 0: pick a free port
  });
  const [host, port] = serverTransport.getExtraInfo('sockname') as [string, number];

  const [clientTransport, client] = await loop.createDatagramEndpoint(() => new Client(), {
    remoteAddr: [host, port], // connected: sendto() needs no address
  });
  try {
    clientTransport.sendto(Buffer.from('hello over udp'));
    console.log(await timeout(1).run(() => client.reply)); // HELLO OVER UDP
  } finally {
    clientTransport.close();
    serverTransport.close();
  }
});
