/**
 * Python's built-in exceptions that asyncio raises, and asyncio's own exceptions.
 *
 * Every class sets `name` to its Python name, so `String(error)` reads as in Python.
 */

/**
 * An error that does not fit any other category.
 *
 * Python parity: `RuntimeError`
 */
export class RuntimeError extends Error {
  /** @param message - what went wrong and, where it helps, how to fix it */
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An argument had the right type but an inappropriate value.
 *
 * Python parity: `ValueError`
 */
export class ValueError extends Error {
  /** @param message - what value was wrong and what is accepted */
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A mapping or context lookup found no value for the key.
 *
 * Python parity: `LookupError`
 */
export class LookupError extends Error {
  /** @param message - which key was missing */
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An operation that this implementation, or this loop, does not provide.
 *
 * Python parity: `NotImplementedError`
 */
export class NotImplementedError extends RuntimeError {}

/**
 * The user interrupted the program (Ctrl-C) while `run()` was waiting for its main task.
 *
 * Python parity: `KeyboardInterrupt`
 */
export class KeyboardInterrupt extends Error {
  /** @param message - optional detail */
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The operation was cancelled: raised at the `await` of a cancelled Task or Future.
 *
 * Catch it only to clean up, then re-throw it (see `isCancelledError`).
 *
 * Python parity: `asyncio.CancelledError`
 */
export class CancelledError extends Error {
  /** @param message - the message passed to `cancel(msg)`, if any */
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The operation exceeded its deadline.
 *
 * Python parity: `asyncio.TimeoutError` (an alias of the built-in `TimeoutError`)
 */
export class TimeoutError extends Error {
  /** @param message - optional detail */
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The operation is not allowed in the object's current state, such as setting the result
 * of a Future that is already done.
 *
 * Python parity: `asyncio.InvalidStateError`
 */
export class InvalidStateError extends Error {
  /** @param message - which state forbade the operation */
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Tells whether `error` is a cancellation: the guard to use in every `catch` that must let
 * cancellation through.
 *
 * @example
 * ```ts
 * try {
 *   await work();
 * } catch (e) {
 *   if (isCancelledError(e)) throw e; // never swallow a cancellation
 *   log(e);
 * }
 * ```
 *
 * Python parity: `except asyncio.CancelledError` (CancelledError derives from BaseException in
 * Python, so `except Exception` does not catch it; JavaScript has no such split).
 */
export function isCancelledError(error: unknown): error is CancelledError {
  return (
    error instanceof CancelledError || (error instanceof Error && error.name === 'CancelledError')
  );
}

/**
 * The end of a stream was reached while more data was expected.
 *
 * Python parity: `EOFError`
 */
export class EOFError extends Error {
  /** @param message - what was being read */
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A stream ended before `readexactly()` or `readuntil()` got all the bytes it needed;
 * `partial` holds the bytes read before the end.
 *
 * The message reads as in Python: `'2 bytes read on a total of 5 expected bytes'`, with
 * `undefined` in place of the count when `expected` is `null` (as Python 3.13 writes it).
 *
 * Python parity: `asyncio.IncompleteReadError`
 */
export class IncompleteReadError extends EOFError {
  /**
   * @param partial - the bytes read before the end of the stream
   * @param expected - how many bytes were expected, or `null` when the count is not known
   */
  constructor(
    readonly partial: Uint8Array,
    readonly expected: number | null,
  ) {
    const expectedText = expected === null ? 'undefined' : String(expected);
    super(`${partial.length} bytes read on a total of ${expectedText} expected bytes`);
    this.name = new.target.name;
  }
}

/**
 * A stream read found no separator within the buffer limit; `consumed` bytes can be
 * skipped to make progress.
 *
 * Python parity: `asyncio.LimitOverrunError`
 */
export class LimitOverrunError extends Error {
  /**
   * @param message - what overran the limit
   * @param consumed - how many bytes are to be consumed (discarded) to skip the overrun
   */
  constructor(
    message: string,
    readonly consumed: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The platform or the transport cannot send a file with the native `sendfile`; the caller
 * may fall back to reading and writing.
 *
 * Python parity: `asyncio.SendfileNotAvailableError`
 */
export class SendfileNotAvailableError extends RuntimeError {}

/**
 * `getNowait()` was called on an empty queue.
 *
 * Python parity: `asyncio.QueueEmpty`
 */
export class QueueEmpty extends Error {
  /** @param message - optional detail */
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * `putNowait()` was called on a queue that has reached its `maxsize`.
 *
 * Python parity: `asyncio.QueueFull`
 */
export class QueueFull extends Error {
  /** @param message - optional detail */
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A `put` or `get` was attempted on a queue that was shut down.
 *
 * Python parity: `asyncio.QueueShutDown`
 */
export class QueueShutDown extends Error {
  /** @param message - optional detail */
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A `Barrier` was reset or broken while a task waited on it, or before it began waiting.
 *
 * Python parity: `asyncio.BrokenBarrierError`
 */
export class BrokenBarrierError extends RuntimeError {}
