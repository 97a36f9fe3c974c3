// Flow control both ways, and a BufferedProtocol: the guide docs/transports-and-protocols.md
// walks through this file. Run it with `node examples/dist/transports-flow-control.js`.
import type { AddressInfo, Server } from 'node:net';
import {
  BufferedProtocol,
  createTask,
  Event,
  getRunningLoop,
  Protocol,
  run,
  sleep,
  type Transport,
} from 'tsio';

const CHUNK = new Uint8Array(64 * 1024).fill(42);
const TOTAL = 128 * CHUNK.length; // 8 MiB: more than the kernel buffers of a local socket hold

/** Sends TOTAL bytes, stopping whenever the transport says its buffer is full. */
class Producer extends Protocol {
  #transport!: Transport;
  readonly #canWrite = new Event();
  pauses = 0;

  override connectionMade(transport: Transport): void {
    this.#transport = transport;
    transport.setWriteBufferLimits({ high: 64 * 1024 }); // pauseWriting() above 64 KiB
    this.#canWrite.set();
    createTask(() => this.#produce());
  }

  override pauseWriting(): void {
    this.pauses++;
    this.#canWrite.clear();
  }

  override resumeWriting(): void {
    this.#canWrite.set(); // the buffer drained below the low-water mark
  }

  override connectionLost(): void {
    this.#canWrite.set(); // let #produce see that the transport is closing
  }

  async #produce(): Promise<void> {
    for (let sent = 0; sent < TOTAL; sent += CHUNK.length) {
      await this.#canWrite.wait(); // Python's `await writer.drain()`, by hand
      if (this.#transport.isClosing()) return;
      this.#transport.write(CHUNK);
    }
    this.#transport.close(); // flushes what is buffered, then closes
  }
}

/** Reads the whole message into one preallocated buffer: no copy per chunk. */
class Receiver extends BufferedProtocol {
  readonly message = new Uint8Array(TOTAL);
  readonly done = new Event();
  #transport!: Transport;
  #filled = 0;

  override connectionMade(transport: Transport): void {
    this.#transport = transport;
  }

  override getBuffer(_sizehint: number): Uint8Array {
    return this.message.subarray(this.#filled); // the transport reads into this view
  }

  override bufferUpdated(nbytes: number): void {
    this.#filled += nbytes;
    // A slow consumer: stop reading for a moment; the producer is paused meanwhile.
    this.#transport.pauseReading();
    getRunningLoop().callLater(0.001, () => this.#transport.resumeReading());
  }

  override connectionLost(): void {
    this.done.set();
  }

  get received(): number {
    return this.#filled;
  }
}

await run(async () => {
  const loop = getRunningLoop();
  const producers: Producer[] = [];
  await using server = await loop.createServer(
    () => {
      const producer = new Producer();
      producers.push(producer);
      return producer;
    },
    '127.0.0.1',
    0,
  );
  const { port } = (server.sockets[0] as Server).address() as AddressInfo;

  const [, receiver] = await loop.createConnection(() => new Receiver(), '127.0.0.1', port);
  await receiver.done.wait();
  await sleep(0); // let the server side see the end of the connection too
  console.log('received', receiver.received, 'of', TOTAL, 'bytes'); // received 8388608 of 8388608 bytes
  console.log(
    'all 42s:',
    receiver.message.every((b) => b === 42),
  ); // true
  console.log('the producer had to pause:', (producers[0]?.pauses ?? 0) > 0); // true
});
