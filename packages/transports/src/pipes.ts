import type {
  AbstractEventLoop,
  AbstractFuture,
  BaseProtocol,
  Protocol,
  ProtocolFactory,
  ReadTransport,
  WriteTransport,
} from '@tsio/core';
import { openReadPipe, openWritePipe } from './internal/pipe-stream.js';
import { ReadPipeTransport } from './internal/read-pipe-transport.js';
import { WritePipeTransport } from './internal/write-pipe-transport.js';

function checkFactory(protocolFactory: unknown, what: string): void {
  if (typeof protocolFactory !== 'function') {
    throw new TypeError(
      `${what} expects a protocol factory (a function returning a protocol), got ${typeof protocolFactory}`,
    );
  }
}

async function connect<T extends ReadTransport | WriteTransport>(
  loop: AbstractEventLoop,
  make: (waiter: AbstractFuture<void>) => T,
): Promise<T> {
  const waiter = loop.createFuture<void>();
  const transport = make(waiter);
  try {
    await waiter;
  } catch (error) {
    // Cancelled while connectionMade() was pending: do not leak the pipe.
    transport.close();
    throw error;
  }
  return transport;
}

/**
 * Loop machinery of `EventLoop.connectReadPipe`: reads `pipe` through a protocol made by
 * `protocolFactory`. `pipe` is a Node Readable (a child's stdout, `process.stdin`, a
 * `net.Socket`, an `fs.ReadStream`...) or a file descriptor number of a pipe, FIFO, socket or
 * character device, which the transport then owns and closes. Resolves once the protocol's
 * `connectionMade` has run; each chunk then goes to `dataReceived`, and at EOF the protocol
 * gets `eofReceived()` and `connectionLost(null)`.
 *
 * @throws TypeError for a `pipe` of another kind; ValueError for a regular file's descriptor
 * or a stream that is destroyed or yields strings; an OSError subclass for a bad descriptor.
 *
 * Python parity: `loop.connect_read_pipe`
 */
export async function _connectReadPipe<P extends Protocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  pipe: unknown,
): Promise<[ReadTransport, P]> {
  checkFactory(protocolFactory, 'connectReadPipe()');
  const stream = openReadPipe(pipe);
  let protocol: P;
  try {
    protocol = protocolFactory();
  } catch (error) {
    if (stream !== pipe) stream.destroy();
    throw error;
  }
  const transport = await connect(
    loop,
    (waiter) => new ReadPipeTransport(loop, stream, protocol, waiter),
  );
  return [transport, protocol];
}

/**
 * Loop machinery of `EventLoop.connectWritePipe`: writes to `pipe` through a transport, whose
 * protocol (made by `protocolFactory`) gets flow control and `connectionLost`. `pipe` is a
 * Node Writable (a child's stdin, `process.stdout`, a `net.Socket`...) or a file descriptor
 * number of a pipe, FIFO, socket or character device, which the transport then owns and
 * closes. A reader that goes away ends the transport with `connectionLost(BrokenPipeError)`
 * when data was still to be written.
 *
 * @throws as `_connectReadPipe`.
 *
 * Python parity: `loop.connect_write_pipe`
 */
export async function _connectWritePipe<P extends BaseProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  pipe: unknown,
): Promise<[WriteTransport, P]> {
  checkFactory(protocolFactory, 'connectWritePipe()');
  const stream = openWritePipe(pipe);
  let protocol: P;
  try {
    protocol = protocolFactory();
  } catch (error) {
    if (stream !== pipe) stream.destroy();
    throw error;
  }
  const transport = await connect(
    loop,
    (waiter) => new WritePipeTransport(loop, stream, protocol, waiter),
  );
  return [transport, protocol];
}
