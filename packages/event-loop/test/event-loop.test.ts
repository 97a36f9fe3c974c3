import { getRunningLoop, type SubprocessTransport, type Transport } from '@tsio/core';
import { run, newEventLoop } from '@tsio/policies';
import { Protocol, SubprocessProtocol } from '@tsio/transports';
import { BaseEventLoop, EventLoop } from '../src/index.js';

class Echo extends Protocol {
  #transport: Transport | null = null;
  override connectionMade(transport: Transport): void {
    this.#transport = transport;
  }
  override dataReceived(data: Uint8Array): void {
    this.#transport?.write(data);
  }
}

class Collect extends Protocol {
  readonly received: Buffer[] = [];
  readonly done: Promise<void>;
  #finish!: () => void;
  constructor() {
    super();
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }
  override dataReceived(data: Uint8Array): void {
    this.received.push(Buffer.from(data));
    if (Buffer.concat(this.received).toString() === 'ping') this.#finish();
  }
}

class Output extends SubprocessProtocol {
  out = '';
  readonly exited: Promise<void>;
  #exit!: () => void;
  constructor() {
    super();
    this.exited = new Promise((resolve) => (this.#exit = resolve));
  }
  override pipeDataReceived(_fd: number, data: Uint8Array): void {
    this.out += Buffer.from(data).toString();
  }
  override connectionLost(): void {
    this.#exit();
  }
}

describe('EventLoop', () => {
  it('is a BaseEventLoop, and the default loop of run() and newEventLoop()', async () => {
    const loop = newEventLoop();
    expect(loop).toBeInstanceOf(EventLoop);
    expect(loop).toBeInstanceOf(BaseEventLoop);
    (loop as EventLoop).close();
    await run(async () => {
      expect(getRunningLoop()).toBeInstanceOf(EventLoop);
    });
  });

  it('serves and opens TCP connections through its transports', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      await using server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
      const address = (server.sockets[0] as { address(): { port: number } }).address();
      const [transport, client] = await loop.createConnection(
        () => new Collect(),
        '127.0.0.1',
        address.port,
      );
      transport.write(Buffer.from('ping'));
      await client.done;
      transport.close();
    });
  });

  it('takes subprocessExec arguments as an array or one by one, as asyncio', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const script = 'process.stdout.write(process.argv.slice(1).join(","))';
      const outputs: string[] = [];
      // The arguments one by one, then optionally the options.
      const oneByOne = (...options: [] | [{ stdin: null }]) =>
        (loop as EventLoop).subprocessExec(
          () => new Output(),
          process.execPath,
          '-e',
          script,
          'a',
          'b',
          ...options,
        );
      for (const start of [
        () => loop.subprocessExec(() => new Output(), process.execPath, ['-e', script, 'a', 'b']),
        () => oneByOne(),
        () => oneByOne({ stdin: null }),
      ]) {
        const [transport, protocol]: [SubprocessTransport, Output] = await start();
        await protocol.exited;
        outputs.push(protocol.out);
        transport.close();
      }
      expect(outputs).toEqual(['a,b', 'a,b', 'a,b']);
    });
  });

  it('rejects a subprocessExec argument that is not a string', async () => {
    await run(async () => {
      const loop = getRunningLoop() as EventLoop;
      await expect(
        loop.subprocessExec(() => new Output(), process.execPath, '-e', 5 as unknown as string),
      ).rejects.toThrow(TypeError);
    });
  });

  it('resolves names', async () => {
    await run(async () => {
      const infos = await getRunningLoop().getaddrinfo('127.0.0.1', 80, { type: 1 });
      expect(infos).toEqual([[2, 1, 6, '', ['127.0.0.1', 80]]]);
    });
  });
});
