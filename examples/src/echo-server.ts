// An echo server on tsio streams: every byte a client sends comes back to it.
// Run it with `node examples/dist/echo-server.js --port 8888` (`--port 0` picks a free port);
// it prints the address it serves on, and Ctrl-C stops it.
import type { AddressInfo, Server } from 'node:net';
import { parseArgs } from 'node:util';
import {
  ConnectionError,
  getRunningLoop,
  KeyboardInterrupt,
  run,
  startServer,
  type StreamReader,
  type StreamWriter,
} from 'tsio';

async function handleClient(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const [host, port] = writer.getExtraInfo('peername') as [string, number];
  console.log(`${host}:${port} connected`);
  try {
    for (;;) {
      const data = await reader.read(65536); // whatever has arrived, up to 64 KiB
      if (data.length === 0) break; // end of file: the client is done
      writer.write(data);
      await writer.drain(); // waits while the client reads slower than it sends
    }
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error; // reset by the peer: just end
  } finally {
    writer.close();
  }
  console.log(`${host}:${port} disconnected`);
}

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8888' },
  },
});

try {
  await run(async () => {
    const server = await startServer(handleClient, values.host, Number(values.port));
    const { address, port } = (server.sockets[0] as Server).address() as AddressInfo;
    console.log(`echo server on ${address}:${port}`);
    try {
      await getRunningLoop().createFuture(); // never resolves: serve until Ctrl-C
    } finally {
      server.close(); // stop accepting
      server.closeClients(); // and end the connections still open
      await server.waitClosed();
    }
  });
} catch (error) {
  if (!(error instanceof KeyboardInterrupt)) throw error;
  console.log('echo server stopped');
}
