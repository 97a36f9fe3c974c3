import type { BaseTransport } from '@tsio/core';

/**
 * What a server offers the transports of the connections it accepted: they attach when made
 * and detach once their protocol's `connectionLost` has run, so that the server can close,
 * abort and wait for its clients (`closeClients`, `abortClients`, `waitClosed`).
 */
export interface ServerConnections {
  /** Records a new connection's transport. */
  _attach(transport: BaseTransport): void;
  /** Forgets a connection's transport once it is closed and its protocol told. */
  _detach(transport: BaseTransport): void;
}
