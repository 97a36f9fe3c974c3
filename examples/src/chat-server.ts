// A line-based chat server on tsio streams: each line a client sends goes to every other
// client, `/quit` leaves. Run it with `node examples/dist/chat-server.js --port 8888` and
// talk from several terminals with `nc 127.0.0.1 8888`; Ctrl-C stops it.
import type { AddressInfo, Server } from 'node:net';
import { parseArgs } from 'node:util';
import {
  ConnectionError,
  getRunningLoop,
  KeyboardInterrupt,
  run,
  startServer,
  ValueError,
  type StreamReader,
  type StreamWriter,
} from 'tsio';

const MAX_LINE = 4096; // the reader's limit: a longer line is refused
const MAX_BACKLOG = 1024 * 1024; // a client with this much chat unread is disconnected
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const members = new Map<StreamWriter, string>();
let nextGuest = 1;

/** Sends `text` to every member but `except`. */
function broadcast(text: string, except: StreamWriter | null): void {
  const data = encoder.encode(text);
  for (const writer of members.keys()) {
    if (writer === except) continue;
    // No `await drain()` here: one slow reader must not hold up the room. Its transport
    // buffers instead, and a member who lets too much pile up is dropped.
    if (writer.transport.getWriteBufferSize() > MAX_BACKLOG) writer.transport.abort();
    else writer.write(data);
  }
}

async function handleClient(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const name = `guest${nextGuest++}`;
  members.set(writer, name);
  writer.write(encoder.encode(`welcome, ${name}! /quit to leave\n`));
  broadcast(`* ${name} joined\n`, writer);
  try {
    for (;;) {
      let line: Uint8Array;
      try {
        line = await reader.readline();
      } catch (error) {
        // Longer than MAX_LINE: readline() threw the line away; the connection goes on.
        if (!(error instanceof ValueError)) throw error;
        writer.write(encoder.encode(`* line too long (over ${MAX_LINE} bytes)\n`));
        continue;
      }
      if (line.length === 0) break; // the client closed the connection
      const text = decoder.decode(line).trimEnd();
      if (text === '/quit') {
        writer.write(encoder.encode('bye\n'));
        break;
      }
      if (text !== '') broadcast(`<${name}> ${text}\n`, writer);
    }
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error; // reset by the peer: just leave
  } finally {
    members.delete(writer);
    writer.close();
    broadcast(`* ${name} left\n`, null);
  }
}

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8888' },
  },
});

try {
  await run(async () => {
    const server = await startServer(handleClient, values.host, Number(values.port), {
      limit: MAX_LINE,
    });
    const { address, port } = (server.sockets[0] as Server).address() as AddressInfo;
    console.log(`chat server on ${address}:${port}`);
    try {
      await getRunningLoop().createFuture(); // never resolves: serve until Ctrl-C
    } finally {
      server.close();
      server.closeClients();
      await server.waitClosed();
    }
  });
} catch (error) {
  if (!(error instanceof KeyboardInterrupt)) throw error;
  console.log('chat server stopped');
}
