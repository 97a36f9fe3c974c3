import net from 'node:net';
import { ExceptionGroup, OSError, toOSError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { _raisePendingCancellation } from '@tsio/futures';
import { _gaiErrorFromNode } from '../gai-error.js';
import { _getaddrinfo } from '../name-resolution.js';
import type { AddrInfo } from '../name-resolution.js';

const AF_INET6 = 10;
const SOCK_STREAM = 1;

function ignoreError(): void {}

/** Node's error as Python's: a failed name lookup is a GaiError (socket.gaierror). */
function mapError(error: unknown): Error {
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  return (
    (syscall === 'getaddrinfo' ? _gaiErrorFromNode(error, 'getaddrinfo') : null) ?? toOSError(error)
  );
}

/**
 * Opens a socket with `net.connect(options)` and waits, on a loop future, for it to connect:
 * cancelling the waiting task destroys the socket. The socket is made half-open capable (the
 * protocol decides on EOF) and keeps a no-op 'error' listener, which the caller removes once
 * a transport listens (an error in between must not crash the process; the transport sees
 * the socket destroyed).
 *
 * @returns the socket and the listener to remove
 * @throws the mapped OSError (ConnectionRefusedError, FileNotFoundError...), CancelledError
 */
export async function connectSocket(
  loop: AbstractEventLoop,
  options: net.NetConnectOpts,
): Promise<net.Socket> {
  const future = loop.createFuture<void>();
  const socket = net.connect({ ...options, allowHalfOpen: true });
  const onConnect = (): void => {
    socket.off('error', onError);
    if (!future.done()) future.setResult(undefined);
  };
  const onError = (error: Error): void => {
    socket.off('connect', onConnect);
    if (future.done()) return;
    const errors = (error as Partial<AggregateError>).errors;
    // Node's happy eyeballs fails with an AggregateError of each attempt's error.
    future.setException(
      Array.isArray(errors) && errors.length > 0
        ? Object.assign(mapError(errors[0]), { attempts: errors.map(mapError) })
        : mapError(error),
    );
  };
  socket.once('connect', onConnect);
  socket.once('error', onError);
  socket.on('error', ignoreError);
  try {
    await future;
    // A cancellation that arrived after the connection was made belongs to this await too.
    _raisePendingCancellation();
  } catch (error) {
    socket.destroy();
    throw error;
  }
  return socket;
}

/** Lets go of the no-op 'error' listener `connectSocket` left; call once a transport listens. */
export function releaseSocket(socket: net.Socket): void {
  socket.off('error', ignoreError);
}

/** The errors of each attempt of an error from `connectSocket` (one, or Node's attempts). */
function attemptsOf(error: unknown): unknown[] {
  const attempts = (error as { attempts?: unknown }).attempts;
  return Array.isArray(attempts) ? attempts : [error];
}

/**
 * asyncio's report of failed connection attempts: the one error; with `allErrors`, an
 * ExceptionGroup of all; else the first when all read the same, or an OSError listing them.
 */
export function connectionFailure(errors: unknown[], allErrors: boolean): unknown {
  if (allErrors) return new ExceptionGroup('createConnection failed', errors);
  if (errors.length === 1) return errors[0];
  const texts = errors.map((e) => String(e));
  if (texts.every((t) => t === texts[0])) return errors[0];
  return new OSError(`Multiple exceptions: ${texts.join(', ')}`);
}

/** How to reach a TCP peer, checked. */
export interface TcpTarget {
  readonly host: string | null;
  readonly port: number | null;
  /** 0, 2 (IPv4) or 10 (IPv6), as Python's socket module numbers them. */
  readonly family: number;
  readonly localAddr: readonly [string | null, number | null] | null;
  /** Seconds; `null`: try the addresses one after the other, each to its end. */
  readonly happyEyeballsDelay: number | null;
  readonly allErrors: boolean;
}

async function resolve(
  loop: AbstractEventLoop,
  host: string | null,
  port: number | null,
  family: number,
): Promise<AddrInfo[]> {
  const infos = await _getaddrinfo(loop, host, port, { family, type: SOCK_STREAM });
  if (infos.length === 0) throw new OSError('getaddrinfo() returned empty list');
  return infos;
}

/**
 * Connects to a TCP peer as `loop.create_connection` does: resolves the host, then tries each
 * address in turn until one connects (binding to `localAddr` of the same family if given);
 * with `happyEyeballsDelay`, Node's own happy eyeballs (RFC 8305) races the families.
 *
 * @throws the attempts' error(s) as `connectionFailure` reports them; CancelledError
 */
export async function connectTcp(loop: AbstractEventLoop, target: TcpTarget): Promise<net.Socket> {
  const { host, port, localAddr } = target;
  if (target.happyEyeballsDelay !== null) {
    try {
      return await connectSocket(loop, {
        host: host ?? 'localhost',
        port: port ?? 0,
        ...(target.family === 0 ? {} : { family: target.family === AF_INET6 ? 6 : 4 }),
        ...(localAddr?.[0] != null ? { localAddress: localAddr[0] } : {}),
        ...(localAddr?.[1] != null ? { localPort: localAddr[1] } : {}),
        autoSelectFamily: true,
        autoSelectFamilyAttemptTimeout: Math.max(10, Math.round(target.happyEyeballsDelay * 1000)),
      });
    } catch (error) {
      const attempts = attemptsOf(error);
      throw attempts.length === 1 && !target.allErrors
        ? error
        : connectionFailure(attempts, target.allErrors);
    }
  }
  const infos = await resolve(loop, host, port, target.family);
  const locals =
    localAddr === null ? null : await resolve(loop, localAddr[0], localAddr[1], target.family);
  const errors: unknown[] = [];
  for (const [family, , , , sockaddr] of infos) {
    const local = locals?.find((info) => info[0] === family);
    if (locals !== null && local === undefined) {
      errors.push(new OSError(`no matching local address with family=${family} found`));
      continue;
    }
    try {
      return await connectSocket(loop, {
        host: sockaddr[0],
        port: sockaddr[1],
        family: family === AF_INET6 ? 6 : 4,
        autoSelectFamily: false,
        ...(local === undefined ? {} : { localAddress: local[4][0], localPort: local[4][1] }),
      });
    } catch (error) {
      if (!(error instanceof OSError)) throw error; // CancelledError, a bug
      errors.push(error);
    }
  }
  throw connectionFailure(errors, target.allErrors);
}
