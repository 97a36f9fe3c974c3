import { describe, expect, it } from '@jest/globals';
import { getRunningLoop, isCancelledError, OSError, ValueError } from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import type { Task } from '@tsio/futures';
import { run } from '@tsio/policies';
import { GaiError } from '../src/index.js';
import type { AddrInfo } from '../src/index.js';

// Linux numbers, as Python's socket module has them.
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const AI_PASSIVE = 1;
const AI_CANONNAME = 2;
const AI_NUMERICHOST = 4;
const AI_V4MAPPED = 8;
const AI_NUMERICSERV = 1024;
const NI_NUMERICHOST = 1;
const NI_NUMERICSERV = 2;
const NI_NAMEREQD = 8;
const NI_DGRAM = 16;

const getaddrinfo = (...args: Parameters<ReturnType<typeof getRunningLoop>['getaddrinfo']>) =>
  run(() => getRunningLoop().getaddrinfo(...args) as Promise<AddrInfo[]>);

const getnameinfo = (sockaddr: unknown, flags?: number) =>
  run(() =>
    getRunningLoop().getnameinfo(sockaddr as readonly [string, number, ...number[]], flags),
  );

/** The three entries Python lists per address when no socket type is asked for. */
function allKinds(family: number, sockaddr: AddrInfo[4]): AddrInfo[] {
  return [
    [family, SOCK_STREAM, 6, '', sockaddr],
    [family, SOCK_DGRAM, 17, '', sockaddr],
    [family, SOCK_RAW, 0, '', sockaddr],
  ];
}

/**
 * Starts `lookup` in a task, cancels the task while it waits, and checks that it ends
 * cancelled. Returns the task in an object: a task is awaitable, so it cannot be the result.
 */
async function cancelWhileWaiting(
  lookup: () => Promise<unknown>,
): Promise<{ task: Task<unknown> }> {
  const task = createTask(lookup);
  await sleep(0);
  task.cancel();
  const error = await task.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isCancelledError(error)).toBe(true);
  return { task };
}

async function gaiErrorOf(promise: Promise<unknown>): Promise<GaiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a GaiError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GaiError);
  return error as GaiError;
}

describe('getaddrinfo', () => {
  // The expected values are what Python 3.13 prints on this machine (/etc/hosts maps
  // localhost to 127.0.0.1 only).
  it("resolves 'localhost' to one entry per socket type, as socket.getaddrinfo('localhost', 80)", async () => {
    expect(await getaddrinfo('localhost', 80)).toEqual(allKinds(AF_INET, ['127.0.0.1', 80]));
  });

  it('resolves numeric hosts without the resolver, with IPv6 4-element sockaddrs', async () => {
    expect(await getaddrinfo('127.0.0.1', 0)).toEqual(allKinds(AF_INET, ['127.0.0.1', 0]));
    expect(await getaddrinfo('::1', 80)).toEqual(allKinds(AF_INET6, ['::1', 80, 0, 0]));
    expect(await getaddrinfo('::1', '8080')).toEqual(allKinds(AF_INET6, ['::1', 8080, 0, 0]));
  });

  it('gives the scope id of a link-local address with a zone', async () => {
    const [first] = await getaddrinfo('fe80::1%1', 80, { type: SOCK_STREAM });
    expect(first).toEqual([AF_INET6, SOCK_STREAM, 6, '', ['fe80::1', 80, 0, 1]]);
  });

  it('a null host gives the loopback addresses, or the wildcard ones with AI_PASSIVE', async () => {
    expect(await getaddrinfo(null, 80)).toEqual([
      ...allKinds(AF_INET6, ['::1', 80, 0, 0]),
      ...allKinds(AF_INET, ['127.0.0.1', 80]),
    ]);
    expect(await getaddrinfo(null, 80, { flags: AI_PASSIVE })).toEqual([
      ...allKinds(AF_INET, ['0.0.0.0', 80]),
      ...allKinds(AF_INET6, ['::', 80, 0, 0]),
    ]);
    expect(await getaddrinfo(null, 80, { family: AF_INET, flags: AI_PASSIVE })).toEqual(
      allKinds(AF_INET, ['0.0.0.0', 80]),
    );
  });

  it('filters by family, type and proto', async () => {
    expect(await getaddrinfo('localhost', 80, { family: AF_INET, type: SOCK_STREAM })).toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 80]],
    ]);
    expect(await getaddrinfo('localhost', 80, { proto: 17 })).toEqual([
      [AF_INET, SOCK_DGRAM, 17, '', ['127.0.0.1', 80]],
    ]);
    expect(await getaddrinfo('::1', null, { type: SOCK_DGRAM })).toEqual([
      [AF_INET6, SOCK_DGRAM, 17, '', ['::1', 0, 0, 0]],
    ]);
  });

  it('maps IPv4 to IPv6 with AI_V4MAPPED, else fails with EAI_ADDRFAMILY', async () => {
    expect(
      await getaddrinfo('127.0.0.1', 80, {
        family: AF_INET6,
        type: SOCK_STREAM,
        flags: AI_V4MAPPED,
      }),
    ).toEqual([[AF_INET6, SOCK_STREAM, 6, '', ['::ffff:127.0.0.1', 80, 0, 0]]]);
    const error = await gaiErrorOf(getaddrinfo('127.0.0.1', 80, { family: AF_INET6 }));
    expect([error.code, error.errno, error.message]).toEqual([
      'EAI_ADDRFAMILY',
      -9,
      '[Errno -9] Address family for hostname not supported',
    ]);
    expect((await gaiErrorOf(getaddrinfo('::1', 80, { family: AF_INET }))).errno).toBe(-9);
  });

  it('resolves service names from the services database, per socket type', async () => {
    expect(await getaddrinfo('localhost', 'http')).toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 80]],
    ]);
    expect(await getaddrinfo('localhost', 'domain')).toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 53]],
      [AF_INET, SOCK_DGRAM, 17, '', ['127.0.0.1', 53]],
    ]);
    const unknown = await gaiErrorOf(getaddrinfo('localhost', 'no-such-service'));
    expect([unknown.code, unknown.errno, unknown.message]).toEqual([
      'EAI_SERVICE',
      -8,
      '[Errno -8] Servname not supported for ai_socktype',
    ]);
    expect((await gaiErrorOf(getaddrinfo('localhost', 'http', { type: SOCK_DGRAM }))).errno).toBe(
      -8,
    );
    expect(
      (await gaiErrorOf(getaddrinfo('localhost', 'http', { flags: AI_NUMERICSERV }))).errno,
    ).toBe(-2);
  });

  it('an unknown host fails with EAI_NONAME as socket.gaierror does', async () => {
    const error = await gaiErrorOf(getaddrinfo('no-such-host.invalid', 80));
    expect(error).toBeInstanceOf(OSError);
    expect(error.name).toBe('GaiError');
    expect([error.code, error.errno, error.strerror, error.message, error.syscall]).toEqual([
      'EAI_NONAME',
      -2,
      'Name or service not known',
      '[Errno -2] Name or service not known',
      'getaddrinfo',
    ]);
    expect((await gaiErrorOf(getaddrinfo('', 80))).code).toBe('EAI_NONAME');
    expect((await gaiErrorOf(getaddrinfo(null, null))).code).toBe('EAI_NONAME');
    expect((await gaiErrorOf(getaddrinfo('localhost', 80, { family: AF_INET6 }))).code).toBe(
      'EAI_NONAME',
    );
    expect((await gaiErrorOf(getaddrinfo('localhost', 80, { flags: AI_NUMERICHOST }))).code).toBe(
      'EAI_NONAME',
    );
  });

  it('rejects bad hints as glibc does (EAI_FAMILY, EAI_SOCKTYPE, EAI_BADFLAGS)', async () => {
    expect((await gaiErrorOf(getaddrinfo('localhost', 80, { family: 99 }))).errno).toBe(-6);
    expect((await gaiErrorOf(getaddrinfo('localhost', 80, { type: 99 }))).errno).toBe(-7);
    expect(
      (await gaiErrorOf(getaddrinfo('localhost', 80, { type: SOCK_STREAM, proto: 17 }))).errno,
    ).toBe(-7);
    expect((await gaiErrorOf(getaddrinfo('localhost', 80, { flags: 0xffff }))).errno).toBe(-1);
  });

  it('names the host on the first entry with AI_CANONNAME', async () => {
    const entries = await getaddrinfo('127.0.0.1', 80, { flags: AI_CANONNAME });
    expect(entries.map((e) => e[3])).toEqual(['127.0.0.1', '', '']);
  });

  it('rejects bad arguments with TypeError or ValueError', async () => {
    const bad = (host: unknown, port: unknown, options?: unknown) =>
      getaddrinfo(host as string, port as number, options as Record<string, unknown>);
    await expect(bad(123, 80)).rejects.toThrow(TypeError);
    await expect(bad('localhost', 80.5)).rejects.toThrow(TypeError);
    await expect(bad('localhost', true)).rejects.toThrow(/port must be an integer 0-65535/);
    await expect(bad('localhost', 65536)).rejects.toThrow(ValueError);
    await expect(bad('localhost', -1)).rejects.toThrow('port must be 0-65535, got -1');
    await expect(bad('localhost', 80, { family: '2' })).rejects.toThrow(
      'family must be an integer, got "2"',
    );
    await expect(bad('localhost', 80, 2)).rejects.toThrow(TypeError);
  });

  it('cancelling the waiting task leaves nothing behind (the lookup result is dropped)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const reports: unknown[] = [];
      loop.setExceptionHandler((_loop, context) => reports.push(context));
      await cancelWhileWaiting(() => loop.getaddrinfo('localhost', 80));
      // A later lookup of the same name completes after the dropped one: nothing was reported.
      expect(await loop.getaddrinfo('localhost', 1, { type: SOCK_STREAM })).toEqual([
        [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 1]],
      ]);
      await sleep(0);
      expect(reports).toEqual([]);
    });
  });
});

describe('getnameinfo', () => {
  it("resolves 127.0.0.1:80 as socket.getnameinfo(('127.0.0.1', 80), 0)", async () => {
    expect(await getnameinfo(['127.0.0.1', 80])).toEqual(['localhost', 'http']);
    expect(await getnameinfo(['127.0.0.1', 12345], 0)).toEqual(['localhost', '12345']);
  });

  it('honours NI_NUMERICHOST, NI_NUMERICSERV and NI_DGRAM', async () => {
    expect(await getnameinfo(['127.0.0.1', 80], NI_NUMERICHOST)).toEqual(['127.0.0.1', 'http']);
    expect(await getnameinfo(['127.0.0.1', 80], NI_NUMERICSERV)).toEqual(['localhost', '80']);
    expect(await getnameinfo(['127.0.0.1', 53], NI_DGRAM)).toEqual(['localhost', 'domain']);
    expect(await getnameinfo(['127.0.0.1', 80], NI_DGRAM)).toEqual(['localhost', '80']);
  });

  it('falls back to the numeric host unless NI_NAMEREQD', async () => {
    expect(await getnameinfo(['::1', 80, 0, 0])).toEqual(['::1', 'http']);
    expect(await getnameinfo(['::1', 80])).toEqual(['::1', 'http']);
    expect(await getnameinfo(['fe80::1', 80, 0, 1], NI_NUMERICHOST)).toEqual([
      'fe80::1%lo',
      'http',
    ]);
    const error = await gaiErrorOf(getnameinfo(['::1', 80], NI_NAMEREQD));
    expect([error.code, error.errno, error.syscall]).toEqual(['EAI_NONAME', -2, 'getnameinfo']);
  });

  it('rejects a malformed sockaddr before any I/O', async () => {
    await expect(getnameinfo('127.0.0.1')).rejects.toThrow(
      /getnameinfo\(\) argument 1 must be an array/,
    );
    await expect(getnameinfo(['127.0.0.1'])).rejects.toThrow(/illegal sockaddr argument/);
    await expect(getnameinfo([1, 80])).rejects.toThrow(TypeError);
    await expect(getnameinfo(['::1', 80, 0, 0, 0])).rejects.toThrow(TypeError);
    await expect(getnameinfo(['127.0.0.1', '80'])).rejects.toThrow(TypeError);
    await expect(getnameinfo(['127.0.0.1', 70000])).rejects.toThrow(ValueError);
    await expect(getnameinfo(['::1', 80, -1, 0])).rejects.toThrow('flowinfo must be 0-1048575');
    await expect(getnameinfo(['127.0.0.1', 80, 0, 0])).rejects.toThrow(OSError);
    await expect(getnameinfo(['127.0.0.1', 80], 1.5)).rejects.toThrow(TypeError);
    expect((await gaiErrorOf(getnameinfo(['localhost', 80]))).code).toBe('EAI_NONAME');
    expect((await gaiErrorOf(getnameinfo(['127.0.0.1', 80], 0x1000))).code).toBe('EAI_BADFLAGS');
  });

  it('cancelling the waiting task cancels the lookup', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { task } = await cancelWhileWaiting(() => loop.getnameinfo(['127.0.0.1', 80]));
      expect(task.cancelled()).toBe(true);
    });
  });
});
