import type {
  AbstractServer,
  BaseProtocol,
  DatagramProtocol,
  DatagramTransport,
  Protocol,
  ProtocolFactory,
  ReadTransport,
  SubprocessProtocol,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from '@tsio/core';
import {
  _connectAcceptedSocket,
  _connectReadPipe,
  _connectWritePipe,
  _createConnection,
  _createDatagramEndpoint,
  _createServer,
  _createUnixConnection,
  _createUnixServer,
  _getaddrinfo,
  _getnameinfo,
  _sendfile,
  _startTls,
  _subprocessExec,
  _subprocessShell,
} from '@tsio/transports';
import type {
  ConnectAcceptedSocketOptions,
  CreateConnectionOptions,
  CreateDatagramEndpointOptions,
  CreateServerOptions,
  CreateUnixConnectionOptions,
  CreateUnixServerOptions,
  AddrInfo,
  GetaddrinfoOptions,
  SendfileOptions,
  StartTlsOptions,
  SubprocessOptions,
} from '@tsio/transports';
import { BaseEventLoop } from './base-event-loop.js';

/**
 * The default tsio event loop: `BaseEventLoop`'s callbacks, timers, tasks, executors and
 * signals, plus network and process I/O on Node's net, tls, dgram and child_process through
 * `@tsio/transports`. `run()` and `Runner` use it unless given another `loopFactory`.
 *
 * @example
 * ```ts
 * import { EventLoop } from '@tsio/event-loop';
 *
 * const loop = new EventLoop();
 * const server = await loop.runUntilComplete(
 *   loop.createServer(() => ({ dataReceived(data) { console.log(data.length) } }), '127.0.0.1', 0),
 * );
 * ```
 *
 * Python parity: `asyncio.SelectorEventLoop` (the default `asyncio.EventLoop` on Unix)
 */
export class EventLoop extends BaseEventLoop {
  /**
   * Opens a TCP connection, or TLS with `options.ssl`, to `host`:`port`; resolves to
   * `[transport, protocol]` once the protocol's `connectionMade` has run.
   *
   * Python parity: `loop.create_connection`
   */
  override createConnection<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    host?: string | null,
    port?: number | string | null,
    options?: CreateConnectionOptions,
  ): Promise<[Transport, P]> {
    return _createConnection(this, protocolFactory, host, port, options);
  }

  /**
   * Starts a TCP (or TLS) server on `host` (a name, a list of names, or all interfaces when
   * null) and `port` (0 picks a free one); each connection gets a protocol from the factory.
   *
   * Python parity: `loop.create_server`
   */
  override createServer(
    protocolFactory: ProtocolFactory<Protocol>,
    host?: string | readonly string[] | null,
    port?: number | string | null,
    options?: CreateServerOptions,
  ): Promise<AbstractServer> {
    return _createServer(this, protocolFactory, host, port, options);
  }

  /**
   * Opens a Unix socket connection to `path`.
   *
   * Python parity: `loop.create_unix_connection`
   */
  override createUnixConnection<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    path?: string | null,
    options?: CreateUnixConnectionOptions,
  ): Promise<[Transport, P]> {
    return _createUnixConnection(this, protocolFactory, path, options);
  }

  /**
   * Starts a Unix socket server listening on `path`.
   *
   * Python parity: `loop.create_unix_server`
   */
  override createUnixServer(
    protocolFactory: ProtocolFactory<Protocol>,
    path?: string | null,
    options?: CreateUnixServerOptions,
  ): Promise<AbstractServer> {
    return _createUnixServer(this, protocolFactory, path, options);
  }

  /**
   * Opens a datagram (UDP) endpoint bound to `localAddr` and/or connected to `remoteAddr`.
   *
   * Python parity: `loop.create_datagram_endpoint`
   */
  override createDatagramEndpoint<P extends DatagramProtocol>(
    protocolFactory: ProtocolFactory<P>,
    options?: CreateDatagramEndpointOptions,
  ): Promise<[DatagramTransport, P]> {
    return _createDatagramEndpoint(this, protocolFactory, options);
  }

  /**
   * Wraps an already connected `net.Socket` (one a Node server accepted, say) in a transport.
   *
   * Python parity: `loop.connect_accepted_socket`
   */
  override connectAcceptedSocket<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    socket: unknown,
    options?: ConnectAcceptedSocketOptions,
  ): Promise<[Transport, P]> {
    return _connectAcceptedSocket(this, protocolFactory, socket, options);
  }

  /**
   * Upgrades the connection of `transport` to TLS; resolves to the new transport, which feeds
   * `protocol`. The old transport must not be used any more.
   *
   * Python parity: `loop.start_tls`
   */
  override startTls(
    transport: Transport,
    protocol: BaseProtocol,
    sslContext: unknown,
    options?: StartTlsOptions,
  ): Promise<Transport> {
    return _startTls(this, transport, protocol, sslContext, options);
  }

  /**
   * Sends `count` bytes (all when null) of `file` (a file descriptor or an fs.promises
   * `FileHandle`) from `offset` over `transport`; resolves to the number of bytes sent.
   * `{ fallback: false }` fails with `SendfileNotAvailableError` where the transport has no
   * fast path (TLS, pipes) instead of writing the file through `transport.write`.
   *
   * Python parity: `loop.sendfile`
   */
  override sendfile(
    transport: WriteTransport,
    file: unknown,
    offset?: number,
    count?: number | null,
    options?: SendfileOptions,
  ): Promise<number> {
    return _sendfile(this, transport, file, offset, count, options);
  }

  /**
   * Starts `program` with `args` (never through a shell) and connects its pipes to a
   * `SubprocessProtocol`. The arguments come as an array, or one by one as in asyncio:
   * `subprocessExec(factory, 'ls', ['-l'], { stdout: PIPE })` and
   * `subprocessExec(factory, 'ls', '-l', { stdout: PIPE })` are the same call.
   *
   * @throws TypeError (as a rejection) for an argument that is not a string.
   *
   * Python parity: `loop.subprocess_exec`
   */
  override subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    program: string,
    args?: readonly string[],
    options?: SubprocessOptions,
  ): Promise<[SubprocessTransport, P]>;
  override subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    program: string,
    ...argsThenOptions: [...args: string[], options: SubprocessOptions] | string[]
  ): Promise<[SubprocessTransport, P]>;
  override subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    program: string,
    ...rest: unknown[]
  ): Promise<[SubprocessTransport, P]> {
    if (rest.length === 0 || Array.isArray(rest[0]) || rest[0] === undefined) {
      const [args, options] = rest as [readonly string[] | undefined, SubprocessOptions?];
      return _subprocessExec(this, protocolFactory, program, args, options);
    }
    // asyncio's variadic form: strings, then optionally the options object.
    const last = rest[rest.length - 1];
    const hasOptions = typeof last !== 'string';
    const args = (hasOptions ? rest.slice(0, -1) : rest) as string[];
    const options = (hasOptions ? last : undefined) as SubprocessOptions | undefined;
    return _subprocessExec(this, protocolFactory, program, args, options);
  }

  /**
   * Runs `command` through the platform's shell and connects its pipes to a
   * `SubprocessProtocol`.
   *
   * Python parity: `loop.subprocess_shell`
   */
  override subprocessShell<P extends SubprocessProtocol>(
    protocolFactory: ProtocolFactory<P>,
    command: string,
    options?: SubprocessOptions,
  ): Promise<[SubprocessTransport, P]> {
    return _subprocessShell(this, protocolFactory, command, options);
  }

  /**
   * Reads from `pipe` (a Node Readable, a file descriptor...) through a protocol.
   *
   * Python parity: `loop.connect_read_pipe`
   */
  override connectReadPipe<P extends Protocol>(
    protocolFactory: ProtocolFactory<P>,
    pipe: unknown,
  ): Promise<[ReadTransport, P]> {
    return _connectReadPipe(this, protocolFactory, pipe);
  }

  /**
   * Writes to `pipe` (a Node Writable, a file descriptor...) through a transport.
   *
   * Python parity: `loop.connect_write_pipe`
   */
  override connectWritePipe<P extends BaseProtocol>(
    protocolFactory: ProtocolFactory<P>,
    pipe: unknown,
  ): Promise<[WriteTransport, P]> {
    return _connectWritePipe(this, protocolFactory, pipe);
  }

  /**
   * Resolves `host` and `port` to addresses, as `[family, type, proto, canonname, sockaddr]`
   * entries.
   *
   * Python parity: `loop.getaddrinfo`
   */
  override getaddrinfo(
    host: string | null,
    port: number | string | null,
    options?: GetaddrinfoOptions,
  ): Promise<AddrInfo[]> {
    return _getaddrinfo(this, host, port, options);
  }

  /**
   * Resolves `sockaddr` to `[host, service]`.
   *
   * Python parity: `loop.getnameinfo`
   */
  override getnameinfo(
    sockaddr: readonly [string, number, ...number[]],
    flags?: number,
  ): Promise<[string, string]> {
    return _getnameinfo(this, sockaddr, flags);
  }
}
