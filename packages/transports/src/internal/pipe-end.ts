import type { Readable, Writable } from 'node:stream';
import type { AbstractEventLoop, BaseTransport } from '@tsio/core';
import { soon } from './loop-calls.js';

/** A listener a pipe transport puts on its Node stream. */
export type StreamListener = Parameters<Readable['off']>[1];

function ignoreError(): void {}

/**
 * Reports the error that ends a pipe transport, as `_fatal_error` of asyncio's
 * `_UnixReadPipeTransport` / `_UnixWritePipeTransport`: a `routine` error (the pipe's other
 * side went away) is only logged in debug mode; any other goes to the loop's exception
 * handler, unless the loop is already closed. The caller then closes the transport.
 */
export function reportPipeError(
  loop: AbstractEventLoop,
  transport: BaseTransport,
  error: unknown,
  message: string,
  routine: boolean,
): void {
  if (routine) {
    if (loop.getDebug()) console.debug(`${String(transport)}: ${message}`, error);
  } else if (!loop.isClosed()) {
    loop.callExceptionHandler({
      message,
      exception: error,
      transport,
      protocol: transport.getProtocol(),
    });
  }
}

/**
 * Schedules the transport's `protocol.connectionLost(exc)` and then `release()` (even when
 * the callback throws); with the loop already closed there is nobody to tell: releases now.
 */
export function scheduleConnectionLost(
  loop: AbstractEventLoop,
  transport: BaseTransport,
  exc: Error | null,
  release: () => void,
): void {
  const callConnectionLost = (): void => {
    try {
      transport.getProtocol().connectionLost?.(exc);
    } finally {
      release();
    }
  };
  if (!soon(loop, callConnectionLost)) release();
}

/**
 * Lets go of a pipe transport's stream: removes the transport's `listeners` (event name ->
 * listener), keeps one 'error' listener (an error the stream reports while being destroyed
 * must not crash), and destroys the stream.
 */
export function releasePipeStream(
  stream: Readable | Writable,
  listeners: Readonly<Record<string, StreamListener>>,
): void {
  for (const [event, listener] of Object.entries(listeners)) stream.off(event, listener);
  stream.on('error', ignoreError);
  stream.destroy();
}
