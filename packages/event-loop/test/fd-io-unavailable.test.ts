import { NotImplementedError } from '@tsio/core';
import { BaseEventLoop, EventLoop } from '../src/index.js';

type Loop = BaseEventLoop;

// Each call, and the message fragment naming what to use instead.
const calls: [string, (loop: Loop) => unknown, RegExp][] = [
  ['addReader', (l) => l.addReader(0, () => {}), /connectReadPipe/],
  ['removeReader', (l) => l.removeReader(0), /connectReadPipe/],
  ['addWriter', (l) => l.addWriter(1, () => {}), /connectWritePipe/],
  ['removeWriter', (l) => l.removeWriter(1), /connectWritePipe/],
  ['sockRecv', (l) => l.sockRecv({}, 10), /createConnection/],
  ['sockRecvInto', (l) => l.sockRecvInto({}, new Uint8Array(1)), /createConnection/],
  ['sockRecvfrom', (l) => l.sockRecvfrom({}, 10), /createDatagramEndpoint/],
  ['sockRecvfromInto', (l) => l.sockRecvfromInto({}, new Uint8Array(1)), /createDatagramEndpoint/],
  ['sockSendall', (l) => l.sockSendall({}, new Uint8Array(1)), /openConnection/],
  ['sockSendto', (l) => l.sockSendto({}, new Uint8Array(1), ['127.0.0.1', 9]), /createDatagram/],
  ['sockConnect', (l) => l.sockConnect({}, ['127.0.0.1', 9]), /createConnection/],
  ['sockAccept', (l) => l.sockAccept({}), /createServer/],
  ['sockSendfile', (l) => l.sockSendfile({}, 3), /loop\.sendfile/],
];

describe.each([
  ['BaseEventLoop', () => new BaseEventLoop()],
  ['EventLoop', () => new EventLoop()],
])('%s: raw descriptor and socket methods', (_name, makeLoop) => {
  let loop: Loop;
  beforeEach(() => {
    loop = makeLoop();
  });
  afterEach(() => loop.close());

  it.each(calls)(
    '%s throws NotImplementedError at once, naming the alternative',
    (name, call, fix) => {
      let error: unknown;
      try {
        call(loop);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NotImplementedError);
      expect((error as Error).message).toMatch(
        new RegExp(`^${name}\\(\\) cannot be built on Node`),
      );
      expect((error as Error).message).toMatch(fix);
    },
  );
});
