import type { Clock, HostTimerHandle, HostTimers } from '../../src/index.js';

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  constructor(public t = 1000) {}
  now(): number {
    return this.t;
  }
}

interface PendingTimeout {
  readonly at: number;
  readonly ms: number;
  readonly callback: () => void;
}

/**
 * Host timers under the test's control: microtasks, immediates and timeouts are queued and
 * run only by `flush()` / `advance()`. Timeouts are due in the FakeClock's time.
 */
export class FakeHost implements HostTimers {
  hostMs = 0;
  readonly microtasks: (() => void)[] = [];
  readonly immediates = new Map<number, () => void>();
  readonly timeouts = new Map<number, PendingTimeout>();
  microtaskCount = 0;
  immediateCount = 0;
  #nextId = 1;

  constructor(readonly clock: FakeClock) {}

  setTimeout(callback: () => void, ms: number): HostTimerHandle {
    const id = this.#nextId++;
    this.timeouts.set(id, { at: this.clock.t + ms / 1000, ms, callback });
    return id;
  }
  clearTimeout(handle: HostTimerHandle): void {
    this.timeouts.delete(handle as number);
  }
  setImmediate(callback: () => void): HostTimerHandle {
    const id = this.#nextId++;
    this.immediates.set(id, callback);
    return id;
  }
  clearImmediate(handle: HostTimerHandle): void {
    this.immediates.delete(handle as number);
  }
  queueMicrotask(callback: () => void): void {
    this.microtasks.push(callback);
  }
  hostNow(): number {
    return this.hostMs;
  }

  /** Timeouts the loop armed to wake up (the keep-alive timer left out). */
  wakeTimeouts(): PendingTimeout[] {
    return [...this.timeouts.values()].filter((t) => t.ms < 2 ** 31 - 1);
  }

  /** Runs queued microtasks and immediates until none is left. */
  flush(): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const micro = this.microtasks.shift();
      if (micro !== undefined) {
        this.microtaskCount++;
        micro();
        continue;
      }
      const first = this.immediates.entries().next();
      if (first.done === true) return;
      this.immediates.delete(first.value[0]);
      this.immediateCount++;
      first.value[1]();
    }
    throw new Error('FakeHost.flush: runaway loop');
  }

  /** Moves the clock forward by `seconds`, firing the timeouts that fall due, in order. */
  advance(seconds: number): void {
    const end = this.clock.t + seconds;
    this.flush();
    for (;;) {
      let nextId = -1;
      let next: PendingTimeout | undefined;
      for (const [id, timeout] of this.timeouts) {
        if (timeout.at <= end && (next === undefined || timeout.at < next.at)) {
          nextId = id;
          next = timeout;
        }
      }
      if (next === undefined) break;
      this.timeouts.delete(nextId);
      this.clock.t = Math.max(this.clock.t, next.at);
      next.callback();
      this.flush();
    }
    this.clock.t = end;
  }
}

/** A fake clock and fake host, and a loop-options object using both. */
export function fakeEnvironment(): { clock: FakeClock; host: FakeHost } {
  const clock = new FakeClock();
  return { clock, host: new FakeHost(clock) };
}
