import { ValueError } from '@tsio/core';
import type { AbstractEventLoop, BaseProtocol, BaseTransport } from '@tsio/core';

/** asyncio's default high water mark: 64 KiB. */
export const DEFAULT_HIGH_WATER = 64 * 1024;

function checkLimit(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number of bytes, got ${String(value)}`);
  }
  return Math.floor(value);
}

/**
 * A transport's write flow control: the water marks, and the protocol's paused state, as
 * asyncio's `_FlowControlMixin`. The transport reports its buffer size after each change;
 * this calls the protocol's `pauseWriting`/`resumeWriting` when the size crosses a mark.
 */
export class WriteFlowControl {
  high = DEFAULT_HIGH_WATER;
  low = DEFAULT_HIGH_WATER / 4;
  /** Whether the protocol was told to pause writing and not yet to resume. */
  protocolPaused = false;

  constructor(
    private readonly loop: AbstractEventLoop,
    private readonly transport: BaseTransport,
  ) {}

  /**
   * Sets the marks as `set_write_buffer_limits` does: `high` defaults to 64 KiB (or 4 x
   * `low`), `low` to `high / 4`.
   *
   * @throws TypeError for a limit that is not a number; ValueError unless high >= low >= 0.
   */
  setLimits(limits: { readonly high?: number; readonly low?: number } | undefined): void {
    if (limits !== undefined && (limits === null || typeof limits !== 'object')) {
      throw new TypeError(
        `setWriteBufferLimits() takes an options object such as { high: 65536, low: 16384 }, got ${String(limits)}`,
      );
    }
    let high = checkLimit('high', limits?.high);
    let low = checkLimit('low', limits?.low);
    if (high === undefined) high = low === undefined ? DEFAULT_HIGH_WATER : 4 * low;
    if (low === undefined) low = Math.floor(high / 4);
    if (!(high >= low && low >= 0)) {
      throw new ValueError(`high (${high}) must be >= low (${low}) must be >= 0`);
    }
    this.high = high;
    this.low = low;
  }

  /** Calls `pauseWriting()` once the buffer's `size` is over the high mark. */
  maybePause(size: number, protocol: BaseProtocol): void {
    if (size <= this.high || this.protocolPaused) return;
    this.protocolPaused = true;
    try {
      protocol.pauseWriting?.();
    } catch (error) {
      this.loop.callExceptionHandler({
        message: 'protocol.pauseWriting() failed',
        exception: error,
        transport: this.transport,
        protocol,
      });
    }
  }

  /** Calls `resumeWriting()` once the buffer's `size` is down to the low mark. */
  maybeResume(size: number, protocol: BaseProtocol): void {
    if (!this.protocolPaused || size > this.low) return;
    this.protocolPaused = false;
    try {
      protocol.resumeWriting?.();
    } catch (error) {
      this.loop.callExceptionHandler({
        message: 'protocol.resumeWriting() failed',
        exception: error,
        transport: this.transport,
        protocol,
      });
    }
  }
}
