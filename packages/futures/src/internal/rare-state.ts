import type { CancelledError } from '@tsio/core';
import type { DebugReport } from './debug-reports.js';
import type { CancellableWaiter } from './waiting-task.js';

/**
 * The state of a Future or Task that only cancellation, debug mode, an AbortSignal or a second
 * waiter needs. It lives in one object created on first use, so that the many futures and
 * tasks that never need it are 8 bytes a field smaller (56 bytes for a Task): each field of a
 * JavaScript object costs 8 bytes on 64-bit Node whether it is set or not.
 */
export class RareState {
  /** Future: the message of its cancellation; Task: of a pending cancellation. */
  cancelMessage: string | undefined = undefined;
  /** The CancelledError that ended a Task, kept so result() rethrows it. */
  cancelledError: CancelledError | null = null;
  /** Where the future was created, one frame a line (debug mode only). */
  sourceTraceback: string | undefined = undefined;
  /** What the debug reports need once the future is collected (debug mode only). */
  report: DebugReport | null = null;
  /** Task: the waiters after the first. */
  moreWaiters: Set<CancellableWaiter> | null = null;
  /** Task: the controller of its signal, once read. */
  abortController: AbortController | null = null;
  /** Task: the reason its signal is (or will be, once read) aborted with. */
  abortReason: CancelledError | null = null;
}
