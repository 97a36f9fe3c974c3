import {
  Context,
  ContextVar,
  copyContext,
  LookupError,
  RuntimeError,
  Token,
  ValueError,
  _currentContext,
} from '../src/index.js';

// Names in it() refer to CPython's Lib/test/test_context.py where the behaviour matches.

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('ContextVar', () => {
  it('has a name and rejects a non-string one (test_context_var_new_1)', () => {
    const c = new ContextVar<number>('aaa');
    expect(c.name).toBe('aaa');
    expect(() => new ContextVar(1 as unknown as string)).toThrow(TypeError);
    expect(() => new ContextVar(1 as unknown as string)).toThrow('must be a string');
  });

  it('reads as repr() (test_context_var_repr_1)', () => {
    expect(String(new ContextVar('a'))).toBe("<ContextVar name='a'>");
  });

  it('get/set/reset with tokens (test_context_getset_1)', () => {
    new Context().run(() => {
      const c = new ContextVar<number | string>('c');
      expect(() => c.get()).toThrow(LookupError);
      expect(() => c.get()).toThrow("ContextVar 'c' has no value and no default");
      expect(c.get(null)).toBeNull();

      const t0 = c.set(42);
      expect(c.get()).toBe(42);
      expect(c.get(null)).toBe(42);
      expect(t0.oldValue).toBe(Token.MISSING);
      expect(t0.variable).toBe(c);

      const t = c.set('spam');
      expect(c.get()).toBe('spam');
      expect(t.oldValue).toBe(42);
      c.reset(t);
      expect(c.get()).toBe(42);

      c.set('spam2');
      expect(() => c.reset(t)).toThrow(RuntimeError);
      expect(() => c.reset(t)).toThrow('has already been used');
      expect(c.get()).toBe('spam2');

      const ctx1 = copyContext();
      expect(ctx1.has(c)).toBe(true);

      c.reset(t0);
      expect(() => c.reset(t0)).toThrow('has already been used');
      expect(c.get(null)).toBeNull();

      expect(ctx1.has(c)).toBe(true);
      expect(ctx1.get(c)).toBe('spam2');
      expect(ctx1.get(c, 'aa')).toBe('spam2');
      expect(ctx1.size).toBe(1);
      expect([...ctx1.entries()]).toEqual([[c, 'spam2']]);
      expect([...ctx1.values()]).toEqual(['spam2']);
      expect([...ctx1.keys()]).toEqual([c]);
      expect([...ctx1]).toEqual([c]);

      const ctx2 = copyContext();
      expect(ctx2.has(c)).toBe(false);
      expect(ctx2.get(c)).toBeUndefined();
      expect(ctx2.get(c, 'aa')).toBe('aa');
      expect(ctx2.size).toBe(0);
      expect([...ctx2]).toEqual([]);
    });
  });

  it('uses the default, and get(default) wins over it', () => {
    const c = new ContextVar('d', { default: 7 });
    expect(c.get()).toBe(7);
    expect(c.get(8)).toBe(8);
    const undefinedDefault = new ContextVar<undefined>('u', { default: undefined });
    expect(undefinedDefault.get()).toBeUndefined();
  });

  it('rejects a token of another variable (test_context_getset_2)', () => {
    new Context().run(() => {
      const v1 = new ContextVar<number>('v1');
      const v2 = new ContextVar<number>('v2');
      const t1 = v1.set(42);
      expect(() => v2.reset(t1 as unknown as Token<number>)).toThrow(ValueError);
      expect(() => v2.reset(t1 as unknown as Token<number>)).toThrow('by a different ContextVar');
    });
  });

  it('set and reset change the Context being run (test_context_getset_3)', () => {
    const c = new ContextVar('c', { default: 42 });
    const ctx = new Context();
    ctx.run(() => {
      expect(c.get()).toBe(42);
      expect(ctx.get(c)).toBeUndefined();
      expect(ctx.get(c, 'spam')).toBe('spam');
      expect(ctx.has(c)).toBe(false);
      const t = c.set(1);
      expect([...ctx.keys()]).toEqual([c]);
      expect(ctx.get(c)).toBe(1);
      c.reset(t);
      expect([...ctx.keys()]).toEqual([]);
    });
  });

  it('rejects a token made in another Context (test_context_getset_4)', () => {
    const c = new ContextVar('c', { default: 42 });
    const tok = new Context().run(() => c.set(1));
    expect(() => c.reset(tok)).toThrow(ValueError);
    expect(() => c.reset(tok)).toThrow('different Context');
  });

  it('a copy run does not leak its set (test_context_getset_5)', () => {
    new Context().run(() => {
      const c = new ContextVar<number[]>('c', { default: [42] });
      c.set([]);
      copyContext().run(() => {
        c.set([]);
        c.get().push(42);
        expect(c.get()).toEqual([42]);
      });
      expect(c.get()).toEqual([]);
    });
  });
});

describe('Context', () => {
  it('passes arguments and returns the result (test_context_run_2)', () => {
    const ctx = new Context();
    expect(ctx.run((a: number, b: string) => [a, b], 1, 'x')).toEqual([1, 'x']);
  });

  it('lets errors propagate and keeps a set inside (test_context_run_3, test_context_run_5)', () => {
    const ctx = new Context();
    const v = new ContextVar<string>('v');
    expect(() =>
      ctx.run(() => {
        v.set('spam');
        throw new ValueError('boom');
      }),
    ).toThrow('boom');
    expect(v.get(null)).toBeNull();
    expect(ctx.get(v)).toBe('spam');
  });

  it('nested runs see their own Context (test_context_run_4)', () => {
    const ctx1 = new Context();
    const ctx2 = new Context();
    const v = new ContextVar<string>('v');
    const returned = ctx1.run(() => {
      expect(v.get(null)).toBeNull();
      v.set('spam');
      ctx2.run(() => expect(v.get(null)).toBeNull());
      expect(v.get(null)).toBe('spam');
      expect(_currentContext()).toBe(ctx1);
      const cur = copyContext();
      expect(cur.size).toBe(1);
      expect(cur.get(v)).toBe('spam');
      return cur;
    });
    expect(returned.get(v)).toBe('spam');
    expect(ctx1.has(v)).toBe(true);
    expect(ctx2.has(v)).toBe(false);
  });

  it('ctx.get sees what the run sets (test_context_run_6)', () => {
    const ctx = new Context();
    const c = new ContextVar('a', { default: 0 });
    ctx.run(() => {
      expect(c.get()).toBe(0);
      expect(ctx.get(c)).toBeUndefined();
      c.set(42);
      expect(c.get()).toBe(42);
      expect(ctx.get(c)).toBe(42);
    });
  });

  it('refuses to enter a Context that is already entered (test_context_run_7)', () => {
    const ctx = new Context();
    let thrown: unknown;
    ctx.run(() => {
      try {
        ctx.run(() => 0);
      } catch (e) {
        thrown = e;
      }
    });
    expect(thrown).toBeInstanceOf(RuntimeError);
    expect((thrown as Error).message).toMatch('is already entered');
    // Once the run has returned, the Context can be entered again.
    expect(ctx.run(() => 1)).toBe(1);
  });

  it('copies do not share later changes (test_context_copy_1)', () => {
    const ctx1 = new Context();
    const c = new ContextVar('c', { default: 42 });
    ctx1.run(() => {
      c.set(10);
      const ctx2 = ctx1.copy();
      expect(ctx2.get(c)).toBe(10);
      c.set(20);
      expect(ctx1.get(c)).toBe(20);
      expect(ctx2.get(c)).toBe(10);
      ctx2.run(() => {
        expect(c.get()).toBe(10);
        c.set(30);
        expect(c.get()).toBe(30);
      });
      expect(ctx1.get(c)).toBe(20);
      expect(ctx2.get(c)).toBe(30);
    });
  });

  it('copyContext copies the current Context', () => {
    const v = new ContextVar<number>('v');
    const ctx = new Context();
    ctx.run(() => {
      v.set(1);
      const copy = copyContext();
      expect(copy).not.toBe(ctx);
      expect(copy.get(v)).toBe(1);
      v.set(2);
      expect(copy.get(v)).toBe(1);
    });
  });

  it('iterates over its variables in the order they were first set', () => {
    const a = new ContextVar<number>('a');
    const b = new ContextVar<number>('b');
    const ctx = new Context();
    ctx.run(() => {
      a.set(1);
      b.set(2);
      a.set(3);
    });
    expect(ctx.size).toBe(2);
    expect(ctx.has(a) && ctx.has(b)).toBe(true);
    expect([...ctx]).toEqual([a, b]);
    expect([...ctx.keys()]).toEqual([a, b]);
    expect([...ctx.values()]).toEqual([3, 2]);
    expect([...ctx.entries()]).toEqual([
      [a, 3],
      [b, 2],
    ]);
  });

  it('async continuations of a run keep its Context after await', async () => {
    const v = new ContextVar<string>('v', { default: 'outside' });
    const ctx = new Context();
    const seen: string[] = [];
    const done = ctx.run(async () => {
      v.set('inside');
      await Promise.resolve();
      seen.push(v.get());
      await tick();
      seen.push(v.get());
      v.set('later');
      await new Promise<void>((resolve) => setImmediate(resolve));
      seen.push(v.get());
    });
    expect(v.get()).toBe('outside');
    await done;
    expect(seen).toEqual(['inside', 'inside', 'later']);
    expect(v.get()).toBe('outside');
    expect(ctx.get(v)).toBe('later');
  });

  it('two async runs of copies do not see each other', async () => {
    const v = new ContextVar<number>('v', { default: 0 });
    const base = new Context();
    const work = (n: number) => async () => {
      v.set(n);
      await tick();
      return v.get();
    };
    const results = await Promise.all([base.copy().run(work(1)), base.copy().run(work(2))]);
    expect(results).toEqual([1, 2]);
    expect(base.get(v)).toBeUndefined();
  });

  it('refuses a key that is not a ContextVar (test_context_typerrors_1)', () => {
    const ctx = new Context();
    expect(() => ctx.get(1 as never)).toThrow(
      new TypeError('a ContextVar key was expected, got 1'),
    );
    expect(() => ctx.has('v' as never)).toThrow(TypeError);
  });

  it('shows the default of a ContextVar and the state of a Token (test_context_var_repr_1)', () => {
    const withDefault = new ContextVar<number>('a', { default: 123 });
    expect(String(withDefault)).toBe("<ContextVar name='a' default=123>");
    expect(String(new ContextVar('b'))).toBe("<ContextVar name='b'>");
    const token = withDefault.set(1);
    expect(String(token)).toBe("<Token var=<ContextVar name='a' default=123>>");
    withDefault.reset(token);
    expect(String(token)).toBe("<Token used var=<ContextVar name='a' default=123>>");
  });
});
