import { getRunningLoop, type Transport } from '@tsio/core';
import { run } from '@tsio/policies';
import { Protocol } from '@tsio/transports';

class Echo extends Protocol {
  #transport!: Transport;
  override connectionMade(transport: Transport): void {
    this.#transport = transport;
  }
  override dataReceived(data: Uint8Array): void {
    this.#transport.write(data); // buffered; pauseWriting() is called above 64 KiB
  }
}

class Client extends Protocol {
  #answer!: (text: string) => void;
  #fail!: (error: Error) => void;
  readonly reply = new Promise<string>((resolve, reject) => {
    this.#answer = resolve;
    this.#fail = reject;
  });
  override dataReceived(data: Uint8Array): void {
    this.#answer(Buffer.from(data).toString());
  }
  override connectionLost(exc: Error | null): void {
    if (exc !== null) this.#fail(exc); // ConnectionResetError, ...
  }
}

await run(async () => {
  const loop = getRunningLoop();
  await using server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
  const { port } = (server.sockets[0] as import('node:net').Server).address() as { port: number };

  const [transport, client] = await loop.createConnection(() => new Client(), '127.0.0.1', port);
  transport.write(Buffer.from('hello'));
  console.log(await client.reply); // hello
  transport.close(); // flushes, then connectionLost(null)
});
