import {
  CancelledError,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  TimeoutError,
} from '@tsio/core';
import {
  createTask,
  currentTask,
  Future,
  sleep,
  Timeout,
  timeout,
  timeoutAt,
} from '../src/index.js';
import { runVirtual } from '@tsio/testing';
import { busyUntil, cancelling, named, runOnNewLoop, settle, spin } from './helpers.js';

describe('timeout()', () => {
  it('cancels the block at the deadline and throws TimeoutError (test_timeout_basic, test_waiter_cancelled)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const t = timeout(0.01);
      out.push(
        await settle(
          t.run(async () => {
            try {
              await sleep(10);
            } catch (e) {
              out.push(`body caught ${named(e)}, cancelling=${cancelling()}`);
              throw e;
            }
          }),
        ),
      );
      out.push(`expired=${t.expired()} cancelling=${cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'body caught CancelledError, cancelling=1',
      'TimeoutError(cause=CancelledError)',
      'expired=true cancelling=0',
    ]);
  });

  it('gives the TimeoutError the CancelledError that left the block as cause', async () => {
    const same = await runOnNewLoop(async () => {
      let seen: unknown;
      try {
        await timeout(0.01).run(async () => {
          try {
            await sleep(10);
          } catch (e) {
            seen = e;
            throw e;
          }
        });
      } catch (e) {
        return e instanceof TimeoutError && e.cause === seen && seen instanceof CancelledError;
      }
      return false;
    });
    expect(same).toBe(true);
  });

  it('expires at an absolute loop time (test_timeout_at_basic)', async () => {
    const [trace, whenMatches] = await runOnNewLoop(async () => {
      const deadline = getRunningLoop().time() + 0.01;
      const t = timeoutAt(deadline);
      const result = await settle(t.run(async () => await sleep(10)));
      return [[result, `expired=${t.expired()}`], t.when() === deadline] as const;
    });
    expect(trace).toEqual(['TimeoutError(cause=CancelledError)', 'expired=true']);
    expect(whenMatches).toBe(true);
  });

  it('resolves to the result of fn, which receives the Timeout (test_timeout_not_called)', async () => {
    const trace = await runOnNewLoop(async () => {
      const loop = getRunningLoop();
      const t = timeout(10);
      const result = await t.run(async (arg) => {
        await sleep(0.01);
        return arg === t ? 'got the timeout' : 'other';
      });
      return [
        result,
        `expired=${t.expired()}`,
        `when in future=${(t.when() as number) > loop.time()}`,
      ];
    });
    expect(trace).toEqual(['got the timeout', 'expired=false', 'when in future=true']);
  });

  it('never expires with null (test_timeout_disabled, test_timeout_at_disabled)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      for (const t of [timeout(null), timeoutAt(null)]) {
        out.push(await settle(t.run(async () => await sleep(0.01, 'slept'))));
        out.push(`expired=${t.expired()} when=${String(t.when())}`);
      }
      return out;
    });
    expect(trace).toEqual([
      'value slept',
      'expired=false when=null',
      'value slept',
      'expired=false when=null',
    ]);
  });

  it('expires on the next iteration with a zero or past deadline (test_timeout_zero, test_timeout_zero_sleep_zero, test_timeout_in_the_past_sleep_zero)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      for (const [delay, wait] of [
        [0, 10],
        [0, 0],
        [-11, 0],
      ] as const) {
        const t0 = loop.time();
        const t = timeout(delay);
        const result = await settle(
          t.run(async () => {
            out.push('body starts synchronously');
            await sleep(wait);
            out.push('not reached');
          }),
        );
        const when = t.when() as number;
        const inRange = delay < 0 ? when < t0 : t0 <= when && when <= loop.time();
        out.push(`${delay}/${wait}: ${result} expired=${t.expired()} when ok=${inRange}`);
      }
      return out;
    });
    expect(trace).toEqual([
      'body starts synchronously',
      '0/10: TimeoutError(cause=CancelledError) expired=true when ok=true',
      'body starts synchronously',
      '0/0: TimeoutError(cause=CancelledError) expired=true when ok=true',
      'body starts synchronously',
      '-11/0: TimeoutError(cause=CancelledError) expired=true when ok=true',
    ]);
  });

  it('lets other errors pass (test_foreign_exception_passed)', async () => {
    const trace = await runOnNewLoop(async () => {
      const t = timeout(10);
      const result = await settle(
        t.run(async () => {
          throw new RangeError('foreign');
        }),
      );
      return [result, `expired=${t.expired()}`];
    });
    expect(trace).toEqual(['RangeError', 'expired=false']);
  });

  it('lets an error raised while handling its cancellation pass (test_foreign_exception_on_timeout)', async () => {
    const trace = await runOnNewLoop(async () => {
      const t = timeout(0.01);
      const result = await settle(
        t.run(async () => {
          try {
            await sleep(1);
          } finally {
            throw new RangeError('crash in cleanup');
          }
        }),
      );
      return [result, `expired=${t.expired()} cancelling=${cancelling()}`];
    });
    expect(trace).toEqual(['RangeError', 'expired=true cancelling=0']);
  });

  it('keeps a cancel() from elsewhere a CancelledError (test_foreign_cancel_doesnt_timeout_if_not_expired)', async () => {
    const trace = await runOnNewLoop(async () => {
      const t = timeout(10);
      const task = createTask(async () => {
        await t.run(async () => {
          (currentTask() as { cancel(): boolean }).cancel();
          await sleep(10);
        });
      });
      const result = await settle(task);
      return [result, `expired=${t.expired()}`, `cancelling=${task.cancelling()}`];
    });
    expect(trace).toEqual(['CancelledError', 'expired=false', 'cancelling=1']);
  });

  it('stays a CancelledError when the task is cancelled from outside, with right cancelling() counts', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const t = timeout(10);
      const task = createTask(async () => {
        try {
          await t.run(async () => await sleep(10));
        } catch (e) {
          out.push(`task caught ${named(e)}, cancelling=${cancelling()}`);
          throw e;
        }
      });
      await spin();
      task.cancel('stop');
      out.push(await settle(task));
      out.push(
        `expired=${t.expired()} cancelled=${task.cancelled()} cancelling=${task.cancelling()}`,
      );
      return out;
    });
    expect(trace).toEqual([
      'task caught CancelledError, cancelling=1',
      'CancelledError',
      'expired=false cancelled=true cancelling=1',
    ]);
  });

  it('stays a CancelledError when an outer cancel() and the deadline fall in the same iteration', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      const deadline = loop.time() + 0.01;
      const t = timeoutAt(deadline);
      const task = createTask(async () => {
        try {
          await t.run(async () => await sleep(10));
        } catch (e) {
          out.push(`task caught ${named(e)}, expired=${t.expired()}, cancelling=${cancelling()}`);
          throw e;
        }
      });
      await spin();
      // The timeout's timer was armed first: it fires first, then this cancel, same iteration.
      loop.callAt(deadline, () => task.cancel());
      out.push(await settle(task));
      out.push(`cancelling=${task.cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'task caught CancelledError, expired=true, cancelling=1',
      'CancelledError',
      'cancelling=1',
    ]);
  });

  it('does not leave the task cancelled (test_outer_task_is_not_cancelled)', async () => {
    const trace = await runOnNewLoop(async () => {
      const task = createTask(async () => {
        const r = await settle(timeout(0.001).run(async () => await sleep(10)));
        await sleep(0);
        return r;
      });
      const r = await task;
      return [r, `cancelled=${task.cancelled()} cancelling=${task.cancelling()}`];
    });
    expect(trace).toEqual(['TimeoutError(cause=CancelledError)', 'cancelled=false cancelling=0']);
  });

  it('returns what fn returns when it swallows the cancellation', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const t = timeout(0.01);
      out.push(
        await settle(
          t.run(async () => {
            try {
              await sleep(10);
            } catch (e) {
              out.push(`swallowed ${named(e)}, cancelling=${cancelling()}`);
            }
            return 'swallowed';
          }),
        ),
      );
      out.push(`expired=${t.expired()} cancelling=${cancelling()}`);
      await sleep(0);
      out.push('next await is not cancelled');
      return out;
    });
    expect(trace).toEqual([
      'swallowed CancelledError, cancelling=1',
      'value swallowed',
      'expired=true cancelling=0',
      'next await is not cancelled',
    ]);
  });

  it('accepts a tsio awaitable returned directly by fn', async () => {
    const result = await runOnNewLoop(async () => await settle(timeout(0.01).run(() => sleep(10))));
    expect(result).toBe('TimeoutError(cause=CancelledError)');
  });

  it('cancels its timer when the block ends', async () => {
    // Virtual time: the sleep past the deadline takes no real time.
    const trace = await runVirtual(async () => {
      const t = timeout(1);
      const r = await t.run(async () => 'quick');
      await sleep(1.05); // past the deadline
      return [r, `expired=${t.expired()} cancelling=${cancelling()}`, String(t)];
    });
    expect(trace).toEqual(['quick', 'expired=false cancelling=0', '<Timeout [finished]>']);
  });
});

describe('nested timeouts', () => {
  it('each handles only its own cancellation when they expire together (test_nested_timeouts)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const deadline = getRunningLoop().time() + 0.01;
      const outer = timeoutAt(deadline);
      const inner = timeoutAt(deadline);
      const result = await settle(
        outer.run(async () => {
          try {
            await inner.run(async () => {
              try {
                await sleep(10);
              } catch (e) {
                out.push(`body caught ${named(e)}, cancelling=${cancelling()}`);
                throw e;
              }
            });
          } catch (e) {
            out.push(`inner run threw ${named(e)}, cancelling=${cancelling()}`);
            throw e;
          }
        }),
      );
      out.push(`outer run threw ${result.replace('value ', '')}, cancelling=${cancelling()}`);
      out.push(`expired: outer=${outer.expired()} inner=${inner.expired()}`);
      return out;
    });
    expect(trace).toEqual([
      'body caught CancelledError, cancelling=2',
      'inner run threw CancelledError, cancelling=1',
      'outer run threw TimeoutError(cause=CancelledError), cancelling=0',
      'expired: outer=true inner=true',
    ]);
  });

  it('lets the outer one throw when only it expired (test_nested_timeouts_concurrent)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      const outer = timeout(0.002);
      const inner = timeout(10);
      const result = await settle(
        outer.run(async () => {
          try {
            await inner.run(async () => {
              busyUntil(loop.time() + 0.01); // "crunch numbers" past the outer deadline
              await sleep(1);
            });
          } catch (e) {
            out.push(`inner run threw ${named(e)}`);
            throw e;
          }
        }),
      );
      out.push(`outer run threw ${result}`);
      out.push(`outer=${outer.expired()} inner=${inner.expired()}`);
      return out;
    });
    expect(trace).toEqual([
      'inner run threw CancelledError',
      'outer run threw TimeoutError(cause=CancelledError)',
      'outer=true inner=false',
    ]);
  });

  it('gives the inner block a CancelledError when the loop was busy past both deadlines (test_nested_timeouts_loop_busy)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      const outer = timeout(0.05);
      const inner = timeout(0.01);
      const result = await settle(
        outer.run(async () => {
          try {
            await inner.run(async () => {
              busyUntil((outer.when() as number) + 0.001);
              await sleep(1);
            });
          } catch (e) {
            out.push(`inner run threw ${named(e)}, cancelling=${cancelling()}`);
            throw e;
          }
        }),
      );
      out.push(result);
      out.push(`outer=${outer.expired()} inner=${inner.expired()} cancelling=${cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'inner run threw CancelledError, cancelling=1',
      'TimeoutError(cause=CancelledError)',
      'outer=true inner=true cancelling=0',
    ]);
  });

  it('works inside the cleanup of an expired one (test_nested_timeout_in_finally)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const result = await settle(
        timeout(0.01).run(async () => {
          try {
            await sleep(1);
          } finally {
            out.push(`cleanup, cancelling=${cancelling()}`);
            out.push(`inner: ${await settle(timeout(0.01).run(async () => await sleep(10)))}`);
            out.push(`after inner, cancelling=${cancelling()}`);
          }
        }),
      );
      out.push(`outer: ${result}, cancelling=${cancelling()}`);
      return out;
    });
    expect(trace).toEqual([
      'cleanup, cancelling=1',
      'inner: TimeoutError(cause=CancelledError)',
      'after inner, cancelling=1',
      'outer: TimeoutError(cause=CancelledError), cancelling=0',
    ]);
  });

  it('expires in cleanup after a handled cancellation (test_timeout_after_cancellation, test_cancel_in_timeout_after_cancellation)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const task = createTask(async () => {
        try {
          (currentTask() as { cancel(): boolean }).cancel();
          await sleep(1);
        } catch (e) {
          out.push(`handled ${named(e)}, cancelling=${cancelling()}`);
        }
        out.push(`timeout(0): ${await settle(timeout(0).run(async () => await sleep(1)))}`);
        out.push(
          `cancel inside: ${await settle(
            timeout(1).run(async () => {
              (currentTask() as { cancel(): boolean }).cancel();
              await sleep(2);
            }),
          )}, cancelling=${cancelling()}`,
        );
        return 'done';
      });
      out.push(await settle(task));
      return out;
    });
    expect(trace).toEqual([
      'handled CancelledError, cancelling=1',
      'timeout(0): TimeoutError(cause=CancelledError)',
      'cancel inside: CancelledError, cancelling=2',
      'value done',
    ]);
  });
});

describe('Timeout.reschedule()', () => {
  it('moves or removes the deadline from another task (test_reschedule)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      const deadline1 = loop.time() + 10;
      const deadline2 = deadline1 + 20;
      const entered = new Future<Timeout>();
      const task = createTask(async () => {
        await timeoutAt(deadline1).run(async (t) => {
          entered.setResult(t);
          await sleep(50);
        });
      });
      const t = await entered;
      out.push(`when=deadline1: ${t.when() === deadline1}`);
      t.reschedule(deadline2);
      out.push(`when=deadline2: ${t.when() === deadline2}`);
      t.reschedule(null);
      out.push(`when=${String(t.when())}`);
      task.cancel();
      out.push(await settle(task));
      out.push(`expired=${t.expired()}`);
      return out;
    });
    expect(trace).toEqual([
      'when=deadline1: true',
      'when=deadline2: true',
      'when=null',
      'CancelledError',
      'expired=false',
    ]);
  });

  it('extends, shortens, and moves into the past from inside the block', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const loop = getRunningLoop();
      out.push(
        `extended: ${await settle(
          timeout(0.01).run(async (t) => {
            t.reschedule(loop.time() + 10);
            await sleep(0.03);
            return 'finished in time';
          }),
        )}`,
      );
      out.push(
        `shortened: ${await settle(
          timeout(10).run(async (t) => {
            t.reschedule(loop.time() + 0.01);
            await sleep(10);
          }),
        )}`,
      );
      out.push(
        `past: ${await settle(
          timeout(10).run(async (t) => {
            t.reschedule(loop.time() - 1);
            out.push('still running synchronously');
            await sleep(10);
          }),
        )}`,
      );
      return out;
    });
    expect(trace).toEqual([
      'extended: value finished in time',
      'shortened: TimeoutError(cause=CancelledError)',
      'still running synchronously',
      'past: TimeoutError(cause=CancelledError)',
    ]);
  });

  it('refuses before entering, while expiring, and after (test_timeout_not_entered, test_timeout_expiring, test_timeout_expired, test_timeout_finished)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const attempt = (t: Timeout): void => {
        try {
          t.reschedule(0.02);
          out.push('rescheduled');
        } catch (e) {
          out.push(`${named(e)}: ${(e as Error).message}`);
        }
      };
      attempt(timeout(0.01));
      await timeout(0.01).run(async (t) => {
        try {
          await sleep(1);
        } catch {
          attempt(t);
        }
      });
      const expired = timeout(0.01);
      await settle(expired.run(async () => await sleep(1)));
      attempt(expired);
      const finished = timeout(10);
      await finished.run(async () => undefined);
      attempt(finished);
      return out;
    });
    expect(trace).toEqual([
      'RuntimeError: Timeout has not been entered',
      'RuntimeError: Cannot change state of expiring Timeout',
      'RuntimeError: Cannot change state of expired Timeout',
      'RuntimeError: Cannot change state of finished Timeout',
    ]);
  });
});

describe('entering a Timeout', () => {
  it('can happen once (test_timeout_already_entered, test_timeout_double_enter)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const t = timeout(10);
      await t.run(async () => {
        const again = await settle(t.run(async () => 'inner'));
        out.push(`inside: ${again}`);
      });
      try {
        await t.run(async () => 'again');
      } catch (e) {
        out.push(`after: ${named(e)}: ${(e as Error).message}`);
      }
      return out;
    });
    expect(trace).toEqual([
      'inside: RuntimeError',
      'after: RuntimeError: Timeout has already been entered',
    ]);
  });

  it('needs a task (test_timeout_without_task)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const t = timeout(0.01);
      const done = new Future<void>();
      getRunningLoop().callSoon(() => {
        // A plain loop callback is not a task.
        t.run(async () => 'x').then(
          () => out.push('ran'),
          (e: unknown) => out.push(`${named(e)}: ${(e as Error).message}`),
        );
        queueMicrotask(() => done.setResult());
      });
      await done;
      await spin();
      try {
        t.reschedule(0.02);
      } catch (e) {
        out.push((e as Error).message);
      }
      return out;
    });
    expect(trace).toEqual([
      'RuntimeError: Timeout should be used inside a task',
      'Timeout has not been entered',
    ]);
  });

  it('needs a running loop for timeout(), not for timeoutAt()', () => {
    expect(() => timeout(1)).toThrow(RuntimeError);
    expect(() => timeout(null)).toThrow('no running event loop');
    expect(timeoutAt(5).when()).toBe(5);
  });

  it('offers no await using form (a disposer cannot turn the CancelledError into TimeoutError)', async () => {
    const has = await runOnNewLoop(async () => Symbol.asyncDispose in timeout(1));
    expect(has).toBe(false);
  });
});

describe('bad input', () => {
  it('rejects NaN and non-numbers with TypeError', async () => {
    await runOnNewLoop(async () => {
      expect(() => timeout(NaN)).toThrow(TypeError);
      expect(() => timeout(NaN)).toThrow(
        'timeout() expects a delay in seconds (a number) or null, got number NaN',
      );
      expect(() => timeout('1' as never)).toThrow('got string 1');
      expect(() => timeout(undefined as never)).toThrow('got undefined');
      expect(() => timeoutAt(NaN)).toThrow(
        'timeoutAt() expects a deadline in seconds (a number) or null, got number NaN',
      );
      expect(() => new Timeout(NaN)).toThrow(TypeError);
      await timeout(1).run(async (t) => {
        expect(() => t.reschedule(NaN)).toThrow(
          'reschedule() expects a deadline in seconds (a number) or null, got number NaN',
        );
        expect(t.when()).not.toBeNaN();
      });
      await expect(timeout(1).run(5 as never)).rejects.toThrow(
        'Timeout.run() expects a function, got number 5',
      );
    });
  });

  it('accepts Infinity as a deadline that never comes', async () => {
    const r = await runOnNewLoop(async () => await timeout(Infinity).run(() => sleep(0.01, 'ok')));
    expect(r).toBe('ok');
  });
});

describe('Timeout.toString()', () => {
  it('shows the state and deadline (test_repr_active, test_repr_expired, test_repr_finished, test_repr_disabled)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const created = timeout(10);
      out.push(String(created));
      await created.run(async (t) => {
        out.push(
          /^<Timeout \[active\] when=\d+(\.\d+)?>$/.test(String(t)) ? 'active ok' : String(t),
        );
        await sleep(0);
      });
      out.push(String(created));
      await timeout(null).run(async (t) => out.push(String(t)));
      const expired = timeout(0.01);
      await settle(expired.run(() => sleep(10)));
      out.push(String(expired));
      return out;
    });
    expect(trace).toEqual([
      '<Timeout [created]>',
      'active ok',
      '<Timeout [finished]>',
      '<Timeout [active] when=null>',
      '<Timeout [expired]>',
    ]);
  });
});

describe('Timeout.signal', () => {
  it('aborts at the deadline, and an abort with its reason becomes TimeoutError', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const result = await settle(
        timeout(0.01).run(async (t) => {
          const signal = t.signal;
          // A native API that honours the signal, awaited without any tsio await.
          await new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              out.push(`aborted, reason ${named(signal.reason)}`);
              reject(signal.reason);
            });
          });
        }),
      );
      out.push(result);
      out.push(`cancelling=${cancelling()}`);
      await sleep(0);
      out.push('next await is not cancelled');
      return out;
    });
    expect(trace).toEqual([
      'aborted, reason CancelledError',
      'TimeoutError(cause=CancelledError)',
      'cancelling=0',
      'next await is not cancelled',
    ]);
  });

  it('is fresh for each Timeout while the task signal stays aborted', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      const task = createTask(async (taskSignal) => {
        await settle(timeout(0.01).run(() => sleep(10)));
        out.push(`task signal aborted=${taskSignal.aborted}`);
        await timeout(0.01)
          .run(async (t) => {
            out.push(`fresh signal aborted=${t.signal.aborted}`);
            await sleep(10);
            out.push(`after its deadline aborted=${t.signal.aborted}`);
          })
          .catch((e: unknown) => out.push(named(e)));
      });
      await task;
      return out;
    });
    expect(trace).toEqual([
      'task signal aborted=true',
      'fresh signal aborted=false',
      'TimeoutError(cause=CancelledError)',
    ]);
  });

  it('follows a cancel() from elsewhere, and is not aborted when the block ends', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      let kept: AbortSignal | undefined;
      const task = createTask(async () => {
        await timeout(10).run(async (t) => {
          kept = t.signal;
          await sleep(0);
        });
        out.push(`after a normal end aborted=${String(kept?.aborted)}`);
        const t2 = timeout(10);
        const signal = t2.signal; // read before entering
        try {
          await t2.run(() => sleep(10));
        } catch (e) {
          out.push(`${named(e)}, scoped signal aborted=${signal.aborted}`);
          out.push(`same reason as task signal: ${signal.reason === currentTask()?.signal.reason}`);
          throw e;
        }
      });
      await spin(3);
      task.cancel();
      out.push(await settle(task));
      out.push(`first signal still not aborted=${String(kept?.aborted === false)}`);
      return out;
    });
    expect(trace).toEqual([
      'after a normal end aborted=false',
      'CancelledError, scoped signal aborted=true',
      'same reason as task signal: true',
      'CancelledError',
      'first signal still not aborted=true',
    ]);
  });

  it('is aborted when first read after the deadline', async () => {
    const trace = await runOnNewLoop(async () => {
      const t = timeout(0.01);
      await settle(t.run(() => sleep(10)));
      return [t.signal.aborted, isCancelledError(t.signal.reason)];
    });
    expect(trace).toEqual([true, true]);
  });
});
