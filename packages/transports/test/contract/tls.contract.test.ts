// The stream transport contract on TLS connections: a tsio TLS server and a tsio TLS client
// over 127.0.0.1, with the test CA of fixtures/tls (see its README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeStreamTransportContract } from './stream-transport-contract.js';
import { tcpPair } from './socket-pairs.js';

const fixture = (name: string): Buffer =>
  readFileSync(join(__dirname, '..', 'fixtures', 'tls', name));

describeStreamTransportContract(
  'TLS over 127.0.0.1',
  tcpPair('127.0.0.1', {
    server: { ssl: { key: fixture('localhost.key'), cert: fixture('localhost.crt') } },
    client: { ssl: { ca: fixture('ca.crt') }, serverHostname: 'localhost' },
  }),
  {
    bidirectional: true,
    // asyncio's SSL transport cannot half-close: can_write_eof() is False.
    canWriteEof: false,
    bufferedProtocol: true,
    extraInfo: {
      a: ['socket', 'sockname', 'peername', 'sslcontext', 'peercert', 'cipher', 'ssl_object'],
      b: ['socket', 'sockname', 'peername', 'sslcontext', 'cipher', 'ssl_object'],
    },
  },
);
