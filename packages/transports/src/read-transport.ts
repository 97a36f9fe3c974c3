import type { ReadTransport as ReadTransportContract } from '@tsio/core';
import { BaseTransport, _mustOverride } from './base-transport.js';

/**
 * The read side of a stream transport: reading can be paused and resumed.
 *
 * `transport instanceof ReadTransport` holds for every `Transport` too, as in Python.
 *
 * Python parity: `asyncio.ReadTransport`
 */
export class ReadTransport extends BaseTransport implements ReadTransportContract {
  /**
   * Tells whether the transport is receiving (not paused, not closing).
   *
   * Python parity: `ReadTransport.is_reading`
   */
  isReading(): boolean {
    throw _mustOverride(this, 'isReading');
  }

  /**
   * Stops calling the protocol's `dataReceived` until `resumeReading()`; does nothing if
   * already paused.
   *
   * Python parity: `ReadTransport.pause_reading`
   */
  pauseReading(): void {
    throw _mustOverride(this, 'pauseReading');
  }

  /**
   * Resumes calling the protocol's `dataReceived`; does nothing if not paused.
   *
   * Python parity: `ReadTransport.resume_reading`
   */
  resumeReading(): void {
    throw _mustOverride(this, 'resumeReading');
  }
}
