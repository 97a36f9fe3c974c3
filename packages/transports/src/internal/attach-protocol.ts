import type { AbstractEventLoop, AbstractFuture } from '@tsio/core';
import { _raisePendingCancellation } from '@tsio/futures';

/**
 * The last step of every connection-making method, as asyncio's `_make_*_transport` plus
 * waiter: makes the protocol (`discard` releases the socket, stream or endpoint when the
 * factory throws), makes the transport with a waiter it resolves once `connectionMade` has
 * run, and waits for it. A cancellation while waiting, or one that arrives after the waiter
 * was resolved, closes the transport, so that nothing leaks to a cancelled task.
 */
export async function attachProtocol<P, T extends { close(): void }>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  discard: () => void,
  makeTransport: (protocol: P, waiter: AbstractFuture<void>) => T,
): Promise<[T, P]> {
  let protocol: P;
  try {
    protocol = protocolFactory();
  } catch (error) {
    discard();
    throw error;
  }
  const waiter = loop.createFuture<void>();
  const transport = makeTransport(protocol, waiter);
  try {
    await waiter;
    _raisePendingCancellation();
  } catch (error) {
    transport.close();
    throw error;
  }
  return [transport, protocol];
}
