import type { Clock, HostTimerHandle, HostTimers } from '@tsio/event-loop';

/** The clock of a VirtualTimeLoop: a number that only the loop moves. */
export class VirtualClock implements Clock {
  constructor(public time: number) {}

  now(): number {
    return this.time;
  }
}

/** A host timeout armed by the loop, due in virtual time. */
interface VirtualTimeout {
  /** The virtual time it was armed at. */
  readonly armedAt: number;
  /** The latest virtual time it is due at: the delay asked for, in seconds. */
  readonly latest: number;
  readonly callback: () => void;
}

/** A real setImmediate the loop queued, until it runs or is cleared. */
interface PendingImmediate {
  real: NodeJS.Immediate | null;
}

/**
 * The host timers of a VirtualTimeLoop. The loop arms a host timeout when it would sleep until
 * its nearest timer (and one to keep the process alive); here those timeouts are virtual: they
 * fire only when `fireDue` is called with a virtual time that reached them. Microtasks and
 * immediates stay Node's real ones (so promise continuations and real I/O run as usual), and
 * are counted: while one is queued, an iteration of the loop is pending and time must not
 * jump.
 */
export class VirtualHost implements HostTimers {
  readonly #timeouts: VirtualTimeout[] = [];
  #pending = 0;
  /** Counts every timeout, immediate and microtask the loop asked for: a sign of activity. */
  activity = 0;

  /**
   * @param clock - the virtual clock timeouts are due in
   * @param nextDeadline - the nearest live timer deadline after a time, if any: a sleep lands
   *   exactly on it (the loop asks for whole milliseconds, rounded up)
   * @param onArm - told whenever a timeout is armed (the loop may be going to sleep)
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly nextDeadline: (now: number) => number | undefined,
    private readonly onArm: () => void,
  ) {}

  /** Whether a loop iteration is queued (as a microtask or an immediate). */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /** The virtual time of the earliest armed timeout, or Infinity. */
  nextDue(): number {
    let due = Infinity;
    for (const timeout of this.#timeouts) due = Math.min(due, this.#dueOf(timeout));
    return due;
  }

  /** Fires, earliest first, the timeouts due at or before the clock's time. */
  fireDue(): void {
    for (;;) {
      let index = -1;
      let due = this.clock.time;
      this.#timeouts.forEach((timeout, i) => {
        const at = this.#dueOf(timeout);
        if (at <= due) {
          due = at;
          index = i;
        }
      });
      if (index < 0) return;
      const [timeout] = this.#timeouts.splice(index, 1);
      (timeout as VirtualTimeout).callback();
    }
  }

  /**
   * When a timeout is due: at the first timer deadline after it was armed, if that comes
   * before the delay it asked for. The loop sleeps until its nearest timer but asks for whole
   * milliseconds rounded up, so this lands exactly on the deadline. Computed when asked, not
   * when armed: the loop arms its timeout before `callLater` returns the timer to watch. A
   * timeout that is not a sleep (the keep-alive) may fire early this way, which is harmless:
   * the loop re-arms it.
   */
  #dueOf(timeout: VirtualTimeout): number {
    const deadline = this.nextDeadline(timeout.armedAt);
    return deadline !== undefined && deadline < timeout.latest ? deadline : timeout.latest;
  }

  setTimeout(callback: () => void, ms: number): HostTimerHandle {
    const armedAt = this.clock.time;
    const timeout: VirtualTimeout = { armedAt, latest: armedAt + ms / 1000, callback };
    this.activity++;
    this.#timeouts.push(timeout);
    this.onArm();
    return timeout;
  }

  clearTimeout(handle: HostTimerHandle): void {
    const index = this.#timeouts.indexOf(handle as VirtualTimeout);
    if (index >= 0) this.#timeouts.splice(index, 1);
  }

  setImmediate(callback: () => void): HostTimerHandle {
    const pending: PendingImmediate = { real: null };
    this.#pending++;
    this.activity++;
    pending.real = setImmediate(() => {
      pending.real = null;
      this.#pending--;
      callback();
    });
    return pending;
  }

  clearImmediate(handle: HostTimerHandle): void {
    const pending = handle as PendingImmediate;
    if (pending.real === null) return;
    clearImmediate(pending.real);
    pending.real = null;
    this.#pending--;
  }

  queueMicrotask(callback: () => void): void {
    this.#pending++;
    this.activity++;
    queueMicrotask(() => {
      this.#pending--;
      callback();
    });
  }

  hostNow(): number {
    // Real time on purpose: it only measures how long the loop keeps the thread.
    return performance.now();
  }
}
