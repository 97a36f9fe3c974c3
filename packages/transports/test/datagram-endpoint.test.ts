import { Socket as DgramSocketClass, createSocket } from 'node:dgram';
import type { Socket as DgramSocket } from 'node:dgram';
import { Socket as NetSocket } from 'node:net';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  ConnectionRefusedError,
  NotImplementedError,
  OSError,
  PermissionError,
  ValueError,
  getRunningLoop,
} from '@tsio/core';
import type {
  AbstractEventLoop,
  AbstractFuture,
  ExceptionContext,
  SocketAddress,
} from '@tsio/core';
import { createTask, currentTask, sleep, waitFor } from '@tsio/futures';
import { run } from '@tsio/policies';
import { DatagramProtocol, DatagramTransport } from '../src/index.js';
import type { CreateDatagramEndpointOptions } from '../src/index.js';

jest.setTimeout(20_000);

/** The concrete transport's write-buffer methods (asyncio's datagram transport has them). */
interface FlowControlled {
  getWriteBufferSize(): number;
  setWriteBufferLimits(limits?: { high?: number; low?: number }): void;
  getWriteBufferLimits(): [number, number];
}

/** A protocol that records its callbacks; `until(pred)` waits (at most 10 s) for `pred()`. */
class Recorder extends DatagramProtocol {
  transport: DatagramTransport | null = null;
  readonly events: string[] = [];
  readonly datagrams: [Buffer, SocketAddress][] = [];
  readonly errors: Error[] = [];
  readonly lostWith: (Error | null)[] = [];
  taskInCallback: unknown = 'unset';
  private changed: AbstractFuture<void>;

  constructor(readonly loop: AbstractEventLoop) {
    super();
    this.changed = loop.createFuture();
  }

  private note(event: string): void {
    this.events.push(event);
    this.changed.setResult(undefined);
    this.changed = this.loop.createFuture();
  }

  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
    this.note('made');
  }

  override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
    this.taskInCallback = currentTask();
    this.datagrams.push([Buffer.from(data), addr]);
    this.note(`datagram ${Buffer.from(data).toString()}`);
  }

  override errorReceived(exc: Error): void {
    this.errors.push(exc);
    this.note(`error ${exc.name}`);
  }

  override connectionLost(exc: Error | null): void {
    this.lostWith.push(exc);
    this.note('lost');
  }

  override pauseWriting(): void {
    this.note('pause');
  }

  override resumeWriting(): void {
    this.note('resume');
  }

  async until(pred: () => boolean): Promise<void> {
    await waitFor(async () => {
      while (!pred()) await this.changed;
    }, 10);
  }
}

/** An echo server: answers each datagram with `resp:` + data. */
class Echo extends Recorder {
  override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
    super.datagramReceived(data, addr);
    this.transport?.sendto(Buffer.concat([Buffer.from('resp:'), data]), addr);
  }
}

async function endpoint<P extends Recorder>(
  make: (loop: AbstractEventLoop) => P,
  options: CreateDatagramEndpointOptions,
): Promise<[DatagramTransport & FlowControlled, P]> {
  const loop = getRunningLoop();
  const [transport, protocol] = await loop.createDatagramEndpoint(() => make(loop), options);
  return [transport as DatagramTransport & FlowControlled, protocol];
}

const recorder = (loop: AbstractEventLoop) => new Recorder(loop);

async function closeAll(...transports: DatagramTransport[]): Promise<void> {
  for (const t of transports) t.close();
  for (const t of transports) {
    const protocol = t.getProtocol() as Recorder;
    await protocol.until(() => protocol.lostWith.length > 0);
  }
}

/** A UDP port with nothing bound to it (bound, then closed). */
function freePort(type: 'udp4' | 'udp6' = 'udp4'): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket(type);
    s.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const openSockets: DgramSocket[] = [];
afterEach(() => {
  for (const s of openSockets.splice(0)) {
    try {
      s.close();
    } catch {
      // Closed by the test.
    }
  }
});

describe('createDatagramEndpoint: echo', () => {
  it.each([
    ['127.0.0.1', 4],
    ['::1', 6],
  ] as const)(
    'echoes between two endpoints on %s (test_create_datagram_endpoint)',
    async (host, family) => {
      await run(async () => {
        const [sTr, server] = await endpoint((l) => new Echo(l), { localAddr: [host, 0], family });
        expect(server.events).toEqual(['made']);
        expect(server.transport).toBe(sTr);
        expect(sTr).toBeInstanceOf(DatagramTransport);
        const sockname = sTr.getExtraInfo('sockname') as SocketAddress;
        expect(sockname[0]).toBe(host);
        expect(sockname).toHaveLength(family === 6 ? 4 : 2);
        expect(sTr.getExtraInfo('peername')).toBeNull();
        const port = sockname[1] as number;

        const [cTr, client] = await endpoint(recorder, { remoteAddr: [host, port] });
        expect(client.events).toEqual(['made']);
        expect((cTr.getExtraInfo('peername') as SocketAddress).slice(0, 2)).toEqual([host, port]);
        expect(cTr.getExtraInfo('socket')).toBeInstanceOf(DgramSocketClass);
        const cName = cTr.getExtraInfo('sockname') as SocketAddress;

        cTr.sendto(Buffer.from('xxx'));
        await client.until(() => client.datagrams.length === 1);
        expect(server.datagrams).toEqual([[Buffer.from('xxx'), cName]]);
        expect(client.datagrams).toEqual([[Buffer.from('resp:xxx'), sockname]]);
        // Protocol callbacks run outside any task, as asyncio's.
        expect(server.taskInCallback).toBeNull();

        cTr.close();
        expect(cTr.isClosing()).toBe(true);
        await client.until(() => client.lostWith.length > 0);
        expect(client.lostWith).toEqual([null]);
        expect(client.events).toEqual(['made', 'datagram resp:xxx', 'lost']);
        sTr.close();
        await server.until(() => server.lostWith.length > 0);
        expect(server.lostWith).toEqual([null]);
      });
    },
  );

  it('sends and receives with explicit addresses on an unconnected endpoint, empty datagrams too', async () => {
    await run(async () => {
      const [aTr, a] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      const [bTr, b] = await endpoint(recorder, { localAddr: ['localhost', '0'] });
      const aAddr = aTr.getExtraInfo('sockname') as SocketAddress;
      const bAddr = bTr.getExtraInfo('sockname') as SocketAddress;
      expect(bAddr[0]).toBe('127.0.0.1');
      aTr.sendto(new Uint8Array(0), bAddr);
      aTr.sendto(new TextEncoder().encode('hi'), [bAddr[0] as string, String(bAddr[1])] as never);
      await b.until(() => b.datagrams.length === 2);
      expect(b.datagrams).toEqual([
        [Buffer.alloc(0), aAddr],
        [Buffer.from('hi'), aAddr],
      ]);
      // No address and no remoteAddr: nowhere to send.
      expect(() => aTr.sendto(Buffer.from('x'))).toThrow(TypeError);
      expect(() => aTr.sendto(Buffer.from('x'), ['127.0.0.1', 0])).toThrow(ValueError);
      expect(() => aTr.sendto(Buffer.from('x'), '/tmp/sock')).toThrow(/Unix datagram/);
      await closeAll(aTr, bTr);
      expect([a.lostWith, b.lostWith]).toEqual([[null], [null]]);
    });
  });

  it('binds a free port for family 4 without addresses, and receives replies', async () => {
    await run(async () => {
      const [sTr] = await endpoint((l) => new Echo(l), { localAddr: ['127.0.0.1', 0] });
      const [cTr, client] = await endpoint(recorder, { family: 'IPv4' });
      const name = cTr.getExtraInfo('sockname') as SocketAddress;
      expect(name[0]).toBe('0.0.0.0');
      expect(name[1]).toBeGreaterThan(0);
      cTr.sendto(Buffer.from('q'), sTr.getExtraInfo('sockname') as SocketAddress);
      await client.until(() => client.datagrams.length === 1);
      expect(client.datagrams[0]?.[0].toString()).toBe('resp:q');
      await closeAll(cTr, sTr);
    });
  });
});

describe('DatagramTransport.sendto', () => {
  it('rejects data that is not bytes (test_sendto_str)', async () => {
    await run(async () => {
      const [tr] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      const to: SocketAddress = ['127.0.0.1', 9];
      for (const bad of ['str', 5, null, [1, 2], { length: 1 }]) {
        expect(() => tr.sendto(bad as never, to)).toThrow(
          /data argument must be a bytes-like object/,
        );
      }
      expect(tr.getWriteBufferSize()).toBe(0);
      await closeAll(tr);
    });
  });

  it('accepts only remoteAddr, or no address, on a connected endpoint (test_sendto_connected_addr)', async () => {
    await run(async () => {
      const [sTr, server] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      const port = (sTr.getExtraInfo('sockname') as SocketAddress)[1] as number;
      const [cTr] = await endpoint(recorder, { remoteAddr: ['127.0.0.1', port] });
      expect(() => cTr.sendto(Buffer.from('x'), ['127.0.0.1', port + 1])).toThrow(
        new ValueError(`Invalid address: must be null or ["127.0.0.1",${port}]`),
      );
      cTr.sendto(Buffer.from('a'), ['127.0.0.1', port]);
      cTr.sendto(Buffer.from('b'), null as never);
      cTr.sendto(Buffer.from('c'));
      await server.until(() => server.datagrams.length === 3);
      expect(server.datagrams.map(([d]) => d.toString())).toEqual(['a', 'b', 'c']);
      await closeAll(cTr, sTr);
    });
  });

  it('drops datagrams after close, warning from the fifth (test_sendto_closing)', async () => {
    await run(async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        const [sTr, server] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
        const to = sTr.getExtraInfo('sockname') as SocketAddress;
        const [tr, pr] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
        tr.close();
        for (let i = 0; i < 4; i++) tr.sendto(Buffer.from('late'), to);
        expect(warn).not.toHaveBeenCalled();
        tr.sendto(Buffer.from('late'), to);
        expect(warn).toHaveBeenCalledWith('socket.send() raised exception.');
        expect(tr.getWriteBufferSize()).toBe(0);
        await pr.until(() => pr.lostWith.length > 0);
        // A marker sent after the dropped ones arrives alone.
        const [mTr] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
        mTr.sendto(Buffer.from('marker'), to);
        await server.until(() => server.datagrams.length > 0);
        expect(server.datagrams.map(([d]) => d.toString())).toEqual(['marker']);
        await closeAll(mTr, sTr);
      } finally {
        warn.mockRestore();
      }
    });
  });
});

describe('errors from the network', () => {
  it('reports ICMP port unreachable as ConnectionRefusedError to errorReceived and stays open (test_sendto_error_received_connected)', async () => {
    await run(async () => {
      const port = await freePort();
      const [tr, pr] = await endpoint(recorder, { remoteAddr: ['127.0.0.1', port] });
      tr.sendto(Buffer.from('anyone?'));
      await pr.until(() => pr.errors.length > 0);
      expect(pr.errors[0]).toBeInstanceOf(ConnectionRefusedError);
      expect((pr.errors[0] as OSError).code).toBe('ECONNREFUSED');
      expect(tr.isClosing()).toBe(false);
      expect(pr.lostWith).toEqual([]);
      // Still usable: a peer that binds the port now gets the next datagram.
      const peer = createSocket('udp4');
      openSockets.push(peer);
      const got = new Promise<string>((resolve) => peer.once('message', (m) => resolve(String(m))));
      await new Promise<void>((resolve) => peer.bind(port, '127.0.0.1', resolve));
      tr.sendto(Buffer.from('now'));
      expect(await got).toBe('now');
      await closeAll(tr);
      expect(pr.lostWith).toEqual([null]);
    });
  });

  it('reports a datagram too large for UDP as OSError EMSGSIZE to errorReceived', async () => {
    await run(async () => {
      const [tr, pr] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      tr.sendto(Buffer.alloc(70_000), ['127.0.0.1', 9]);
      await pr.until(() => pr.errors.length > 0);
      expect(pr.errors[0]).toBeInstanceOf(OSError);
      expect((pr.errors[0] as OSError).code).toBe('EMSGSIZE');
      expect(tr.getWriteBufferSize()).toBe(0);
      expect(tr.isClosing()).toBe(false);
      await closeAll(tr);
    });
  });
});

describe('broadcast', () => {
  it('sends to 255.255.255.255 only with allowBroadcast (test_create_datagram_endpoint_sockopts)', async () => {
    await run(async () => {
      const to: SocketAddress = ['255.255.255.255', 9];
      const [offTr, off] = await endpoint(recorder, { localAddr: ['0.0.0.0', 0] });
      offTr.sendto(Buffer.from('bc'), to);
      await off.until(() => off.errors.length > 0);
      expect(off.errors[0]).toBeInstanceOf(PermissionError);
      expect((off.errors[0] as OSError).code).toBe('EACCES');

      const [onTr, on] = await endpoint(recorder, {
        localAddr: ['0.0.0.0', 0],
        allowBroadcast: true,
      });
      // high 0: pauseWriting on the send, resumeWriting once Node has sent it (or failed).
      onTr.setWriteBufferLimits({ high: 0 });
      onTr.sendto(Buffer.from('bc'), to);
      await on.until(() => on.events.includes('resume'));
      // Without a route the send may fail otherwise, but never with EACCES.
      expect(on.errors.filter((e) => (e as OSError).code === 'EACCES')).toEqual([]);
      await closeAll(offTr, onTr);
    });
  });

  it('does not connect a broadcasting endpoint with remoteAddr (test_create_datagram_endpoint_allow_broadcast)', async () => {
    await run(async () => {
      const [sTr, server] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      const port = (sTr.getExtraInfo('sockname') as SocketAddress)[1] as number;
      const [tr] = await endpoint(recorder, {
        remoteAddr: ['127.0.0.1', port],
        allowBroadcast: true,
      });
      expect(tr.getExtraInfo('peername')).toBeNull();
      expect(() => tr.sendto(Buffer.from('x'), ['127.0.0.1', port + 1])).toThrow(ValueError);
      tr.sendto(Buffer.from('via remoteAddr'));
      await server.until(() => server.datagrams.length === 1);
      expect(server.datagrams[0]?.[0].toString()).toBe('via remoteAddr');
      await closeAll(tr, sTr);
    });
  });
});

describe('closing', () => {
  it('calls connectionLost once whatever the mix of close, abort and closing the socket', async () => {
    await run(async () => {
      const [tr, pr] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      const socket = tr.getExtraInfo('socket') as DgramSocket;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      tr.close();
      tr.close();
      tr.abort();
      expect(tr.isClosing()).toBe(true);
      await pr.until(() => pr.lostWith.length > 0);
      await closed;
      expect(pr.lostWith).toEqual([null]);

      const [tr2, pr2] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      tr2.abort();
      tr2.close();
      (tr2.getExtraInfo('socket') as DgramSocket).close();
      await pr2.until(() => pr2.lostWith.length > 0);
      const loop = getRunningLoop();
      for (let i = 0; i < 3; i++)
        await waitFor(new Promise((r) => loop.callSoon(() => r(undefined))), 5);
      expect(pr2.lostWith).toEqual([null]);
      expect(pr2.events).toEqual(['made', 'lost']);

      // Someone else closing the socket closes the transport.
      const [tr3, pr3] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      (tr3.getExtraInfo('socket') as DgramSocket).close();
      await pr3.until(() => pr3.lostWith.length > 0);
      expect(tr3.isClosing()).toBe(true);
      expect(pr3.lostWith).toEqual([null]);
    });
  });

  it('close() sends the datagrams in flight first; abort() drops them (test_sendto_ready_closing)', async () => {
    await run(async () => {
      const [sTr, server] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      const to = sTr.getExtraInfo('sockname') as SocketAddress;
      const [tr, pr] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      for (let i = 0; i < 10; i++) tr.sendto(Buffer.from(`d${i}`), to);
      expect(tr.getWriteBufferSize()).toBe(10 * (2 + 8));
      tr.close();
      await pr.until(() => pr.lostWith.length > 0);
      expect(tr.getWriteBufferSize()).toBe(0);
      await server.until(() => server.datagrams.length === 10);

      const [aTr, a] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      aTr.sendto(Buffer.from('x'), to);
      aTr.abort();
      expect(aTr.getWriteBufferSize()).toBe(0);
      await a.until(() => a.lostWith.length > 0);
      expect(a.lostWith).toEqual([null]);
      await closeAll(sTr);
    });
  });

  it('adopts a dgram.Socket given as sock, binds it if needed, and closes it (test_create_datagram_endpoint_sock)', async () => {
    await run(async () => {
      const bound = createSocket('udp4');
      openSockets.push(bound);
      await new Promise<void>((resolve) => bound.bind(0, '127.0.0.1', resolve));
      const [tr, pr] = await endpoint(recorder, { sock: bound });
      expect(tr.getExtraInfo('socket')).toBe(bound);
      expect(tr.getExtraInfo('sockname')).toEqual(['127.0.0.1', bound.address().port]);

      const unbound = createSocket('udp4');
      openSockets.push(unbound);
      const [tr2, pr2] = await endpoint(recorder, { sock: unbound });
      tr2.sendto(Buffer.from('hello'), tr.getExtraInfo('sockname') as SocketAddress);
      await pr.until(() => pr.datagrams.length === 1);
      expect(pr.datagrams[0]?.[1][1]).toBe(unbound.address().port);

      const closed = new Promise((resolve) => bound.once('close', resolve));
      await closeAll(tr, tr2);
      await closed;
      expect([pr.lostWith, pr2.lostWith]).toEqual([[null], [null]]);

      const gone = createSocket('udp4');
      gone.close();
      await expect(endpoint(recorder, { sock: gone })).rejects.toThrow(/sock is closed/);
    });
  });
});

describe('cancellation', () => {
  it('closes the new transport when the creating task is cancelled while waiting for connectionMade', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const made: Recorder[] = [];
      const task = createTask(() =>
        loop.createDatagramEndpoint(
          () => {
            const protocol = new Recorder(loop);
            made.push(protocol);
            return protocol;
          },
          { localAddr: ['127.0.0.1', 0] },
        ),
      );
      // Let the task reach `await waiter` (the protocol exists then), then cancel it.
      while (made.length === 0) await sleep(0);
      task.cancel();
      await expect(task).rejects.toMatchObject({ name: 'CancelledError' });
      const pr = made[0] as Recorder;
      await pr.until(() => pr.lostWith.length > 0);
      expect(pr.lostWith).toEqual([null]);
      expect(pr.transport?.isClosing()).toBe(true);
    });
  });
});

describe('protocol callbacks that throw', () => {
  it('a throwing datagramReceived goes to the exception handler and closes with the error', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const contexts: ExceptionContext[] = [];
      loop.setExceptionHandler((_l, context) => contexts.push(context));
      const boom = new RangeError('boom');
      class Throwing extends Recorder {
        override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
          super.datagramReceived(data, addr);
          throw boom;
        }
      }
      const [tr, pr] = await endpoint((l) => new Throwing(l), { localAddr: ['127.0.0.1', 0] });
      const [cTr] = await endpoint(recorder, { remoteAddr: tr.getExtraInfo('sockname') as never });
      cTr.sendto(Buffer.from('1'));
      await pr.until(() => pr.lostWith.length > 0);
      expect(pr.lostWith).toEqual([boom]);
      expect(tr.isClosing()).toBe(true);
      expect(contexts).toHaveLength(1);
      expect(contexts[0]).toMatchObject({
        message: 'Fatal error: protocol.datagramReceived() call failed.',
        exception: boom,
        transport: tr,
        protocol: pr,
      });
      cTr.sendto(Buffer.from('2'));
      await closeAll(cTr);
      expect(pr.events).toEqual(['made', 'datagram 1', 'lost']);
    });
  });

  it('a throwing errorReceived closes the endpoint the same way', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const contexts: ExceptionContext[] = [];
      loop.setExceptionHandler((_l, context) => contexts.push(context));
      const boom = new TypeError('bad handler');
      class Throwing extends Recorder {
        override errorReceived(exc: Error): void {
          super.errorReceived(exc);
          throw boom;
        }
      }
      const [tr, pr] = await endpoint((l) => new Throwing(l), {
        remoteAddr: ['127.0.0.1', await freePort()],
      });
      tr.sendto(Buffer.from('x'));
      await pr.until(() => pr.lostWith.length > 0);
      expect(pr.lostWith).toEqual([boom]);
      expect(contexts.map((c) => c.message)).toEqual([
        'Fatal error: protocol.errorReceived() call failed.',
      ]);
    });
  });

  it('a throwing connectionMade rejects createDatagramEndpoint and calls connectionLost(error)', async () => {
    await run(async () => {
      const boom = new RangeError('no');
      let made: Recorder | null = null;
      class Throwing extends Recorder {
        override connectionMade(transport: DatagramTransport): void {
          made = this;
          super.connectionMade(transport);
          throw boom;
        }
      }
      await expect(endpoint((l) => new Throwing(l), { localAddr: ['127.0.0.1', 0] })).rejects.toBe(
        boom,
      );
      const pr = made as unknown as Recorder;
      await pr.until(() => pr.lostWith.length > 0);
      expect(pr.lostWith).toEqual([boom]);
    });
  });

  it('a throwing connectionLost goes to the exception handler; the socket is closed anyway', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const contexts: ExceptionContext[] = [];
      loop.setExceptionHandler((_l, context) => contexts.push(context));
      class Throwing extends Recorder {
        override connectionLost(exc: Error | null): void {
          super.connectionLost(exc);
          throw new RangeError('lost');
        }
      }
      const [tr, pr] = await endpoint((l) => new Throwing(l), { localAddr: ['127.0.0.1', 0] });
      const closed = new Promise((resolve) =>
        (tr.getExtraInfo('socket') as DgramSocket).once('close', resolve),
      );
      tr.close();
      await pr.until(() => pr.lostWith.length > 0);
      await closed;
      expect(contexts).toHaveLength(1);
      expect(contexts[0]?.exception).toBeInstanceOf(RangeError);
    });
  });
});

describe('flow control', () => {
  it('counts datagrams in flight (+8 bytes each) and pauses/resumes the protocol', async () => {
    await run(async () => {
      const [sTr, server] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      const to = sTr.getExtraInfo('sockname') as SocketAddress;
      const [tr, pr] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0] });
      expect(tr.getWriteBufferLimits()).toEqual([16384, 65536]);
      tr.setWriteBufferLimits({ high: 100 });
      expect(tr.getWriteBufferLimits()).toEqual([25, 100]);
      expect(() => tr.setWriteBufferLimits({ high: 1, low: 2 })).toThrow(ValueError);
      expect(() => tr.setWriteBufferLimits({ high: 'x' as never })).toThrow(TypeError);
      tr.sendto(Buffer.alloc(40), to);
      tr.sendto(Buffer.alloc(0), to);
      expect(tr.getWriteBufferSize()).toBe(48 + 8);
      expect(pr.events).toEqual(['made']);
      tr.sendto(Buffer.alloc(50), to);
      expect(tr.getWriteBufferSize()).toBe(48 + 8 + 58);
      expect(pr.events).toEqual(['made', 'pause']);
      tr.sendto(Buffer.alloc(50), to);
      expect(pr.events).toEqual(['made', 'pause']);
      await pr.until(() => pr.events.includes('resume'));
      await pr.until(() => tr.getWriteBufferSize() === 0 || pr.events.length > 3);
      expect(pr.events).toEqual(['made', 'pause', 'resume']);
      await server.until(() => server.datagrams.length === 4);
      expect(tr.getWriteBufferSize()).toBe(0);
      await closeAll(tr, sTr);
    });
  });
});

describe('bad input fails before any I/O', () => {
  const reject = (options: unknown) =>
    run(() =>
      getRunningLoop().createDatagramEndpoint(
        () => new DatagramProtocol(),
        options as CreateDatagramEndpointOptions,
      ),
    );
  const aSocket = (): DgramSocket => {
    const socket = createSocket('udp4');
    openSockets.push(socket);
    return socket;
  };

  it.each<[string, unknown, new (...args: never[]) => Error, RegExp]>([
    [
      'no address and no family (test_create_datagram_endpoint_noaddr_nofamily)',
      {},
      ValueError,
      /unexpected address family/,
    ],
    ['no options', undefined, ValueError, /unexpected address family/],
    [
      'an unknown option',
      { localAdr: ['127.0.0.1', 0] },
      TypeError,
      /unknown option\(s\) localAdr; valid options are localAddr, remoteAddr/,
    ],
    ['options that are not an object', 'x', TypeError, /must be an object/],
    [
      'reuseAddress',
      { localAddr: ['127.0.0.1', 0], reuseAddress: true },
      ValueError,
      /reuseAddress is not supported.*security/,
    ],
    [
      'reuseAddress false',
      { localAddr: ['127.0.0.1', 0], reuseAddress: false },
      ValueError,
      /reuseAddress/,
    ],
    [
      'a string localAddr (test_create_datagram_endpoint_addr_error)',
      { localAddr: 'localhost' },
      TypeError,
      /\[host, port\] pair.*Unix datagram/,
    ],
    [
      'a 4-element localAddr (test_create_datagram_endpoint_addr_error)',
      { localAddr: ['localhost', 1, 2, 3] },
      TypeError,
      /\[host, port\] pair/,
    ],
    [
      'a host that is not a string',
      { localAddr: [127, 0] },
      TypeError,
      /localAddr\[0\] must be a string/,
    ],
    ['an empty host', { localAddr: ['', 0] }, ValueError, /must not be empty/],
    [
      'a port out of range',
      { localAddr: ['127.0.0.1', 70000] },
      ValueError,
      /port must be an integer 0-65535/,
    ],
    [
      'a service name as port',
      { localAddr: ['127.0.0.1', 'http'] },
      ValueError,
      /service names are not supported/,
    ],
    [
      'remote port 0',
      { remoteAddr: ['127.0.0.1', 0] },
      ValueError,
      /remoteAddr port must be 1-65535/,
    ],
    [
      'family unix',
      { family: 'unix' },
      NotImplementedError,
      /Unix datagram sockets are not supported/,
    ],
    ['family 5', { family: 5 }, ValueError, /family must be 2 \(AF_INET\), 4/],
    ['family object', { family: {} }, TypeError, /family must be 2 \(AF_INET\), 4/],
    ['proto TCP', { family: 4, proto: 6 }, ValueError, /proto must be 0 or 17/],
    [
      'flags not a number',
      { family: 4, flags: 'x' },
      TypeError,
      /flags must be a non-negative integer/,
    ],
    [
      'allowBroadcast not a boolean',
      { family: 4, allowBroadcast: 1 },
      TypeError,
      /allowBroadcast must be true or false/,
    ],
    [
      'a family/host mismatch',
      { localAddr: ['::1', 0], family: 4 },
      ValueError,
      /IPv6 address but family is 4/,
    ],
    [
      'no common family (test_create_datagram_endpoint_no_matching_family)',
      { localAddr: ['::1', 0], remoteAddr: ['127.0.0.1', 9] },
      ValueError,
      /can not get address information/,
    ],
    [
      'sock with localAddr (test_create_datagram_endpoint_sock_sockopts)',
      () => ({ sock: aSocket(), localAddr: ['127.0.0.1', 0] }),
      ValueError,
      /socket modifier options can not be used when sock is specified \(localAddr=/,
    ],
    [
      'sock with allowBroadcast',
      () => ({ sock: aSocket(), allowBroadcast: true }),
      ValueError,
      /allowBroadcast=/,
    ],
    [
      'a stream socket as sock (test_create_datagram_endpoint_wrong_sock)',
      { sock: new NetSocket() },
      ValueError,
      /A datagram socket was expected/,
    ],
    ['sock that is not a socket', { sock: {} }, TypeError, /sock must be a dgram.Socket/],
  ])('rejects %s', async (_what, options, ErrorClass, message) => {
    const result = reject(typeof options === 'function' ? (options as () => unknown)() : options);
    await expect(result).rejects.toBeInstanceOf(ErrorClass);
    await expect(result).rejects.toThrow(message);
  });

  it('rejects a protocolFactory that is not a function', async () => {
    await expect(
      run(() =>
        getRunningLoop().createDatagramEndpoint(new DatagramProtocol() as never, { family: 4 }),
      ),
    ).rejects.toThrow(/protocolFactory must be a function/);
  });

  it('reports resolution failure as OSError (gaierror) (test_create_datagram_endpoint_no_addrinfo)', async () => {
    const result = reject({ localAddr: ['no-such-host.invalid', 0] });
    await expect(result).rejects.toBeInstanceOf(OSError);
    await expect(result).rejects.toMatchObject({ code: 'EAI_NONAME' });
  });

  it('reports bind failures as OSError and closes the socket (test_create_datagram_endpoint_cant_bind)', async () => {
    const taken = createSocket('udp4');
    openSockets.push(taken);
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    const inUse = reject({ localAddr: ['127.0.0.1', taken.address().port] });
    await expect(inUse).rejects.toBeInstanceOf(OSError);
    await expect(inUse).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await expect(reject({ localAddr: ['192.0.2.1', 0] })).rejects.toMatchObject({
      code: 'EADDRNOTAVAIL',
    });
  });

  it('applies reusePort where Node supports it, else ValueError (test_create_datagram_endpoint_nosoreuseport)', async () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const supported = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
    if (!supported) {
      await expect(reject({ localAddr: ['127.0.0.1', 0], reusePort: true })).rejects.toThrow(
        new ValueError(
          `reusePort is not supported by this Node.js (${process.versions.node}): dgram sockets can set SO_REUSEPORT from Node 22.12 and 23.1`,
        ),
      );
      return;
    }
    await run(async () => {
      const [a] = await endpoint(recorder, { localAddr: ['127.0.0.1', 0], reusePort: true });
      const port = (a.getExtraInfo('sockname') as SocketAddress)[1] as number;
      const [b] = await endpoint(recorder, { localAddr: ['127.0.0.1', port], reusePort: true });
      await closeAll(a, b);
    });
  });
});
