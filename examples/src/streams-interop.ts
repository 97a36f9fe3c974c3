// Node and web stream interop: a file read as a StreamReader, a connection fed by pipeline(),
// and a reply read through a web TextDecoderStream. Run it with
// `node examples/dist/streams-interop.js`.
import fs from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TextDecoderStream } from 'node:stream/web';
import {
  openConnection,
  readerFromNodeReadable,
  readerToNodeReadable,
  readerToWebStream,
  run,
  startServer,
  writerToNodeWritable,
} from 'tsio';

const file = path.join(os.tmpdir(), `tsio-interop-${process.pid}.txt`);
fs.writeFileSync(file, Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join(''));

await run(async () => {
  // A Node Readable as a StreamReader: count the lines of a file.
  let count = 0;
  for await (const _line of readerFromNodeReadable(fs.createReadStream(file))) count++;
  console.log(`${count} lines in the file`);

  // An echo server made of two Node streams joined by pipeline().
  const server = await startServer(
    async (reader, writer) => {
      await pipeline(readerToNodeReadable(reader), writerToNodeWritable(writer));
      writer.close();
    },
    '127.0.0.1',
    0,
  );
  const { port } = (server.sockets[0] as Server).address() as AddressInfo;

  // Upload the file with pipeline() (its end sends end of file), read the echo as text.
  const [reader, writer] = await openConnection('127.0.0.1', port);
  const upload = pipeline(fs.createReadStream(file), writerToNodeWritable(writer));
  let text = '';
  for await (const piece of readerToWebStream(reader).pipeThrough(new TextDecoderStream())) {
    text += piece;
  }
  await upload;
  console.log(
    `echoed ${text.length} characters, same as the file: ${text === fs.readFileSync(file, 'utf8')}`,
  );

  writer.close();
  await writer.waitClosed();
  server.close();
  await server.waitClosed();
});
fs.rmSync(file);
