// Timeouts and cancellation with streams: a read that waits too long is cancelled, and the
// bytes that arrive afterwards are not lost. Run it with `node examples/dist/streams-timeouts.js`.
import type { AddressInfo, Server } from 'node:net';
import { openConnection, run, sleep, startServer, timeout, TimeoutError } from 'tsio';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

await run(async () => {
  // A slow server: it answers half a second after the question.
  const server = await startServer(
    async (reader, writer) => {
      await reader.readline();
      await sleep(0.5);
      writer.write(encoder.encode('forty-two\n'));
      writer.close();
    },
    '127.0.0.1',
    0,
  );
  const { port } = (server.sockets[0] as Server).address() as AddressInfo;

  const [reader, writer] = await openConnection('127.0.0.1', port);
  writer.write(encoder.encode('what is the answer?\n'));
  await writer.drain();
  try {
    await timeout(0.1).run(() => reader.readline());
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log('no answer within 0.1 s');
  }
  // The cancelled readline() consumed nothing: the answer is still there to be read.
  const answer = await timeout(5).run(() => reader.readline());
  console.log(`answer: ${decoder.decode(answer).trimEnd()}`);

  writer.close();
  await writer.waitClosed();
  server.close();
  await server.waitClosed();
});
