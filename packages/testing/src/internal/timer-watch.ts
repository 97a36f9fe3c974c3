import type { TimerHandle } from '@tsio/event-loop';

/**
 * The deadlines of the loop's timers, seen from outside the loop: every TimerHandle its
 * `callAt`/`callLater` returned, in a min-heap by `when()`. The loop's own timer heap is
 * private; this copy tells the virtual clock exactly where the next timer is, so a jump lands
 * on the deadline itself (the host timeout the loop arms is rounded up to whole milliseconds).
 *
 * Timers that ran or were cancelled are dropped lazily, when they reach the top.
 */
export class TimerWatch {
  readonly #heap: TimerHandle[] = [];

  /** Watches `timer`; a timer that can never fire (`when()` infinite) is ignored. */
  add(timer: TimerHandle): void {
    if (!Number.isFinite(timer.when())) return;
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as TimerHandle).when() <= timer.when()) break;
      heap[i] = heap[parent] as TimerHandle;
      i = parent;
    }
    heap[i] = timer;
  }

  /** The earliest deadline after `now` of a timer not cancelled, or `undefined`. */
  nextAfter(now: number): number | undefined {
    const heap = this.#heap;
    let top = heap[0];
    while (top !== undefined && (top.cancelled() || top.when() <= now)) {
      this.#removeTop();
      top = heap[0];
    }
    return top?.when();
  }

  #removeTop(): void {
    const heap = this.#heap;
    const last = heap.pop() as TimerHandle;
    if (heap.length === 0) return;
    const when = last.when();
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heap.length) break;
      const right = child + 1;
      if (
        right < heap.length &&
        (heap[right] as TimerHandle).when() < (heap[child] as TimerHandle).when()
      ) {
        child = right;
      }
      if ((heap[child] as TimerHandle).when() >= when) break;
      heap[i] = heap[child] as TimerHandle;
      i = child;
    }
    heap[i] = last;
  }
}
