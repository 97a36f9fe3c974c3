// The echo server's client: sends each line of its standard input and prints the echo.
// Run it with `printf 'hello\nworld\n' | node examples/dist/echo-client.js --port 8888`.
import { parseArgs } from 'node:util';
import { openConnection, readerFromNodeReadable, run } from 'tsio';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8888' },
  },
});

await run(async () => {
  const [reader, writer] = await openConnection(values.host, Number(values.port));
  const input = readerFromNodeReadable(process.stdin); // a StreamReader over stdin
  for await (const line of input) {
    writer.write(line);
    await writer.drain();
    const echo = await reader.readexactly(line.length); // the same bytes come back
    process.stdout.write(`echo: ${new TextDecoder().decode(echo)}`);
  }
  writer.close();
  await writer.waitClosed();
});
