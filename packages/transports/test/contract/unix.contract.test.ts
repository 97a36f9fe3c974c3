// The stream transport contract on Unix socket connections.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRunningLoop } from '@tsio/core';
import { describeStreamTransportContract } from './stream-transport-contract.js';
import { socketPair } from './socket-pairs.js';

let serial = 0;

describeStreamTransportContract(
  'Unix sockets',
  socketPair(() => {
    const file = path.join(os.tmpdir(), `tsio-contract-${process.pid}-${++serial}.sock`);
    return {
      listen: (factory) => getRunningLoop().createUnixServer(factory, file),
      connect: (factory) => getRunningLoop().createUnixConnection(factory, file),
      cleanup: () => rmSync(file, { force: true }),
    };
  }),
  {
    bidirectional: true,
    canWriteEof: true,
    bufferedProtocol: true,
    extraInfo: { a: ['socket', 'peername'], b: ['socket', 'sockname'] },
  },
);
