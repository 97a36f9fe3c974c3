import { ExceptionGroup, LookupError, OSError, RuntimeError, ValueError } from '../src/index.js';

// Every expected result below was checked against CPython 3.13 running the same scenario
// (with KeyError for LookupError and a Python TypeError for TypeError).

function shape(value: unknown): unknown {
  if (value instanceof ExceptionGroup) return { [value.message]: value.exceptions.map(shape) };
  if (value instanceof Error) return `${value.name}(${value.message})`;
  return value;
}

function makeNested() {
  const v = new ValueError('v');
  const t = new TypeError('t');
  const k = new LookupError('k');
  const inner = new ExceptionGroup('inner', [t, v]);
  const outer = new ExceptionGroup('outer', [v, inner, k]);
  return { v, t, k, inner, outer };
}

describe('ExceptionGroup construction', () => {
  it('keeps message and a frozen copy of exceptions (test_basics_ExceptionGroup_fields)', () => {
    const members = [new ValueError('a'), new TypeError('b')];
    const eg = new ExceptionGroup('msg', members);
    expect(eg.message).toBe('msg');
    expect(eg.exceptions).toEqual(members);
    expect(eg.exceptions).not.toBe(members);
    expect(Object.isFrozen(eg.exceptions)).toBe(true);
    members.push(new ValueError('later'));
    expect(eg.exceptions).toHaveLength(2);
    expect(eg.errors).toBe(eg.exceptions);
  });

  it('is an AggregateError and an Error named ExceptionGroup', () => {
    const eg = new ExceptionGroup('msg', [new ValueError()]);
    expect(eg).toBeInstanceOf(AggregateError);
    expect(eg).toBeInstanceOf(Error);
    expect(eg.name).toBe('ExceptionGroup');
    expect(eg.stack?.startsWith('ExceptionGroup: msg')).toBe(true);
  });

  it('reads as str(eg) in Python', () => {
    expect(String(new ExceptionGroup('m', [new ValueError()]))).toBe('m (1 sub-exception)');
    expect(String(new ExceptionGroup('m', [new ValueError(), new TypeError()]))).toBe(
      'm (2 sub-exceptions)',
    );
  });

  it('rejects a message that is not a string (test_bad_EG_construction__bad_message)', () => {
    const make = (message: unknown) => new ExceptionGroup(message as string, [new ValueError()]);
    expect(() => make(42)).toThrow(TypeError);
    expect(() => make(42)).toThrow('argument 1 (message) must be a string, not number');
    expect(() => make(undefined)).toThrow(TypeError);
    expect(() => make(null)).toThrow('must be a string, not null');
  });

  it('rejects exceptions that are not a non-empty array (test_bad_EG_construction__bad_excs_sequence)', () => {
    const make = (exceptions: unknown) => new ExceptionGroup('m', exceptions as readonly unknown[]);
    expect(() => make([])).toThrow(ValueError);
    expect(() => make([])).toThrow('argument 2 (exceptions) must be a non-empty array');
    for (const bad of [undefined, null, 1, new Set([new ValueError()]), new ValueError()]) {
      expect(() => make(bad)).toThrow(TypeError);
    }
    expect(() => make(new Set([1]))).toThrow('must be an array, not an object (Set)');
  });

  it('accepts any thrown value as a member (a difference from Python)', () => {
    const eg = new ExceptionGroup('m', ['text', 42, null]);
    expect(eg.exceptions).toEqual(['text', 42, null]);
  });
});

describe('ExceptionGroup.subgroup', () => {
  it('returns the group itself when the condition matches it (test_basics_subgroup_by_type__passthrough)', () => {
    const { outer } = makeNested();
    expect(outer.subgroup(Error)).toBe(outer);
    expect(outer.subgroup(ExceptionGroup)).toBe(outer);
    expect(outer.subgroup(AggregateError)).toBe(outer);
    expect(outer.subgroup(() => true)).toBe(outer);
  });

  it('returns null when nothing matches (test_basics_subgroup_by_type__no_match)', () => {
    const { outer } = makeNested();
    expect(outer.subgroup(OSError)).toBeNull();
    expect(outer.subgroup(() => false)).toBeNull();
  });

  it('keeps the matching leaves with their nesting (test_basics_subgroup_by_type__match)', () => {
    const { outer, inner, v } = makeNested();
    const sub = outer.subgroup(ValueError);
    expect(sub).not.toBeNull();
    expect(sub).not.toBe(outer);
    expect(shape(sub)).toEqual({ outer: ['ValueError(v)', { inner: ['ValueError(v)'] }] });
    expect(sub?.exceptions[0]).toBe(v);
    expect(sub?.exceptions[1]).not.toBe(inner);
  });

  it('builds a new group even when every leaf matches, as Python does', () => {
    const eg = new ExceptionGroup('g', [new ValueError('1'), new ValueError('2')]);
    const sub = eg.subgroup(ValueError);
    expect(sub).not.toBe(eg);
    expect(sub?.exceptions).toEqual(eg.exceptions);
    const nested = new ExceptionGroup('g', [new ExceptionGroup('h', [new ValueError('1')])]);
    const nestedSub = nested.subgroup(ValueError);
    expect(nestedSub).not.toBe(nested);
    expect(nestedSub?.exceptions[0]).not.toBe(nested.exceptions[0]);
  });

  it('matches by predicate (test_basics_subgroup_by_predicate__match)', () => {
    const { outer } = makeNested();
    const sub = outer.subgroup((e) => e instanceof TypeError || e instanceof LookupError);
    expect(shape(sub)).toEqual({ outer: [{ inner: ['TypeError(t)'] }, 'LookupError(k)'] });
  });

  it('matches by an array of classes, like a tuple of types', () => {
    const { outer } = makeNested();
    expect(shape(outer.subgroup([TypeError, LookupError]))).toEqual({
      outer: [{ inner: ['TypeError(t)'] }, 'LookupError(k)'],
    });
  });

  it('applies the condition to nested groups too, and keeps a matching one whole', () => {
    const { outer, inner } = makeNested();
    const sub = outer.subgroup((e) => e instanceof ExceptionGroup && e.message === 'inner');
    expect(sub?.exceptions).toHaveLength(1);
    expect(sub?.exceptions[0]).toBe(inner);
  });

  it('calls the predicate on each group before its members, depth first', () => {
    const { outer } = makeNested();
    const seen: string[] = [];
    outer.subgroup((e) => {
      seen.push(e instanceof ExceptionGroup ? `group:${e.message}` : (e as Error).message);
      return false;
    });
    expect(seen).toEqual(['group:outer', 'v', 'group:inner', 't', 'v', 'k']);
  });

  it('rejects a condition that is neither a predicate nor error classes (test_basics_subgroup_split__bad_arg_type)', () => {
    const { outer } = makeNested();
    class NotAnError {}
    const bad: unknown[] = ['bad arg', NotAnError, new OSError('instance'), [OSError, 42], 1, null];
    for (const condition of bad) {
      expect(() => outer.subgroup(condition as never)).toThrow(TypeError);
      expect(() => outer.split(condition as never)).toThrow(TypeError);
    }
  });

  it('lets an error thrown by the predicate propagate', () => {
    const { outer } = makeNested();
    const boom = new RuntimeError('boom');
    expect(() =>
      outer.subgroup(() => {
        throw boom;
      }),
    ).toThrow(boom);
  });

  it('matches non-error members with a predicate', () => {
    const eg = new ExceptionGroup('m', ['a', 1, null]);
    expect(eg.subgroup((e) => typeof e === 'string')?.exceptions).toEqual(['a']);
    expect(eg.subgroup((e) => e === null)?.exceptions).toEqual([null]);
    expect(eg.subgroup(TypeError)).toBeNull();
  });
});

describe('ExceptionGroup.split', () => {
  it('returns [self, null] when the condition matches the group (test_basics_split_by_type__passthrough)', () => {
    const { outer } = makeNested();
    expect(outer.split(ExceptionGroup)).toEqual([outer, null]);
    expect(outer.split(Error)[0]).toBe(outer);
  });

  it('returns [null, a copy] when nothing matches (test_basics_split_by_type__no_match)', () => {
    const { outer } = makeNested();
    const [match, rest] = outer.split(OSError);
    expect(match).toBeNull();
    expect(rest).not.toBe(outer); // Python builds a new group here too
    expect(shape(rest)).toEqual(shape(outer));
  });

  it('splits nested groups by class (test_basics_split_by_type__match)', () => {
    const { outer } = makeNested();
    const [match, rest] = outer.split(ValueError);
    expect(shape(match)).toEqual({ outer: ['ValueError(v)', { inner: ['ValueError(v)'] }] });
    expect(shape(rest)).toEqual({ outer: [{ inner: ['TypeError(t)'] }, 'LookupError(k)'] });
  });

  it('splits by predicate (test_basics_split_by_predicate__match)', () => {
    const { outer } = makeNested();
    const [match, rest] = outer.split((e) => e instanceof TypeError);
    expect(shape(match)).toEqual({ outer: [{ inner: ['TypeError(t)'] }] });
    expect(shape(rest)).toEqual({
      outer: ['ValueError(v)', { inner: ['ValueError(v)'] }, 'LookupError(k)'],
    });
  });

  it('returns [copy, null] when every leaf matches but the group does not', () => {
    const eg = new ExceptionGroup('g', [new ValueError('1'), new ValueError('2')]);
    const [match, rest] = eg.split(ValueError);
    expect(match).not.toBe(eg);
    expect(match?.exceptions).toEqual(eg.exceptions);
    expect(rest).toBeNull();
  });

  it('keeps a matching nested group whole', () => {
    const { outer, inner } = makeNested();
    const [match, rest] = outer.split((e) => e === inner);
    expect(match?.exceptions).toEqual([inner]);
    expect(match?.exceptions[0]).toBe(inner);
    expect(shape(rest)).toEqual({ outer: ['ValueError(v)', 'LookupError(k)'] });
  });

  it('copies cause and stack to the groups it derives, not to nested ones', () => {
    const { outer } = makeNested();
    const cause = new RuntimeError('c');
    const withCause = new ExceptionGroup('outer', outer.exceptions);
    Object.defineProperty(withCause, 'cause', { value: cause, configurable: true });
    const [match, rest] = withCause.split(ValueError);
    expect(match?.cause).toBe(cause);
    expect(rest?.cause).toBe(cause);
    expect(match?.stack).toBe(withCause.stack);
    expect((match?.exceptions[1] as Error).cause).toBeUndefined();
    expect(Object.hasOwn(outer.split(ValueError)[0] as object, 'cause')).toBe(false);
  });
});

describe('ExceptionGroup.derive', () => {
  it('makes a group with the same message and no cause', () => {
    const { outer, v } = makeNested();
    const derived = outer.derive([v]);
    expect(derived).toBeInstanceOf(ExceptionGroup);
    expect(derived.message).toBe('outer');
    expect(derived.exceptions).toEqual([v]);
    expect(derived.cause).toBeUndefined();
  });

  it('gives plain ExceptionGroups for a subclass that does not override derive (test_split_ExceptionGroup_subclass_no_derive_no_new_override)', () => {
    class MyGroup extends ExceptionGroup {}
    const eg = new MyGroup('my', [new ValueError(), new TypeError()]);
    expect(eg.name).toBe('MyGroup');
    const [match, rest] = eg.split(ValueError);
    expect(match?.constructor).toBe(ExceptionGroup);
    expect(rest?.constructor).toBe(ExceptionGroup);
    expect(eg.derive([new ValueError()]).constructor).toBe(ExceptionGroup);
  });

  it('keeps the subclass when it overrides derive (test_split_ExceptionGroup_subclass_derive_and_new_overrides)', () => {
    class CodedGroup extends ExceptionGroup {
      constructor(
        message: string,
        exceptions: readonly unknown[],
        readonly code: number,
      ) {
        super(message, exceptions);
      }
      override derive(exceptions: readonly unknown[]): CodedGroup {
        return new CodedGroup(this.message, exceptions, this.code);
      }
    }
    const eg = new CodedGroup(
      'coded',
      [new ValueError(), new ExceptionGroup('x', [new TypeError()])],
      7,
    );
    const [match, rest] = eg.split(TypeError);
    expect(match).toBeInstanceOf(CodedGroup);
    expect((match as CodedGroup).code).toBe(7);
    expect(match?.exceptions[0]?.constructor).toBe(ExceptionGroup);
    expect(rest).toBeInstanceOf(CodedGroup);
  });

  it('rejects a derive that does not return a group (test_drive_invalid_return_value)', () => {
    class BadGroup extends ExceptionGroup {
      override derive(): ExceptionGroup {
        return 42 as unknown as ExceptionGroup;
      }
    }
    const eg = new BadGroup('bad', [new ValueError(), new TypeError()]);
    expect(() => eg.split(ValueError)).toThrow(TypeError);
    expect(() => eg.subgroup(ValueError)).toThrow('derive() must return an ExceptionGroup');
  });
});
