// Transport and protocol base classes.
export { BaseTransport } from './base-transport.js';
export { ReadTransport } from './read-transport.js';
export { WriteTransport } from './write-transport.js';
export { Transport } from './transport.js';
export { DatagramTransport } from './datagram-transport.js';
export { SubprocessTransport } from './subprocess-transport.js';
export {
  BaseProtocol,
  BufferedProtocol,
  DatagramProtocol,
  Protocol,
  SubprocessProtocol,
} from './protocols.js';

// Connections (TCP, TLS, Unix) and the socket transport.
export {
  _createConnection,
  _createUnixConnection,
  _connectAcceptedSocket,
} from './create-connection.js';
export type {
  CreateConnectionOptions,
  CreateUnixConnectionOptions,
  ConnectAcceptedSocketOptions,
} from './create-connection.js';

// Servers.
export { Server, _createServer, _createUnixServer } from './server.js';
export type { CreateServerOptions, CreateUnixServerOptions, ServerOptions } from './server.js';

// TLS upgrade and sendfile.
export { _startTls } from './start-tls.js';
export type { StartTlsOptions } from './start-tls.js';
export { _sendfile } from './sendfile.js';
export type { SendfileOptions } from './sendfile.js';

// TLS errors.
export { SSLCertVerificationError, SSLError } from './ssl-errors.js';
export type { SSLErrorOptions } from './ssl-errors.js';

// Datagrams.
export { _createDatagramEndpoint } from './datagram-endpoint.js';
export type { CreateDatagramEndpointOptions, DatagramHostPort } from './datagram-endpoint.js';

// Pipes and subprocesses.
export { _connectReadPipe, _connectWritePipe } from './pipes.js';
export { _subprocessExec, _subprocessShell, PIPE, STDOUT, DEVNULL } from './subprocess.js';
export type { StdioOption, SubprocessOptions } from './subprocess.js';

// Name resolution.
export { _getaddrinfo, _getnameinfo } from './name-resolution.js';
export type { AddrInfo, GetaddrinfoOptions, SockAddr } from './name-resolution.js';
export { GaiError } from './gai-error.js';
export type { GaiErrorCode } from './gai-error.js';
