import { LookupError, RuntimeError, ValueError } from './errors.js';
import { runtime, type Frame } from './internal/runtime.js';

const MISSING: unique symbol = Symbol('Token.MISSING');
const EMPTY: ReadonlyMap<ContextVar<unknown>, unknown> = new Map();

/**
 * A mapping of context variables to their values, as seen by one logical thread of
 * execution: every Task runs in its own copy of its creator's Context.
 *
 * A Context is cheap to copy: copies share storage until one of them is written to.
 *
 * Python parity: `contextvars.Context`
 */
export class Context implements Iterable<ContextVar<unknown>> {
  #data: ReadonlyMap<ContextVar<unknown>, unknown>;
  #entered = false;
  #frame: Frame | null = null;

  /** Creates an empty Context. Use `copyContext()` to copy the current one. */
  constructor() {
    // Shared and never mutated: every write replaces the map (copy-on-write).
    this.#data = EMPTY;
  }

  /**
   * Runs `fn(...args)` with this Context as the current one, and returns its result.
   * Variables set by `fn` stay in this Context; async work started by `fn` keeps seeing it.
   *
   * @throws RuntimeError if this Context is already being run synchronously further up the stack.
   *
   * Python parity: `Context.run`
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (this.#entered) {
      throw new RuntimeError(
        'cannot enter context: this Context is already entered; run a copy instead (ctx.copy().run(...))',
      );
    }
    this.#entered = true;
    try {
      const task = runtime.storage.getStore()?.task ?? null;
      const frame = task === null ? this._frame() : { context: this, task };
      return runtime.storage.run(frame, fn, ...args);
    } finally {
      this.#entered = false;
    }
  }

  /** Returns a shallow copy of this Context. Python parity: `Context.copy` */
  copy(): Context {
    const copy = new Context();
    copy.#data = this.#data;
    return copy;
  }

  /**
   * Returns the value of `variable` in this Context, or `defaultValue` when it has none.
   *
   * @throws TypeError if `variable` is not a ContextVar.
   *
   * Python parity: `Context.get`
   */
  get<T>(variable: ContextVar<T>): T | undefined;
  get<T, D>(variable: ContextVar<T>, defaultValue: D): T | D;
  get<T, D>(variable: ContextVar<T>, defaultValue?: D): T | D | undefined {
    checkKey(variable);
    const data = this.#data as ReadonlyMap<ContextVar<T>, T>;
    return data.has(variable) ? data.get(variable) : defaultValue;
  }

  /**
   * Tells whether `variable` has a value in this Context.
   *
   * @throws TypeError if `variable` is not a ContextVar.
   *
   * Python parity: `var in ctx`
   */
  has(variable: ContextVar<unknown>): boolean {
    checkKey(variable);
    return this.#data.has(variable);
  }

  /** The number of variables set in this Context. Python parity: `len(ctx)` */
  get size(): number {
    return this.#data.size;
  }

  /** The variables set in this Context. Python parity: `Context.keys` */
  keys(): IterableIterator<ContextVar<unknown>> {
    return this.#data.keys();
  }

  /** The values of the variables set in this Context. Python parity: `Context.values` */
  values(): IterableIterator<unknown> {
    return this.#data.values();
  }

  /** `[variable, value]` pairs. Python parity: `Context.items` */
  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this.#data.entries();
  }

  /** Iterates over the variables set in this Context. Python parity: `iter(ctx)` */
  [Symbol.iterator](): IterableIterator<ContextVar<unknown>> {
    return this.#data.keys();
  }

  /** @internal Reads the raw storage (used by ContextVar). */
  _read(): ReadonlyMap<ContextVar<unknown>, unknown> {
    return this.#data;
  }

  /** @internal Replaces the storage (copy-on-write, used by ContextVar). */
  _write(data: ReadonlyMap<ContextVar<unknown>, unknown>): void {
    this.#data = data;
  }

  /** @internal The frame that runs plain callbacks in this Context (no task); cached. */
  _frame(): Frame {
    return (this.#frame ??= { context: this, task: null });
  }
}

/**
 * Returns the Context that the calling code runs in.
 *
 * Python parity: `contextvars.copy_context` returns a copy of this
 */
export function _currentContext(): Context {
  const frame = runtime.storage.getStore() ?? rootFrame();
  return frame.context as Context;
}

function rootFrame(): Frame {
  return (runtime.rootFrame ??= new Context()._frame());
}

/**
 * Returns a copy of the current Context.
 *
 * @example
 * ```ts
 * const user = new ContextVar<string>('user', { default: 'anonymous' });
 * const snapshot = copyContext();
 * user.set('ada');
 * snapshot.run(() => user.get()); // 'anonymous': the copy was taken before the set
 * ```
 *
 * Python parity: `contextvars.copy_context`
 */
export function copyContext(): Context {
  return _currentContext().copy();
}

/** Marks ContextVars so that every copy of this package recognises the others' variables. */
const CONTEXT_VAR_BRAND = Symbol.for('tsio.contextvar');

function checkKey(key: unknown): void {
  const branded =
    typeof key === 'object' && key !== null && (key as Record<symbol, unknown>)[CONTEXT_VAR_BRAND];
  if (branded !== true) {
    throw new TypeError(`a ContextVar key was expected, got ${String(key)}`);
  }
}

/**
 * A value recorded by `ContextVar.set`, which `ContextVar.reset` uses to restore the
 * variable's previous value.
 *
 * Python parity: `contextvars.Token`
 */
export class Token<T> {
  /** Marks `oldValue` when the variable had no value before the `set`. Python parity: `Token.MISSING` */
  static readonly MISSING: typeof MISSING = MISSING;
  /** @internal */
  _used = false;

  /** @internal Created only by `ContextVar.set`. */
  constructor(
    /** The variable that was set. Python parity: `Token.var` */
    readonly variable: ContextVar<T>,
    /** The value before the `set`, or `Token.MISSING`. Python parity: `Token.old_value` */
    readonly oldValue: T | typeof MISSING,
    /** @internal */
    readonly _context: Context,
  ) {}

  /** Python parity: `repr(Token)` */
  toString(): string {
    return `<Token${this._used ? ' used' : ''} var=${this.variable.toString()}>`;
  }
}

/** Options of `new ContextVar(name, options)`. */
export interface ContextVarOptions<T> {
  /** The value `get()` returns when the variable has no value in the current Context. */
  default?: T;
}

/**
 * A variable whose value depends on the Context the code runs in: each Task sees the value
 * its creator had, and its own changes stay its own.
 *
 * @example
 * ```ts
 * const requestId = new ContextVar<string>('requestId', { default: '-' });
 * requestId.set('abc');
 * requestId.get(); // 'abc'
 * ```
 *
 * Python parity: `contextvars.ContextVar`
 */
export class ContextVar<T> {
  readonly #hasDefault: boolean;
  readonly #default: T | undefined;

  /**
   * @param name - the variable's name, for debugging
   * @param options - `default`: the value when none was set
   */
  constructor(
    readonly name: string,
    options: ContextVarOptions<T> = {},
  ) {
    if (typeof name !== 'string') {
      throw new TypeError(`ContextVar name must be a string, got ${typeof name}`);
    }
    this.#hasDefault = 'default' in options;
    this.#default = options.default;
  }

  /**
   * Returns the variable's value in the current Context; else `defaultValue` if given; else
   * the variable's default.
   *
   * @throws LookupError when there is no value and no default.
   *
   * Python parity: `ContextVar.get`
   */
  get(): T;
  get<D>(defaultValue: D): T | D;
  get<D>(...args: [] | [D]): T | D {
    const data = _currentContext()._read() as ReadonlyMap<ContextVar<T>, T>;
    if (data.has(this)) return data.get(this) as T;
    if (args.length > 0) return args[0] as D;
    if (this.#hasDefault) return this.#default as T;
    throw new LookupError(`ContextVar '${this.name}' has no value and no default`);
  }

  /**
   * Sets the variable's value in the current Context and returns a Token that `reset` can
   * use to restore the previous value.
   *
   * Python parity: `ContextVar.set`
   */
  set(value: T): Token<T> {
    const context = _currentContext();
    const data = context._read() as ReadonlyMap<ContextVar<T>, T>;
    const old = data.has(this) ? (data.get(this) as T) : MISSING;
    const next = new Map(context._read());
    next.set(this as ContextVar<unknown>, value);
    context._write(next);
    return new Token(this, old, context);
  }

  /**
   * Restores the value the variable had before the `set` that returned `token`.
   *
   * @throws RuntimeError if the token was already used.
   * @throws ValueError if the token belongs to another variable or was created in another Context.
   *
   * Python parity: `ContextVar.reset`
   */
  reset(token: Token<T>): void {
    if (token._used) throw new RuntimeError('Token has already been used once');
    if (token.variable !== this) {
      throw new ValueError(`Token was created by a different ContextVar (${token.variable.name})`);
    }
    const context = _currentContext();
    if (token._context !== context) {
      throw new ValueError('Token was created in a different Context');
    }
    const next = new Map(context._read());
    if (token.oldValue === MISSING) next.delete(this as ContextVar<unknown>);
    else next.set(this as ContextVar<unknown>, token.oldValue);
    context._write(next);
    token._used = true;
  }

  /** Python parity: `repr(ContextVar)` */
  toString(): string {
    const shown = this.#hasDefault ? ` default=${reprValue(this.#default)}` : '';
    return `<ContextVar name='${this.name}'${shown}>`;
  }
}

function reprValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return `<${value.constructor?.name ?? 'Object'}>`;
}

(ContextVar.prototype as unknown as Record<symbol, boolean>)[CONTEXT_VAR_BRAND] = true;
