import { Context, _noteIoEvent } from '@tsio/core';
import { BaseEventLoop } from '../../src/index.js';
import { fakeEnvironment } from '../helpers/fake-host.js';

let loop: BaseEventLoop;
beforeEach(() => {
  loop = new BaseEventLoop();
});
afterEach(() => {
  if (!loop.isRunning()) loop.close();
});

describe('callSoon', () => {
  it('runs callbacks in FIFO order with their arguments (test_call_soon)', async () => {
    const log: unknown[] = [];
    for (let i = 0; i < 5; i++) loop.callSoon((a: number, b: string) => log.push([a, b]), i, 'x');
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual([0, 1, 2, 3, 4].map((i) => [i, 'x']));
  });

  it('a callback scheduled by a callback runs in the next iteration (test_run_once)', async () => {
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('a');
      loop.callSoon(() => log.push('c'));
    });
    loop.callSoon(() => {
      log.push('b');
      loop.stop(); // the current batch finishes; 'c' waits for an iteration that never comes
    });
    await loop.runForever();
    expect(log).toEqual(['a', 'b']);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('returns a Handle; a cancelled handle never runs (test__add_callback_cancelled_handle)', async () => {
    const log: string[] = [];
    const handle = loop.callSoon(() => log.push('cancelled'));
    loop.callSoon(() => log.push('kept'));
    handle.cancel();
    expect(handle.cancelled()).toBe(true);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['kept']);
  });

  it('a handle cancelled by an earlier callback of the same batch does not run', async () => {
    const log: string[] = [];
    loop.callSoon(() => later.cancel());
    const later = loop.callSoon(() => log.push('later'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual([]);
  });

  it.each([null, undefined, 42, 'f', {}])(
    'rejects a non-function callback %p with TypeError (test_call_soon_non_callable)',
    (bad) => {
      const scheduleBad = loop.callSoon.bind(loop) as (cb: unknown) => unknown;
      expect(() => scheduleBad(bad)).toThrow(TypeError);
      expect(() => scheduleBad(bad)).toThrow(
        /^a callable object was expected by callSoon\(\), got/,
      );
    },
  );

  it('callSoonThreadsafe schedules like callSoon (test_call_soon_threadsafe)', async () => {
    const log: number[] = [];
    loop.callSoonThreadsafe((x: number) => log.push(x), 1);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual([1]);
  });

  it('callSoon on an idle running loop wakes it', async () => {
    const running = loop.runForever();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the loop is idle now
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('woken');
      loop.stop();
    });
    await running;
    expect(log).toEqual(['woken']);
  });
});

describe('callLater and callAt', () => {
  it('runs timers in deadline order (test_call_later)', () => {
    // On a fake clock, so that no time passes between the callLater calls: the deadlines are
    // exactly start + delay, whatever the machine's load.
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host });
    const start = fake.time();
    const log: [number, number][] = [];
    const record = (delay: number): void => {
      log.push([delay, fake.time() - start]);
    };
    const t100 = fake.callLater(0.1, record, 0.1);
    const t0 = fake.callLater(0.0, record, 0);
    const t50 = fake.callLater(0.05, record, 0.05);
    expect([t100.when(), t0.when(), t50.when()]).toEqual([start + 0.1, start, start + 0.05]);
    void fake.runForever();
    host.flush();
    expect(log).toEqual([[0, 0]]);
    host.advance(0.049); // start + 0.049
    expect(log.length).toBe(1); // nothing runs before its deadline
    host.advance(0.002); // start + 0.051
    expect(log.length).toBe(2);
    host.advance(0.048); // start + 0.099
    expect(log.length).toBe(2);
    host.advance(0.011); // start + 0.11 (the host timeout is armed in whole ms, rounded up)
    expect(log.map(([delay]) => delay)).toEqual([0, 0.05, 0.1]);
    for (const [delay, ranAfter] of log) {
      expect(ranAfter).toBeGreaterThanOrEqual(delay - 1e-9);
      expect(ranAfter).toBeLessThan(delay + 0.002);
    }
    fake.stop();
    host.flush();
    fake.close();
  });

  it('runs timers in deadline order on the real clock (test_call_later)', async () => {
    // callLater measures from its own call, and on a loaded machine any time can pass between
    // two calls: the order checked is the order of the deadlines the handles report.
    const start = loop.time(); // before scheduling: each deadline is at least start + delay
    const ran: { delay: number; when: number; at: number }[] = [];
    const handles = [0.1, 0.0, 0.05].map((delay) => {
      const before = loop.time();
      const handle = loop.callLater(delay, () => {
        ran.push({ delay, when: handle.when(), at: loop.time() });
        if (ran.length === 3) loop.stop();
      });
      expect(handle.when()).toBeGreaterThanOrEqual(before + delay);
      expect(handle.when()).toBeLessThanOrEqual(loop.time() + delay);
      return { delay, when: handle.when() };
    });
    await loop.runForever();
    const byDeadline = [...handles].sort((a, b) => a.when - b.when).map(({ delay }) => delay);
    expect(ran.map(({ delay }) => delay)).toEqual(byDeadline);
    for (const { when, at } of ran) expect(at).toBeGreaterThanOrEqual(when);
    expect(loop.time() - start).toBeGreaterThanOrEqual(0.1);
    // callAt with deadlines from one reading of the clock: exact order, however slow the calls.
    const base = loop.time();
    const atLog: number[] = [];
    loop.callAt(base + 0.02, () => {
      atLog.push(20);
      loop.stop();
    });
    loop.callAt(base + 0.005, () => atLog.push(5));
    loop.callAt(base + 0.01, () => atLog.push(10));
    await loop.runForever();
    expect(atLog).toEqual([5, 10, 20]);
  });

  it('ties run in FIFO order', async () => {
    const log: number[] = [];
    const when = loop.time() + 0.005;
    for (let i = 0; i < 50; i++) loop.callAt(when, (n: number) => log.push(n), i);
    loop.callAt(when, () => loop.stop());
    await loop.runForever();
    expect(log).toEqual([...Array(50).keys()]);
  });

  it('callAt schedules at a loop time and TimerHandle.when() returns it (test_time_and_call_at)', async () => {
    let ranAt = 0;
    const when = loop.time() + 0.01;
    const handle = loop.callAt(when, () => {
      ranAt = loop.time();
      loop.stop();
    });
    expect(handle.when()).toBe(when);
    await loop.runForever();
    expect(ranAt).toBeGreaterThanOrEqual(when);
  });

  it('a negative delay runs at the next iteration (test_call_later_negative_delays)', async () => {
    const log: string[] = [];
    loop.callLater(-1, () => log.push('-1'));
    loop.callLater(-2, () => log.push('-2'));
    loop.callSoon(() => log.push('soon'));
    loop.callLater(-0.5, () => loop.stop());
    await loop.runForever();
    // Due timers join the ready queue behind the callbacks already there, earliest first.
    expect(log).toEqual(['soon', '-2', '-1']);
  });

  it('a cancelled timer never runs (test__run_once)', async () => {
    const log: string[] = [];
    const timer = loop.callLater(0.001, () => log.push('timer'));
    timer.cancel();
    loop.callLater(0.005, () => loop.stop());
    await loop.runForever();
    expect(log).toEqual([]);
  });

  it('NaN and non-number delays or times throw TypeError', () => {
    const noop = (): void => {};
    expect(() => loop.callLater(NaN, noop)).toThrow(TypeError);
    expect(() => loop.callLater(NaN, noop)).toThrow(/^callLater\(\) expects a delay in seconds/);
    expect(() => loop.callLaterWithContext(new Context(), NaN, noop)).toThrow(TypeError);
    expect(() => loop.callAtWithContext(new Context(), NaN, noop)).toThrow(TypeError);
    expect(() => loop.callLater('1' as unknown as number, noop)).toThrow(
      /^callLater\(\) expects a delay in seconds/,
    );
    expect(() => loop.callLater(null as unknown as number, noop)).toThrow(TypeError);
    expect(() => loop.callAt(NaN, noop)).toThrow(/^callAt\(\) expects a loop time/);
    expect(() => loop.callAt(undefined as unknown as number, noop)).toThrow(TypeError);
    expect(() => loop.callLater(1, 'x' as unknown as () => void)).toThrow(
      /^a callable object was expected by callLater\(\)/,
    );
  });

  it('an Infinity delay is accepted and never fires', () => {
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host });
    const log: string[] = [];
    const handle = fake.callLater(Infinity, () => log.push('never'));
    expect(handle.when()).toBe(Infinity);
    void fake.runForever();
    host.advance(10 * 24 * 3600);
    expect(log).toEqual([]);
    fake.stop();
    host.flush();
    fake.close();
  });
});

describe('time()', () => {
  it('is monotonic and in seconds (test_time_and_call_at)', async () => {
    // Bracketed by performance.now() (milliseconds) instead of an upper bound in wall-clock
    // time, so a loaded machine that oversleeps cannot fail it.
    const before0 = performance.now();
    const t0 = loop.time();
    const after0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before1 = performance.now();
    const t1 = loop.time();
    const after1 = performance.now();
    expect(t1).toBeGreaterThanOrEqual(t0);
    expect(t1 - t0).toBeGreaterThanOrEqual((before1 - after0) / 1000 - 1e-6);
    expect(t1 - t0).toBeLessThanOrEqual((after1 - before0) / 1000 + 1e-6);
    expect(t1 - t0).toBeGreaterThan(0.015);
  });

  it('comes from the injected clock', () => {
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host });
    clock.t = 42.5;
    expect(fake.time()).toBe(42.5);
  });
});

describe('driven by a fake clock and fake host timers', () => {
  it('sleeps in one host timeout for the nearest timer, then runs it', async () => {
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host });
    const log: string[] = [];
    fake.callLater(5, () => log.push('5s'));
    fake.callLater(2, () => log.push('2s'));
    const done = fake.runForever();
    host.flush();
    expect(fake.isRunning()).toBe(true);
    expect(host.wakeTimeouts().map((t) => t.ms)).toEqual([2000]);
    host.advance(1.999);
    expect(log).toEqual([]);
    host.advance(0.001);
    expect(log).toEqual(['2s']);
    expect(host.wakeTimeouts().map((t) => t.ms)).toEqual([3000]);
    host.advance(3);
    expect(log).toEqual(['2s', '5s']);
    expect(host.wakeTimeouts()).toEqual([]); // idle: no wake timer, only the keep-alive one
    expect(host.timeouts.size).toBe(1);
    fake.stop();
    host.flush();
    await done;
    expect(host.timeouts.size).toBe(0); // keep-alive released
    fake.close();
  });

  it('an earlier timer replaces the host timeout; a callSoon cancels it', async () => {
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host });
    fake.callLater(10, () => {});
    const done = fake.runForever();
    host.flush();
    expect(host.wakeTimeouts().map((t) => t.ms)).toEqual([10000]);
    fake.callLater(1, () => {});
    expect(host.wakeTimeouts().map((t) => t.ms)).toEqual([1000]);
    fake.callLater(3, () => {}); // later than the armed one: no change
    expect(host.wakeTimeouts().map((t) => t.ms)).toEqual([1000]);
    let ran = false;
    fake.callSoon(() => (ran = true));
    expect(host.wakeTimeouts()).toEqual([]);
    host.flush();
    expect(ran).toBe(true);
    expect(host.wakeTimeouts().map((t) => t.ms)).toEqual([1000]);
    fake.stop();
    host.flush();
    await done;
    fake.close();
  });

  it('re-arms when the host timeout fires early', () => {
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host });
    const log: string[] = [];
    fake.callLater(1, () => log.push('due'));
    void fake.runForever();
    host.flush();
    // Fire the wake timeout 0.5 s early.
    const wake = [...host.timeouts].find(([, t]) => t.ms === 1000);
    if (wake === undefined) throw new Error('no wake timeout armed');
    host.timeouts.delete(wake[0]);
    clock.t += 0.5;
    wake[1].callback();
    host.flush();
    expect(log).toEqual([]);
    expect(host.wakeTimeouts().map((t) => t.ms)).toEqual([500]);
    host.advance(0.5);
    expect(log).toEqual(['due']);
    fake.stop();
    host.flush();
    fake.close();
  });

  it('chains iterations as microtasks within the time slice, then yields with setImmediate', () => {
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host, timeSlice: 0.001 });
    let iterations = 0;
    const spin = (): void => {
      iterations++;
      if (iterations === 10) host.hostMs += 2; // the slice is used up
      if (iterations < 20) fake.callSoon(spin);
      else fake.stop();
    };
    fake.callSoon(spin);
    void fake.runForever();
    host.flush();
    expect(iterations).toBe(20);
    expect(host.immediateCount).toBe(1); // one yield to Node after the slice ran out
    expect(host.microtaskCount).toBe(19);
    fake.close();
  });

  it('a wake-up from idle by an I/O event starts a new slice: the work runs in a microtask', () => {
    const { clock, host } = fakeEnvironment();
    const fake = new BaseEventLoop({ clock, hostTimers: host, timeSlice: 0.001 });
    const log: string[] = [];
    void fake.runForever();
    host.flush(); // the first iteration: nothing to do, the loop is idle
    host.hostMs += 5; // long after its slice began
    // A transport's I/O event (it calls _noteIoEvent) wakes the idle loop.
    _noteIoEvent();
    fake.callSoon(() => log.push('woken by I/O'));
    expect(host.microtasks.length).toBe(1);
    expect(host.immediates.size).toBe(0);
    host.flush();
    expect(log).toEqual(['woken by I/O']);
    // A wake-up with no I/O event since the slice began waits for setImmediate: a chain of
    // promise continuations that keeps waking the loop still lets Node run.
    host.hostMs += 5;
    fake.callSoon(() => log.push('woken by a promise'));
    expect(host.microtasks.length).toBe(0);
    expect(host.immediates.size).toBe(1);
    fake.callSoon(() => fake.stop());
    host.flush();
    expect(log).toEqual(['woken by I/O', 'woken by a promise']);
    fake.close();
  });

  it('timeSlice must be a non-negative number', () => {
    expect(() => new BaseEventLoop({ timeSlice: -1 })).toThrow(TypeError);
    expect(() => new BaseEventLoop({ timeSlice: NaN })).toThrow(TypeError);
  });
});
