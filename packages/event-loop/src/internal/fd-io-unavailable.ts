import { NotImplementedError } from '@tsio/core';

/** The error each raw file-descriptor and socket method throws, naming what to use instead. */
function unavailable(method: string, instead: string): NotImplementedError {
  return new NotImplementedError(
    `${method}() cannot be built on Node.js's public APIs, which do not expose the readiness ` +
      `of a file descriptor nor non-blocking calls on a raw socket; ${instead}`,
  );
}

const USE_FD_TRANSPORTS =
  'wrap the descriptor in a transport instead (connectReadPipe / connectWritePipe, or ' +
  'connectAcceptedSocket for a net.Socket)';
const USE_SOCKET_TRANSPORTS =
  'use a transport and protocol (createConnection, createServer, connectAcceptedSocket, ' +
  'createDatagramEndpoint) or the streams (openConnection, startServer) instead';

/**
 * asyncio's low-level file-descriptor callbacks and `sock_*` coroutines, which tsio cannot
 * provide on Node (see docs/python-differences.md): each throws `NotImplementedError` at
 * once, with a message naming what to use instead. The parameters are declared so that the
 * signatures match asyncio's.
 */
export abstract class FdIoUnavailable {
  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; wrap the descriptor in a pipe transport instead.
   *
   * Python parity: `loop.add_reader`
   */
  addReader(_fd: number, _callback: (...args: never[]) => unknown, ..._args: unknown[]): never {
    throw unavailable('addReader', USE_FD_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always.
   *
   * Python parity: `loop.remove_reader`
   */
  removeReader(_fd: number): never {
    throw unavailable('removeReader', USE_FD_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; wrap the descriptor in a pipe transport instead.
   *
   * Python parity: `loop.add_writer`
   */
  addWriter(_fd: number, _callback: (...args: never[]) => unknown, ..._args: unknown[]): never {
    throw unavailable('addWriter', USE_FD_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always.
   *
   * Python parity: `loop.remove_writer`
   */
  removeWriter(_fd: number): never {
    throw unavailable('removeWriter', USE_FD_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use a transport or the streams instead.
   *
   * Python parity: `loop.sock_recv`
   */
  sockRecv(_sock: unknown, _nbytes: number): never {
    throw unavailable('sockRecv', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use a transport or the streams instead.
   *
   * Python parity: `loop.sock_recv_into`
   */
  sockRecvInto(_sock: unknown, _buffer: Uint8Array): never {
    throw unavailable('sockRecvInto', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use `createDatagramEndpoint` instead.
   *
   * Python parity: `loop.sock_recvfrom`
   */
  sockRecvfrom(_sock: unknown, _bufsize: number): never {
    throw unavailable('sockRecvfrom', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use `createDatagramEndpoint` instead.
   *
   * Python parity: `loop.sock_recvfrom_into`
   */
  sockRecvfromInto(_sock: unknown, _buffer: Uint8Array, _nbytes?: number): never {
    throw unavailable('sockRecvfromInto', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use a transport or the streams instead.
   *
   * Python parity: `loop.sock_sendall`
   */
  sockSendall(_sock: unknown, _data: Uint8Array): never {
    throw unavailable('sockSendall', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use `createDatagramEndpoint` instead.
   *
   * Python parity: `loop.sock_sendto`
   */
  sockSendto(_sock: unknown, _data: Uint8Array, _address: unknown): never {
    throw unavailable('sockSendto', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use `createConnection` instead.
   *
   * Python parity: `loop.sock_connect`
   */
  sockConnect(_sock: unknown, _address: unknown): never {
    throw unavailable('sockConnect', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use `createServer` instead.
   *
   * Python parity: `loop.sock_accept`
   */
  sockAccept(_sock: unknown): never {
    throw unavailable('sockAccept', USE_SOCKET_TRANSPORTS);
  }

  /**
   * Not available on Node: throws.
   *
   * @throws NotImplementedError always; use `sendfile` on a transport instead.
   *
   * Python parity: `loop.sock_sendfile`
   */
  sockSendfile(_sock: unknown, _file: unknown, _offset?: number, _count?: number | null): never {
    throw unavailable('sockSendfile', 'use loop.sendfile(transport, file) instead');
  }
}
