import { run } from '@tsio/policies';
import { openConnection, startServer, type StreamReader, type StreamWriter } from '@tsio/streams';

async function shout(reader: StreamReader, writer: StreamWriter): Promise<void> {
  for await (const line of reader) {
    writer.write(Buffer.from(line.toString().toUpperCase()));
    await writer.drain(); // waits while the peer is slow to read
  }
  writer.close();
}

await run(async () => {
  await using server = await startServer(shout, '127.0.0.1', 0);
  const { port } = (server.sockets[0] as import('node:net').Server).address() as { port: number };

  const [reader, writer] = await openConnection('127.0.0.1', port);
  writer.write(Buffer.from('hello\nstreams\n'));
  console.log((await reader.readline()).toString().trim()); // HELLO
  console.log((await reader.readuntil('\n')).toString().trim()); // STREAMS
  writer.close();
  await writer.waitClosed();
});
