// The behaviour Queue, LifoQueue and PriorityQueue share (STYLE.md: one queue suite for the
// three), after CPython's test_queues.py. Each test holds whatever the retrieval order: at
// most one item is queued when the order would show, or the test compares sets of items.
import { getRunningLoop } from '@tsio/core';
import { createTask, sleep, TaskGroup } from '@tsio/futures';
import type { Queue, QueueOptions } from '../src/index.js';
import { outcome, outcomeOf, runOnNewLoop, spin } from './helpers.js';

export type MakeQueue = (maxsize?: number | QueueOptions) => Queue<unknown>;

const SHUT = 'QueueShutDown(the queue is shut down)';

export function describeQueueContract(name: string, make: MakeQueue): void {
  describe(`${name} (queue contract)`, () => {
    describe('construction and state', () => {
      it('takes maxsize as a number or { maxsize } (test_maxsize, test_full, test_empty)', async () => {
        await runOnNewLoop(async () => {
          expect(make().maxsize).toBe(0);
          expect(make(2).maxsize).toBe(2);
          expect(make({ maxsize: 3 }).maxsize).toBe(3);
          expect(make({}).maxsize).toBe(0);
          const q = make(1);
          expect([q.empty(), q.full(), q.qsize()]).toEqual([true, false, 0]);
          await q.put(1);
          expect([q.empty(), q.full(), q.qsize()]).toEqual([false, true, 1]);
          expect(await q.get()).toBe(1);
          expect(q.empty()).toBe(true);
        });
      });

      it('is unbounded for maxsize 0 or less (test_full)', () => {
        for (const maxsize of [0, -1]) {
          const q = make(maxsize);
          for (let i = 0; i < 100; i++) q.putNowait(i);
          expect([q.full(), q.qsize()]).toEqual([false, 100]);
        }
      });

      it('rejects a maxsize that is not an integer with TypeError (test_float_maxsize)', () => {
        expect(() => make(1.3)).toThrow(
          new TypeError('maxsize must be an integer (0 or less for no limit), got 1.3'),
        );
        expect(() => make({ maxsize: Number.NaN })).toThrow(TypeError);
        expect(() => make(Number.POSITIVE_INFINITY)).toThrow(TypeError);
        expect(() => make('3' as unknown as number)).toThrow(
          new TypeError(
            'a queue takes a maxsize number or an options object ({ maxsize }), got "3"',
          ),
        );
        expect(() => make(null as unknown as number)).toThrow(TypeError);
      });

      it('has a read-only maxsize', () => {
        const q = make(2);
        expect(() => {
          (q as unknown as { maxsize: number }).maxsize = 5;
        }).toThrow(TypeError);
        expect(q.maxsize).toBe(2);
      });

      it('describes its state in toString() (test_str, test_format)', async () => {
        await runOnNewLoop(async () => {
          const cls = make().constructor.name;
          expect(String(make())).toBe(`<${cls} maxsize=0>`);
          const getting = make();
          const getter = createTask(() => getting.get());
          await spin();
          expect(String(getting)).toBe(`<${cls} maxsize=0 _getters[1]>`);
          getting.putNowait(0);
          expect(await getter).toBe(0);
          const putting = make(1);
          putting.putNowait(1);
          const putter = createTask(() => putting.put(2));
          await spin();
          expect(String(putting)).toBe(`<${cls} maxsize=1 _queue=[1] _putters[1] tasks=1>`);
          putting.getNowait();
          await putter;
          const q = make();
          q.putNowait('a');
          q.shutdown();
          expect(String(q)).toBe(`<${cls} maxsize=0 _queue=["a"] tasks=1 shutdown>`);
        });
      });
    });

    describe('get and put', () => {
      it('getNowait returns an item or raises QueueEmpty (test_nonblocking_get, test_nonblocking_get_exception)', () => {
        const q = make();
        q.putNowait(1);
        expect(q.getNowait()).toBe(1);
        expect(outcomeOf(() => q.getNowait())).toBe('QueueEmpty(the queue is empty)');
      });

      it('putNowait raises QueueFull on a full queue (test_nonblocking_put_exception)', () => {
        const q = make(1);
        q.putNowait(1);
        expect(outcomeOf(() => q.putNowait(2))).toBe('QueueFull(the queue is full (maxsize 1))');
        expect(q.qsize()).toBe(1);
      });

      it('get and put return at once when they can (test_blocking_get, test_blocking_put)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          await q.put(1);
          expect(await q.get()).toBe(1);
        });
      });

      it('get outside a loop raises RuntimeError only when it has to wait', async () => {
        const q = make();
        q.putNowait(1);
        expect(await q.get()).toBe(1);
        expect(await outcome(q.get())).toBe('RuntimeError(no running event loop)');
      });

      it('refuses to be used from a second loop', async () => {
        const q = make();
        await runOnNewLoop(async () => {
          const getter = createTask(() => q.get());
          await spin();
          q.putNowait(1);
          await getter;
        });
        const message = await runOnNewLoop(() => outcome(q.get()));
        expect(message).toBe(`RuntimeError(${String(q)} is bound to a different event loop)`);
      });

      it('a waiting get is woken by put (test_put_with_waiting_getters, test_blocking_get_wait)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const trace: string[] = [];
          const getter = createTask(async () => {
            trace.push('get');
            const item = await q.get();
            trace.push(`got ${String(item)}`);
            return item;
          });
          await spin(2);
          trace.push('put');
          getRunningLoop().callSoon(() => q.putNowait('a'));
          expect(await getter).toBe('a');
          expect(trace).toEqual(['get', 'put', 'got a']);
        });
      });

      it('a waiting put is woken by get (test_get_with_putters, test_blocking_put_wait)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          await q.put(1);
          const trace: string[] = [];
          const putter = createTask(async () => {
            await q.put(2);
            trace.push('put 2 done');
          });
          await spin(2);
          expect(trace).toEqual([]);
          expect(await q.get()).toBe(1);
          await putter;
          expect(trace).toEqual(['put 2 done']);
          expect(q.getNowait()).toBe(2);
        });
      });

      it('waiting putters put in the order they came (test_get_with_waiting_putters)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          createTask(() => q.put('a'));
          createTask(() => q.put('b'));
          expect(await q.get()).toBe('a');
          expect(await q.get()).toBe('b');
        });
      });

      it('producer and consumer on a queue of 1 finish (test_why_are_getters_waiting)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          const got: unknown[] = [];
          await new TaskGroup().run((tg) => {
            tg.createTask(async () => {
              for (let i = 0; i < 5; i++) await q.put(i);
            });
            tg.createTask(async () => {
              for (let i = 0; i < 5; i++) got.push(await q.get());
            });
          });
          expect(got).toEqual([0, 1, 2, 3, 4]);
        });
      });

      it('putters woken by getNowait all get in (test_why_are_putters_waiting)', async () => {
        await runOnNewLoop(async () => {
          const q = make(2);
          const taken: unknown[] = [];
          const tg = new TaskGroup();
          await tg.run(async () => {
            tg.createTask(async () => {
              await sleep(0);
              const n = q.qsize();
              for (let i = 0; i < n; i++) taken.push(q.getNowait());
            });
            for (const item of [0, 1, 2, 3]) tg.createTask(() => q.put(item));
          });
          expect(new Set([...taken, ...drain(q)])).toEqual(new Set([0, 1, 2, 3]));
        });
      });
    });

    describe('cancellation', () => {
      it('a cancelled getter does not take the next item (test_get_cancelled_race)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const t1 = createTask(() => q.get());
          const t2 = createTask(() => q.get());
          await spin();
          t1.cancel();
          await spin(3); // the woken task's promise chain takes a few microtask hops
          expect(t1.done()).toBe(true);
          await q.put('a');
          await spin();
          expect(await t2).toBe('a');
        });
      });

      it('a getter woken then cancelled leaves the item queued (test_get_cancel_drop_one_pending_reader)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const reader = createTask(() => q.get());
          await spin();
          q.putNowait(1);
          q.putNowait(2);
          reader.cancel();
          expect(await outcome(reader)).toBe('CancelledError');
          expect(q.qsize()).toBe(2);
          const again = await createTask(() => q.get());
          expect(new Set([again, q.getNowait()])).toEqual(new Set([1, 2]));
        });
      });

      it('a getter woken then cancelled passes the wakeup on (test_get_cancel_drop_many_pending_readers)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const readers = await new TaskGroup().run(async (tg) => {
            const r1 = tg.createTask(() => q.get());
            const r2 = tg.createTask(() => q.get());
            const r3 = tg.createTask(() => q.get());
            await spin();
            q.putNowait(1);
            q.putNowait(2);
            r1.cancel();
            expect(await outcome(r1)).toBe('CancelledError');
            await r3;
            return [r2, r3];
          });
          expect(new Set(readers.map((r) => r.result()))).toEqual(new Set([1, 2]));
          expect(String(q)).not.toContain('_getters');
        });
      });

      it('a putter woken then cancelled adds nothing (test_put_cancel_drop)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          q.putNowait(1);
          const writer = createTask(() => q.put(2));
          await spin();
          expect(q.getNowait()).toBe(1);
          writer.cancel();
          expect(await outcome(writer)).toBe('CancelledError');
          expect(q.qsize()).toBe(0);
          await createTask(() => q.put(2));
          expect(q.getNowait()).toBe(2);
          expect(q.qsize()).toBe(0);
        });
      });

      it('a putter woken then cancelled passes the free slot on', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          q.putNowait(0);
          const p1 = createTask(() => q.put(1));
          const p2 = createTask(() => q.put(2));
          await spin();
          expect(q.getNowait()).toBe(0); // wakes p1
          p1.cancel();
          expect(await outcome(p1)).toBe('CancelledError');
          await p2;
          expect([q.qsize(), q.getNowait()]).toEqual([1, 2]);
        });
      });

      it('a cancelled waiting putter does not put (test_put_cancelled_race)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          const putA = createTask(() => q.put('a'));
          const putB = createTask(() => q.put('b'));
          const putC = createTask(() => q.put('X'));
          await spin();
          expect([putA.done(), putB.done()]).toEqual([true, false]);
          putC.cancel();
          await spin(3); // the woken task's promise chain takes a few microtask hops
          expect(putC.done()).toBe(true);
          expect(q.getNowait()).toBe('a');
          await spin();
          expect(q.getNowait()).toBe('b');
          await putB;
          expect(q.empty()).toBe(true);
        });
      });

      it('a put that completed is not undone by a later cancel (test_put_cancelled)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const t = createTask(async () => {
            await q.put(1);
            return true;
          });
          expect(await q.get()).toBe(1);
          expect(await t).toBe(true);
        });
      });

      it('cancelled putters leave the waiting list (test_cancelled_puts_not_being_held_in_self_putters)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          q.putNowait(1);
          const putTask = createTask(() => q.put(1));
          await spin();
          expect(String(q)).toContain('_putters[1]');
          putTask.cancel();
          expect(await outcome(putTask)).toBe('CancelledError');
          expect(String(q)).not.toContain('_putters');
        });
      });

      it('cancelled getters leave the waiting list (test_cancelled_getters_not_being_held_in_self_getters)', async () => {
        await runOnNewLoop(async () => {
          const q = make(5);
          const getTask = createTask(() => q.get());
          await spin();
          expect(String(q)).toContain('_getters[1]');
          getTask.cancel();
          expect(await outcome(getTask)).toBe('CancelledError');
          expect(String(q)).not.toContain('_getters');
        });
      });

      it('a putter cancelled after get took it off the list just ends cancelled (test_cancelled_put_silence_value_error_exception)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          q.putNowait(1);
          const putTask = createTask(() => q.put(1));
          await spin();
          q.getNowait();
          putTask.cancel();
          expect(await outcome(putTask)).toBe('CancelledError');
          expect([q.qsize(), String(q).includes('_putters')]).toEqual([0, false]);
        });
      });
    });

    describe('taskDone and join', () => {
      it('taskDone raises ValueError when nothing is unfinished (test_task_done_underflow)', () => {
        expect(outcomeOf(() => make().taskDone())).toBe(
          'ValueError(taskDone() called too many times)',
        );
      });

      it('join returns once every item is done (test_task_done)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          for (let i = 0; i < 100; i++) q.putNowait(i);
          let sum = 0;
          await new TaskGroup().run(async (tg) => {
            for (let w = 0; w < 2; w++) {
              tg.createTask(async () => {
                for await (const item of q) {
                  sum += item as number;
                  q.taskDone();
                }
              });
            }
            await q.join();
            expect(sum).toBe(4950);
            q.shutdown(); // ends the workers' loops
          });
        });
      });

      it('join waits for the last taskDone, not for the last get', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const trace: string[] = [];
          q.putNowait('x');
          const joiner = createTask(async () => {
            await q.join();
            trace.push('joined');
          });
          await spin();
          q.getNowait();
          await spin(2);
          trace.push('got');
          q.taskDone();
          await joiner;
          expect(trace).toEqual(['got', 'joined']);
        });
      });

      it('join on a queue with nothing unfinished returns at once (test_join_empty_queue)', async () => {
        await q0join();
        await runOnNewLoop(async () => {
          const q = make();
          await q.join();
          await q.join();
        });

        async function q0join(): Promise<void> {
          await make().join(); // no loop needed when there is nothing to wait for
        }
      });
    });

    describe('shutdown (Python 3.13)', () => {
      it('wakes a waiting getter with QueueShutDown (test_shutdown_empty)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const getTask = createTask(() => q.get());
          await spin();
          q.shutdown(false);
          expect(q.qsize()).toBe(0);
          await q.join();
          await spin(3); // the woken task's promise chain takes a few microtask hops
          expect(getTask.done()).toBe(true);
          expect(await outcome(getTask)).toBe(SHUT);
          expect(await outcome(q.put('data'))).toBe(SHUT);
          expect(outcomeOf(() => q.putNowait('data'))).toBe(SHUT);
          expect(await outcome(q.get())).toBe(SHUT);
          expect(outcomeOf(() => q.getNowait())).toBe(SHUT);
        });
      });

      it('wakes waiting putters, lets getters drain, keeps join waiting (test_shutdown_nonempty)', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          q.putNowait('data');
          const joinTask = createTask(() => q.join());
          const putTask = createTask(() => q.put('data2'));
          await spin();
          expect(putTask.done()).toBe(false);
          q.shutdown(false);
          expect(q.qsize()).toBe(1);
          await spin(3); // the woken task's promise chain takes a few microtask hops
          expect(putTask.done()).toBe(true);
          expect(await outcome(putTask)).toBe(SHUT);
          expect(await q.get()).toBe('data');
          await spin();
          expect(joinTask.done()).toBe(false);
          expect(await outcome(q.put('data'))).toBe(SHUT);
          expect(outcomeOf(() => q.putNowait('data'))).toBe(SHUT);
          expect(await outcome(q.get())).toBe(SHUT);
          expect(outcomeOf(() => q.getNowait())).toBe(SHUT);
          q.taskDone();
          await spin(3); // the woken task's promise chain takes a few microtask hops
          expect(joinTask.done()).toBe(true);
          await joinTask;
          expect(() => q.taskDone()).toThrow('taskDone() called too many times');
        });
      });

      it('immediate drops the items and releases join (test_shutdown_immediate)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          q.putNowait('data');
          const joinTask = createTask(() => q.join());
          q.shutdown(true);
          expect(q.qsize()).toBe(0);
          await spin(3); // the woken task's promise chain takes a few microtask hops
          expect(joinTask.done()).toBe(true);
          await joinTask;
          expect(await outcome(q.put('data'))).toBe(SHUT);
          expect(outcomeOf(() => q.putNowait('data'))).toBe(SHUT);
          expect(await outcome(q.get())).toBe(SHUT);
          expect(outcomeOf(() => q.getNowait())).toBe(SHUT);
          expect(() => q.taskDone()).toThrow('taskDone() called too many times');
        });
      });

      it('immediate keeps items already got unfinished (test_shutdown_immediate_with_unfinished)', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          q.putNowait('data');
          q.putNowait('data');
          const joinTask = createTask(() => q.join());
          expect(await q.get()).toBe('data');
          q.shutdown(true);
          expect(q.qsize()).toBe(0);
          await spin();
          expect(joinTask.done()).toBe(false);
          expect(await outcome(q.put('data'))).toBe(SHUT);
          expect(await outcome(q.get())).toBe(SHUT);
          q.taskDone();
          expect(() => q.taskDone()).toThrow('taskDone() called too many times');
          await spin(3); // the woken task's promise chain takes a few microtask hops
          expect(joinTask.done()).toBe(true);
          await joinTask;
        });
      });

      it('immediate wakes a putter of a full queue, which then raises', async () => {
        await runOnNewLoop(async () => {
          const q = make(1);
          q.putNowait(1);
          const putTask = createTask(() => q.put(2));
          await spin();
          q.shutdown(true);
          expect(await outcome(putTask)).toBe(SHUT);
          expect(q.qsize()).toBe(0);
        });
      });

      it('wakes every waiting getter; calling it twice does no harm', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const getters = [createTask(() => q.get()), createTask(() => q.get())];
          await spin();
          q.shutdown();
          q.shutdown();
          expect(await Promise.all(getters.map(outcome))).toEqual([SHUT, SHUT]);
          expect(String(q)).not.toContain('_getters');
        });
      });
    });

    describe('async iteration', () => {
      it('gets the queued items, then ends once the queue is shut down and drained', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          q.putNowait(1);
          const consumer = createTask(async () => {
            const seen: unknown[] = [];
            for await (const item of q) seen.push(item);
            return seen;
          });
          await spin(3);
          q.putNowait(2);
          await spin(3);
          q.putNowait(3);
          q.shutdown();
          expect(await consumer).toEqual([1, 2, 3]);
        });
      });

      it('ends at once on shutdown(true), dropping what is queued', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const seen: unknown[] = [];
          const consumer = createTask(async () => {
            for await (const item of q) {
              seen.push(item);
              q.shutdown(true);
            }
          });
          await spin();
          q.putNowait(1);
          await consumer;
          expect(seen).toEqual([1]);
        });
      });

      it('break leaves the remaining items queued', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          q.putNowait('a');
          q.putNowait('a');
          for await (const item of q) {
            expect(item).toBe('a');
            break;
          }
          expect(q.qsize()).toBe(1);
        });
      });

      it('a cancelled consumer ends with CancelledError and takes no item', async () => {
        await runOnNewLoop(async () => {
          const q = make();
          const consumer = createTask(async () => {
            for await (const item of q) void item;
          });
          await spin();
          consumer.cancel();
          expect(await outcome(consumer)).toBe('CancelledError');
          q.putNowait(1);
          expect(q.qsize()).toBe(1);
        });
      });
    });
  });
}

function drain(q: Queue<unknown>): unknown[] {
  const items: unknown[] = [];
  while (!q.empty()) items.push(q.getNowait());
  return items;
}
