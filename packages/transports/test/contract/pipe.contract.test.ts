// The stream transport contract on pipes: a writes into a `cat` child's stdin through
// connectWritePipe, b reads its stdout through connectReadPipe. Pipes go one way, so the
// checks where b writes are skipped.
import { spawn } from 'node:child_process';
import { getRunningLoop } from '@tsio/core';
import type { MakeStreamPair } from './stream-transport-contract.js';
import { describeStreamTransportContract } from './stream-transport-contract.js';

const catPair: MakeStreamPair = async (newProtocol) => {
  const loop = getRunningLoop();
  const child = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const release = async (): Promise<void> => {
    // The transports are closed by now, so cat has seen EOF; kill it only if it lingers.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
  };
  try {
    const [readTransport, b] = await loop.connectReadPipe(() => newProtocol('b'), child.stdout);
    const [writeTransport, a] = await loop.connectWritePipe(() => newProtocol('a'), child.stdin);
    return {
      a: { transport: writeTransport, protocol: a },
      b: { transport: readTransport, protocol: b },
      close: release,
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
};

describeStreamTransportContract('pipes (connectWritePipe -> cat -> connectReadPipe)', catPair, {
  bidirectional: false,
  canWriteEof: true,
  bufferedProtocol: true,
  extraInfo: { a: ['pipe'], b: ['pipe'] },
});
