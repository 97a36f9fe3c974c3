import { NotImplementedError } from '@tsio/core';
import type { BaseProtocol, BaseTransport as BaseTransportContract } from '@tsio/core';

/** The error a base-class method that the concrete transport must provide throws. */
export function _mustOverride(transport: object, method: string): NotImplementedError {
  return new NotImplementedError(
    `${transport.constructor.name}.${method}() is not implemented: a concrete transport overrides it`,
  );
}

/**
 * The base of every transport: extra information, closing, and the protocol it feeds.
 * Subclass it to write a transport; the methods a concrete transport must provide throw
 * `NotImplementedError` here, as asyncio's do, so a test double overrides only what it uses.
 *
 * Python parity: `asyncio.BaseTransport`
 */
export class BaseTransport implements BaseTransportContract {
  /** The values `getExtraInfo` returns, by name. */
  protected readonly _extra: Map<string, unknown>;

  /**
   * @param extra - the values `getExtraInfo(name)` returns.
   */
  constructor(extra?: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>) {
    this._extra = new Map(
      extra === undefined ? [] : extra instanceof Map ? extra : Object.entries(extra),
    );
  }

  /**
   * Returns the transport's information `name` (`'peername'`, `'sockname'`, `'socket'`,
   * `'sslcontext'`, `'peercert'`, `'cipher'`, `'compression'`, `'pipe'`, `'subprocess'`...),
   * or `defaultValue` (else `null`) when it has none.
   *
   * Python parity: `BaseTransport.get_extra_info`
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this._extra.has(name) ? this._extra.get(name) : defaultValue;
  }

  /**
   * Tells whether the transport is closing or closed.
   *
   * Python parity: `BaseTransport.is_closing`
   */
  isClosing(): boolean {
    throw _mustOverride(this, 'isClosing');
  }

  /**
   * Closes the transport: buffered data is flushed asynchronously, no more data is received,
   * then the protocol's `connectionLost(null)` is called. Closing twice does nothing.
   *
   * Python parity: `BaseTransport.close`
   */
  close(): void {
    throw _mustOverride(this, 'close');
  }

  /**
   * Replaces the protocol that receives this transport's events.
   *
   * Python parity: `BaseTransport.set_protocol`
   */
  setProtocol(_protocol: BaseProtocol): void {
    throw _mustOverride(this, 'setProtocol');
  }

  /**
   * Returns the protocol that receives this transport's events.
   *
   * Python parity: `BaseTransport.get_protocol`
   */
  getProtocol(): BaseProtocol {
    throw _mustOverride(this, 'getProtocol');
  }
}
