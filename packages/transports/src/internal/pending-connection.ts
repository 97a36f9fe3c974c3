import type net from 'node:net';
import { BaseTransport } from '../base-transport.js';

/**
 * A connection a server counts while its TLS handshake runs (accepted with `ssl`, or
 * upgraded by `startTls`), before it has a transport: asyncio's server counts a connection
 * from accept. `closeClients()`/`abortClients()` drop it (the handshake then fails), and
 * `waitClosed()` waits until it is settled: detached from the server once its transport is
 * attached, or once its handshake failed.
 */
export class PendingConnection extends BaseTransport {
  readonly #socket: net.Socket;
  #closing = false;

  constructor(socket: net.Socket) {
    super({ socket });
    this.#socket = socket;
  }

  /** Drops the connection: its handshake fails. */
  override close(): void {
    this.#closing = true;
    this.#socket.destroy();
  }

  /** As `close()`: nothing of the connection is buffered yet. */
  abort(): void {
    this.close();
  }

  override isClosing(): boolean {
    return this.#closing || this.#socket.destroyed;
  }

  override toString(): string {
    return `<PendingConnection${this.isClosing() ? ' closing' : ''} (TLS handshake)>`;
  }
}
