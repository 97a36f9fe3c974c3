import { OSError } from '@tsio/core';
import type { AbstractEventLoop, BaseProtocol, BaseTransport } from '@tsio/core';

/**
 * Reports the error that breaks a transport, as asyncio's `_fatal_error` does: an `OSError`
 * (a peer that went away, a reset, a broken pipe, any failed system call) is the
 * connection's own business, only logged in debug mode, and reaches the protocol through
 * `connectionLost(error)`; anything else (a protocol callback that threw, say) goes to the
 * loop's exception handler with `message`. The caller then closes the transport with
 * `connectionLost(error)`.
 */
export function reportFatalError(
  loop: AbstractEventLoop,
  error: unknown,
  message: string,
  transport: BaseTransport,
  protocol: BaseProtocol,
): void {
  if (error instanceof OSError) {
    if (loop.getDebug()) console.debug(`${String(transport)}: ${message}`, error);
    return;
  }
  loop.callExceptionHandler({ message, exception: error, transport, protocol });
}
