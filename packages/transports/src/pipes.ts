import type {
  AbstractEventLoop,
  AbstractFuture,
  BaseProtocol,
  BaseTransport,
  Protocol,
  ProtocolFactory,
  ReadTransport,
  WriteTransport,
} from '@tsio/core';
import { attachProtocol } from './internal/attach-protocol.js';
import { openReadPipe, openWritePipe } from './internal/pipe-stream.js';
import { ReadPipeTransport } from './internal/read-pipe-transport.js';
import { WritePipeTransport } from './internal/write-pipe-transport.js';

/**
 * The body shared by `_connectReadPipe` and `_connectWritePipe`: checks the factory, opens
 * the stream, makes the protocol and the transport, and resolves once `connectionMade` has
 * run. A stream opened here over a descriptor is destroyed when the factory throws; the
 * transport is closed when the wait is cancelled, so that the pipe does not leak.
 */
async function connectPipe<
  S extends { destroy(): unknown },
  P extends BaseProtocol,
  T extends BaseTransport,
>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  pipe: unknown,
  what: string,
  open: (pipe: unknown) => S,
  makeTransport: (stream: S, protocol: P, waiter: AbstractFuture<void>) => T,
): Promise<[T, P]> {
  if (typeof protocolFactory !== 'function') {
    throw new TypeError(
      `${what} expects a protocol factory (a function returning a protocol), got ${typeof protocolFactory}`,
    );
  }
  const stream = open(pipe);
  return attachProtocol(
    loop,
    protocolFactory,
    () => {
      if (stream !== pipe) stream.destroy();
    },
    (protocol, waiter) => makeTransport(stream, protocol, waiter),
  );
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
  return connectPipe(
    loop,
    protocolFactory,
    pipe,
    'connectReadPipe()',
    openReadPipe,
    (stream, protocol, waiter) => new ReadPipeTransport(loop, stream, protocol, waiter),
  );
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
  return connectPipe(
    loop,
    protocolFactory,
    pipe,
    'connectWritePipe()',
    openWritePipe,
    (stream, protocol, waiter) => new WritePipeTransport(loop, stream, protocol, waiter),
  );
}
