import { NotImplementedError } from '@tsio/core';
import { FdIoUnavailable } from './fd-io-unavailable.js';
import type {
  AbstractServer,
  BaseProtocol,
  DatagramProtocol,
  DatagramTransport,
  IoOptions,
  Protocol,
  ProtocolFactory,
  ReadTransport,
  SubprocessProtocol,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from '@tsio/core';

/** The error every I/O method of BaseEventLoop rejects with. */
function ioNotImplemented(method: string): Promise<never> {
  return Promise.reject(
    new NotImplementedError(
      `${method}() is not implemented by BaseEventLoop, which only schedules callbacks and ` +
        'timers: use EventLoop (the default loop of run() and newEventLoop()), which adds I/O',
    ),
  );
}

/**
 * The network and process I/O half of `AbstractEventLoop`, unimplemented: every method
 * returns a promise rejected with `NotImplementedError`. `BaseEventLoop` extends this class;
 * `EventLoop` overrides the methods with the machinery of `@tsio/transports`. The raw
 * file-descriptor and `sock_*` methods above it (FdIoUnavailable) throw on every loop.
 *
 * The parameters are unused here; they are declared so that subclasses keep the contract's
 * signatures.
 */
export abstract class UnimplementedIo extends FdIoUnavailable {
  /**
   * Opens a streaming connection. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.create_connection`
   */
  createConnection<P extends Protocol>(
    _protocolFactory: ProtocolFactory<P>,
    _host?: string | null,
    _port?: number | string | null,
    _options?: IoOptions,
  ): Promise<[Transport, P]> {
    return ioNotImplemented('createConnection');
  }

  /**
   * Starts a TCP server. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.create_server`
   */
  createServer(
    _protocolFactory: ProtocolFactory<Protocol>,
    _host?: string | readonly string[] | null,
    _port?: number | string | null,
    _options?: IoOptions,
  ): Promise<AbstractServer> {
    return ioNotImplemented('createServer');
  }

  /**
   * Opens a Unix socket connection. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.create_unix_connection`
   */
  createUnixConnection<P extends Protocol>(
    _protocolFactory: ProtocolFactory<P>,
    _path?: string | null,
    _options?: IoOptions,
  ): Promise<[Transport, P]> {
    return ioNotImplemented('createUnixConnection');
  }

  /**
   * Starts a Unix socket server. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.create_unix_server`
   */
  createUnixServer(
    _protocolFactory: ProtocolFactory<Protocol>,
    _path?: string | null,
    _options?: IoOptions,
  ): Promise<AbstractServer> {
    return ioNotImplemented('createUnixServer');
  }

  /**
   * Opens a datagram (UDP) endpoint. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.create_datagram_endpoint`
   */
  createDatagramEndpoint<P extends DatagramProtocol>(
    _protocolFactory: ProtocolFactory<P>,
    _options?: IoOptions,
  ): Promise<[DatagramTransport, P]> {
    return ioNotImplemented('createDatagramEndpoint');
  }

  /**
   * Wraps an already accepted socket in a transport. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.connect_accepted_socket`
   */
  connectAcceptedSocket<P extends Protocol>(
    _protocolFactory: ProtocolFactory<P>,
    _socket: unknown,
    _options?: IoOptions,
  ): Promise<[Transport, P]> {
    return ioNotImplemented('connectAcceptedSocket');
  }

  /**
   * Upgrades a connection to TLS. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.start_tls`
   */
  startTls(
    _transport: Transport,
    _protocol: BaseProtocol,
    _sslContext: unknown,
    _options?: IoOptions,
  ): Promise<Transport> {
    return ioNotImplemented('startTls');
  }

  /**
   * Sends a file over a transport. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.sendfile`
   */
  sendfile(
    _transport: WriteTransport,
    _file: unknown,
    _offset?: number,
    _count?: number | null,
    _options?: IoOptions,
  ): Promise<number> {
    return ioNotImplemented('sendfile');
  }

  /**
   * Starts a subprocess from a program and its arguments. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.subprocess_exec`
   */
  subprocessExec<P extends SubprocessProtocol>(
    _protocolFactory: ProtocolFactory<P>,
    _program: string,
    _args?: readonly string[],
    _options?: IoOptions,
  ): Promise<[SubprocessTransport, P]> {
    return ioNotImplemented('subprocessExec');
  }

  /**
   * Starts a subprocess through the shell. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.subprocess_shell`
   */
  subprocessShell<P extends SubprocessProtocol>(
    _protocolFactory: ProtocolFactory<P>,
    _command: string,
    _options?: IoOptions,
  ): Promise<[SubprocessTransport, P]> {
    return ioNotImplemented('subprocessShell');
  }

  /**
   * Reads from a pipe through a protocol. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.connect_read_pipe`
   */
  connectReadPipe<P extends Protocol>(
    _protocolFactory: ProtocolFactory<P>,
    _pipe: unknown,
  ): Promise<[ReadTransport, P]> {
    return ioNotImplemented('connectReadPipe');
  }

  /**
   * Writes to a pipe through a transport. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.connect_write_pipe`
   */
  connectWritePipe<P extends BaseProtocol>(
    _protocolFactory: ProtocolFactory<P>,
    _pipe: unknown,
  ): Promise<[WriteTransport, P]> {
    return ioNotImplemented('connectWritePipe');
  }

  /**
   * Resolves a host and port to addresses. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.getaddrinfo`
   */
  getaddrinfo(
    _host: string | null,
    _port: number | string | null,
    _options?: IoOptions,
  ): Promise<unknown[]> {
    return ioNotImplemented('getaddrinfo');
  }

  /**
   * Resolves an address to a host and service name. Not available on BaseEventLoop.
   *
   * @throws NotImplementedError (as a rejection) always.
   *
   * Python parity: `loop.getnameinfo`
   */
  getnameinfo(
    _sockaddr: readonly [string, number, ...number[]],
    _flags?: number,
  ): Promise<[string, string]> {
    return ioNotImplemented('getnameinfo');
  }
}
