import {
  BrokenBarrierError,
  BrokenPipeError,
  CancelledError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  EOFError,
  FileNotFoundError,
  IncompleteReadError,
  InvalidStateError,
  isCancelledError,
  KeyboardInterrupt,
  LimitOverrunError,
  LookupError,
  NotImplementedError,
  OSError,
  PermissionError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  SendfileNotAvailableError,
  TimeoutError,
  toOSError,
  ValueError,
} from '../src/index.js';

type AnyErrorClass = new (...args: never[]) => Error;

/** [class, how to build one, its parent chain up to Error] */
const hierarchy: [AnyErrorClass, () => Error, AnyErrorClass[]][] = [
  [RuntimeError, () => new RuntimeError('m'), []],
  [ValueError, () => new ValueError('m'), []],
  [LookupError, () => new LookupError('m'), []],
  [NotImplementedError, () => new NotImplementedError('m'), [RuntimeError]],
  [KeyboardInterrupt, () => new KeyboardInterrupt('m'), []],
  [CancelledError, () => new CancelledError('m'), []],
  [TimeoutError, () => new TimeoutError('m'), []],
  [InvalidStateError, () => new InvalidStateError('m'), []],
  [EOFError, () => new EOFError('m'), []],
  [IncompleteReadError, () => new IncompleteReadError(new Uint8Array(1), 2), [EOFError]],
  [LimitOverrunError, () => new LimitOverrunError('m', 1), []],
  [SendfileNotAvailableError, () => new SendfileNotAvailableError('m'), [RuntimeError]],
  [QueueEmpty, () => new QueueEmpty(), []],
  [QueueFull, () => new QueueFull(), []],
  [QueueShutDown, () => new QueueShutDown(), []],
  [BrokenBarrierError, () => new BrokenBarrierError('m'), [RuntimeError]],
  [OSError, () => new OSError('m'), []],
  [ConnectionError, () => new ConnectionError('m'), [OSError]],
  [ConnectionResetError, () => new ConnectionResetError('m'), [ConnectionError, OSError]],
  [ConnectionRefusedError, () => new ConnectionRefusedError('m'), [ConnectionError, OSError]],
  [ConnectionAbortedError, () => new ConnectionAbortedError('m'), [ConnectionError, OSError]],
  [BrokenPipeError, () => new BrokenPipeError('m'), [ConnectionError, OSError]],
  [FileNotFoundError, () => new FileNotFoundError('m'), [OSError]],
  [PermissionError, () => new PermissionError('m'), [OSError]],
];

describe('error classes', () => {
  it.each(hierarchy.map(([cls, make, parents]) => [cls.name, cls, make, parents] as const))(
    '%s: name, instanceof chain (test_exception_hierarchy)',
    (name, cls, make, parents) => {
      const error = make();
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(cls);
      expect(error).toBeInstanceOf(Error);
      for (const parent of parents) expect(error).toBeInstanceOf(parent);
      expect(Object.getPrototypeOf(cls.prototype)).toBe((parents[0] ?? Error).prototype);
      expect(String(error)).toBe(error.message === '' ? name : `${name}: ${error.message}`);
    },
  );

  it('a subclass gets its own name', () => {
    class MyError extends RuntimeError {}
    expect(new MyError('x').name).toBe('MyError');
  });

  it('keeps the cause where the constructor takes options', () => {
    const cause = new Error('root');
    expect(new RuntimeError('m', { cause }).cause).toBe(cause);
    expect(new EOFError('m', { cause }).cause).toBe(cause);
  });

  it('CancelledError is recognised by isCancelledError, other errors are not', () => {
    expect(isCancelledError(new CancelledError())).toBe(true);
    const foreign = new Error('from another copy');
    foreign.name = 'CancelledError';
    expect(isCancelledError(foreign)).toBe(true);
    expect(isCancelledError(new RuntimeError())).toBe(false);
    expect(isCancelledError('CancelledError')).toBe(false);
  });
});

describe('IncompleteReadError', () => {
  it('keeps partial and expected, with the message of Python', () => {
    const partial = new Uint8Array([1, 2]);
    const error = new IncompleteReadError(partial, 5);
    expect(error.partial).toBe(partial);
    expect(error.expected).toBe(5);
    expect(error.message).toBe('2 bytes read on a total of 5 expected bytes');
  });

  it("writes 'undefined' for an unknown expected count, as Python 3.13 does", () => {
    const error = new IncompleteReadError(new Uint8Array(0), null);
    expect(error.expected).toBeNull();
    expect(error.message).toBe('0 bytes read on a total of undefined expected bytes');
  });
});

describe('LimitOverrunError', () => {
  it('keeps message and consumed', () => {
    const error = new LimitOverrunError('Separator is not found, and chunk exceed the limit', 7);
    expect(error.message).toBe('Separator is not found, and chunk exceed the limit');
    expect(error.consumed).toBe(7);
  });
});

describe('OSError', () => {
  it('keeps the fields it is given', () => {
    const cause = new Error('node');
    const error = new OSError('open failed', {
      errno: -2,
      code: 'ENOENT',
      syscall: 'open',
      filename: '/x',
      strerror: 'no such file',
      cause,
    });
    expect(error).toMatchObject({
      message: 'open failed',
      errno: -2,
      code: 'ENOENT',
      syscall: 'open',
      filename: '/x',
      strerror: 'no such file',
    });
    expect(error.cause).toBe(cause);
  });

  it('has no own fields for what it was not given, and strerror null', () => {
    const error = new OSError('m');
    expect(Object.hasOwn(error, 'errno')).toBe(false);
    expect(Object.hasOwn(error, 'code')).toBe(false);
    expect(error.errno).toBeUndefined();
    expect(error.strerror).toBeNull();
  });

  it("takes strerror from the system's table when only errno is given", () => {
    const error = new OSError('m', { errno: -2 });
    expect(error.strerror).toBe('no such file or directory');
  });
});

describe('toOSError', () => {
  function nodeError(code: string, errno: number, syscall = 'read'): NodeJS.ErrnoException {
    return Object.assign(new Error(`${syscall} ${code}`), { code, errno, syscall });
  }

  it.each([
    ['ECONNRESET', ConnectionResetError],
    ['ECONNREFUSED', ConnectionRefusedError],
    ['ECONNABORTED', ConnectionAbortedError],
    ['EPIPE', BrokenPipeError],
    ['ESHUTDOWN', BrokenPipeError],
    ['ENOENT', FileNotFoundError],
    ['EACCES', PermissionError],
    ['EPERM', PermissionError],
    ['EEXIST', OSError],
    ['ETIMEDOUT', OSError],
  ] as const)('maps %s to %p', (code, cls) => {
    const original = nodeError(code, -1);
    const error = toOSError(original);
    expect(error.constructor).toBe(cls);
    expect(error.name).toBe(cls.name);
    expect(error.code).toBe(code);
    expect(error.errno).toBe(-1);
    expect(error.syscall).toBe('read');
    expect(error.message).toBe(`read ${code}`);
    expect(error.cause).toBe(original);
  });

  it('maps a real ENOENT from node:fs, with its path as filename', async () => {
    const { readFile } = await import('node:fs/promises');
    const original: unknown = await readFile('/no/such/file/tsio').catch((e: unknown) => e);
    const error = toOSError(original);
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect(error.filename).toBe('/no/such/file/tsio');
    expect(error.syscall).toBe('open');
    expect(error.strerror).toBe('no such file or directory');
    expect(error.message).toBe((original as Error).message);
  });

  it('maps a real ECONNREFUSED from node:net', async () => {
    const net = await import('node:net');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const original = await new Promise<unknown>((resolve) => {
      net.connect(port, '127.0.0.1').on('error', resolve);
    });
    const error = toOSError(original);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.syscall).toBe('connect');
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('gives a plain OSError for an error without code, and for non-errors', () => {
    const plain = new Error('boom');
    expect(toOSError(plain).constructor).toBe(OSError);
    expect(toOSError(plain).message).toBe('boom');
    const fromString = toOSError('bad');
    expect(fromString.constructor).toBe(OSError);
    expect(fromString.message).toBe('bad');
    expect(fromString.cause).toBe('bad');
    expect(toOSError(null).message).toBe('null');
  });

  it('returns an OSError unchanged', () => {
    const error = new ConnectionResetError('x');
    expect(toOSError(error)).toBe(error);
  });
});
