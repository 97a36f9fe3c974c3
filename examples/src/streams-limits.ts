// Limits: a StreamReader never buffers more than `limit` bytes looking for a separator.
// readuntil() then throws LimitOverrunError and keeps the data; readline() throws ValueError
// and drops the line. Run it with `node examples/dist/streams-limits.js`.
import { LimitOverrunError, run, StreamReader, ValueError } from 'tsio';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const input = encoder.encode('a header line that is far too long\nshort\n');

await run(async () => {
  const reader = new StreamReader({ limit: 16 });
  reader.feedData(input); // what a transport would deliver
  reader.feedEof();
  try {
    await reader.readuntil(encoder.encode('\n'));
  } catch (error) {
    if (!(error instanceof LimitOverrunError)) throw error;
    // The data stays in the buffer: skip the long line (and its separator) by hand.
    console.log(`readuntil: LimitOverrunError, separator at offset ${error.consumed}`);
    await reader.readexactly(error.consumed + 1);
  }
  console.log(`next line: ${decoder.decode(await reader.readline()).trimEnd()}`);

  const lines = new StreamReader({ limit: 16 });
  lines.feedData(input);
  lines.feedEof();
  try {
    await lines.readline();
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    console.log('readline: ValueError, the long line is dropped');
  }
  console.log(`next line: ${decoder.decode(await lines.readline()).trimEnd()}`);
});
