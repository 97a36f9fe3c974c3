// The stream transport contract on TCP connections, over IPv4 and IPv6 loopback.
import os from 'node:os';
import { describeStreamTransportContract } from './stream-transport-contract.js';
import { tcpPair } from './socket-pairs.js';

const haveIpv6Loopback = Object.values(os.networkInterfaces()).some((addrs) =>
  (addrs ?? []).some((a) => a.address === '::1'),
);

const caps = {
  bidirectional: true,
  canWriteEof: true,
  bufferedProtocol: true,
  extraInfo: { a: ['socket', 'sockname', 'peername'], b: ['socket', 'sockname', 'peername'] },
};

describeStreamTransportContract('TCP over 127.0.0.1', tcpPair('127.0.0.1'), caps);

if (haveIpv6Loopback) {
  describeStreamTransportContract('TCP over ::1', tcpPair('::1'), caps);
} else {
  describe('stream transport contract: TCP over ::1', () => {
    it.skip('all checks [skipped: this machine has no ::1 loopback address]', () => {});
  });
}
