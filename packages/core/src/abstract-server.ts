/**
 * The server interface that `createServer`, `createUnixServer` and `startServer` return.
 */

import type { AbstractEventLoop } from './abstract-event-loop.js';

/**
 * A listening server: accepts connections until closed.
 *
 * `await using server = await loop.createServer(...)` closes the server and waits for it at
 * the end of the block, as Python's `async with server:` does.
 *
 * Python parity: `asyncio.AbstractServer`
 */
export interface AbstractServer {
  /**
   * The listening sockets, empty once the server is closed. Their type is the
   * implementation's (Node's `net.Server` for `EventLoop`).
   *
   * Python parity: `Server.sockets`
   */
  readonly sockets: readonly unknown[];

  /**
   * Stops listening. Open connections stay open (see `closeClients`); `waitClosed()`
   * resolves when they have all closed.
   *
   * Python parity: `AbstractServer.close`
   */
  close(): void;

  /**
   * Closes every connection the server accepted (buffered data is flushed first).
   *
   * Python parity: `AbstractServer.close_clients`
   */
  closeClients(): void;

  /**
   * Aborts every connection the server accepted, dropping buffered data.
   *
   * Python parity: `AbstractServer.abort_clients`
   */
  abortClients(): void;

  /**
   * Returns the loop the server belongs to.
   *
   * Python parity: `AbstractServer.get_loop`
   */
  getLoop(): AbstractEventLoop;

  /**
   * Tells whether the server is accepting new connections.
   *
   * Python parity: `AbstractServer.is_serving`
   */
  isServing(): boolean;

  /**
   * Starts accepting connections (a server created with `startServing: false` waits for
   * this). Resolves once it listens; calling it on a serving server does nothing.
   *
   * Python parity: `AbstractServer.start_serving`
   */
  startServing(): Promise<void>;

  /**
   * Accepts connections until the awaiting task is cancelled; cancelling it closes the server.
   *
   * @throws RuntimeError if the server is closed, or `serveForever()` is already running.
   *
   * Python parity: `AbstractServer.serve_forever`
   */
  serveForever(): Promise<void>;

  /**
   * Resolves when the server is closed and all its connections are gone.
   *
   * Python parity: `AbstractServer.wait_closed`
   */
  waitClosed(): Promise<void>;

  /**
   * Closes the server and waits until it is closed: the end of an `await using` block.
   *
   * Python parity: `AbstractServer.__aexit__`
   */
  [Symbol.asyncDispose](): Promise<void>;
}
