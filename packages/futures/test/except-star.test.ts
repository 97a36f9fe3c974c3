import { CancelledError, ExceptionGroup, RuntimeError, ValueError } from '@tsio/core';
import { exceptStar, sleep, TaskGroup } from '../src/index.js';
import { runOnNewLoop } from './helpers.js';

/** `EG(msg)[...]` with leaf names, to compare structures. */
function shape(e: unknown): string {
  if (e instanceof ExceptionGroup) return `EG(${e.message})[${e.exceptions.map(shape).join(', ')}]`;
  if (e instanceof Error) return `${e.name}(${e.message})`;
  return String(e);
}

function outcome(fn: () => void): string {
  try {
    fn();
    return 'handled';
  } catch (e) {
    return `threw ${shape(e)}`;
  }
}

const eg = () =>
  new ExceptionGroup('tg', [
    new ValueError('1'),
    new TypeError('2'),
    new ExceptionGroup('inner', [new ValueError('3'), new RangeError('4')]),
  ]);

describe('exceptStar', () => {
  it('runs each matching clause once, in order, with the matches in their nesting, and re-throws the rest', () => {
    const trace: string[] = [];
    const result = outcome(() =>
      exceptStar(eg(), [
        [ValueError, (g) => trace.push(`values ${shape(g)}`)],
        [SyntaxError, () => trace.push('never')],
        [(e) => e instanceof TypeError, (g) => trace.push(`types ${shape(g)}`)],
      ]),
    );
    expect(trace).toEqual([
      'values EG(tg)[ValueError(1), EG(inner)[ValueError(3)]]',
      'types EG(tg)[TypeError(2)]',
    ]);
    expect(result).toBe('threw EG(tg)[EG(inner)[RangeError(4)]]');
  });

  it('returns normally when every error was handled, with an array of classes', () => {
    expect(outcome(() => exceptStar(eg(), [[[ValueError, TypeError, RangeError], () => {}]]))).toBe(
      'handled',
    );
  });

  it('collects what handlers throw with the unhandled rest (as except* does)', () => {
    expect(
      outcome(() =>
        exceptStar(eg(), [
          [
            ValueError,
            () => {
              throw new RuntimeError('new');
            },
          ],
          [
            TypeError,
            () => {
              throw new RuntimeError('new2');
            },
          ],
        ]),
      ),
    ).toBe('threw EG()[RuntimeError(new), RuntimeError(new2), EG(tg)[EG(inner)[RangeError(4)]]]');
  });

  it('puts a re-thrown group back in its original place', () => {
    expect(
      outcome(() =>
        exceptStar(eg(), [
          [
            ValueError,
            (g) => {
              throw g;
            },
          ],
          [RangeError, () => {}],
        ]),
      ),
    ).toBe('threw EG(tg)[ValueError(1), TypeError(2), EG(inner)[ValueError(3)]]');
    expect(
      outcome(() =>
        exceptStar(eg(), [
          [
            ValueError,
            () => {
              throw new RuntimeError('new');
            },
          ],
          [
            TypeError,
            (g) => {
              throw g;
            },
          ],
          [
            RangeError,
            () => {
              throw new RuntimeError('new2');
            },
          ],
        ]),
      ),
    ).toBe('threw EG()[RuntimeError(new), RuntimeError(new2), EG(tg)[TypeError(2)]]');
  });

  it('matches a bare error as a group of one, and re-throws it bare when unmatched', () => {
    const seen: string[] = [];
    const bare = new ValueError('bare');
    expect(outcome(() => exceptStar(bare, [[ValueError, (g) => seen.push(shape(g))]]))).toBe(
      'handled',
    );
    expect(seen).toEqual(['EG()[ValueError(bare)]']);
    expect(outcome(() => exceptStar(bare, [[TypeError, () => {}]]))).toBe('threw ValueError(bare)');
    expect(
      outcome(() =>
        exceptStar(bare, [
          [
            ValueError,
            () => {
              throw new RuntimeError('new');
            },
          ],
        ]),
      ),
    ).toBe('threw RuntimeError(new)');
    expect(
      outcome(() =>
        exceptStar(bare, [
          [
            ValueError,
            (g) => {
              throw g;
            },
          ],
        ]),
      ),
    ).toBe('threw EG()[ValueError(bare)]');
  });

  it('lets a bare CancelledError through broad clauses, unless a clause names it (tsio)', () => {
    const cancelled = new CancelledError('stop');
    let handled = false;
    expect(
      outcome(() =>
        exceptStar(cancelled, [
          [Error, () => (handled = true)],
          [() => true, () => (handled = true)],
        ]),
      ),
    ).toBe('threw CancelledError(stop)');
    expect(handled).toBe(false);
    expect(outcome(() => exceptStar(cancelled, [[[ValueError, CancelledError], () => {}]]))).toBe(
      'handled',
    );
  });

  it('handles the ExceptionGroup of a TaskGroup (the except* recipe)', async () => {
    const trace = await runOnNewLoop(async () => {
      const out: string[] = [];
      try {
        await TaskGroup.run((tg) => {
          tg.createTask(async () => {
            await sleep(0);
            throw new ValueError('bad input');
          });
          tg.createTask(async () => {
            await sleep(0);
            throw new RangeError('too far');
          });
        });
      } catch (e) {
        try {
          exceptStar(e, [[ValueError, (g) => out.push(`ignored ${g.exceptions.length}`)]]);
        } catch (rest) {
          out.push(`rest ${shape(rest)}`);
        }
      }
      return out;
    });
    expect(trace).toEqual([
      'ignored 1',
      'rest EG(unhandled errors in a TaskGroup)[RangeError(too far)]',
    ]);
  });

  it('rejects bad clauses, ExceptionGroup conditions and async handlers with TypeError', () => {
    expect(() => exceptStar(eg(), {} as never)).toThrow(
      'exceptStar() expects an array of [condition, handler] clauses',
    );
    expect(() => exceptStar(eg(), [[ValueError] as never])).toThrow(
      'exceptStar() clause 0 must be a [condition, handler] pair',
    );
    expect(() =>
      exceptStar(eg(), [
        [ValueError, () => {}],
        [ExceptionGroup, () => {}],
      ]),
    ).toThrow(
      'exceptStar() clause 1 names ExceptionGroup: catching ExceptionGroup with exceptStar() is not allowed; use a plain catch instead',
    );
    expect(() => exceptStar(eg(), [[42 as never, () => {}]])).toThrow(TypeError);
    expect(() => exceptStar(eg(), [[ValueError, async () => {}]])).toThrow(
      'an exceptStar() handler returned a promise: handlers must be synchronous; record the group and await after exceptStar() returns',
    );
  });
});
