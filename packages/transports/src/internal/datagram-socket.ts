import { createSocket } from 'node:dgram';
import type { Socket as DgramSocket, SocketOptions } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { OSError, ValueError, toOSError } from '@tsio/core';
import { _gaiErrorFromNode } from '../gai-error.js';
import type { DatagramPlan, HostPort } from './datagram-options.js';

/**
 * Opening the dgram socket of `createDatagramEndpoint`: resolve the addresses, pair them by
 * family, then create, bind, set up and connect a socket, trying each family in turn, as
 * asyncio's `create_datagram_endpoint` does.
 */

/** A numeric address. */
export interface ResolvedAddress {
  readonly family: 4 | 6;
  readonly host: string;
  readonly port: number;
}

/** The socket made, and where it sends. */
export interface OpenedDatagramSocket {
  readonly socket: DgramSocket;
  /** remoteAddr, resolved: what `sendto` sends to and accepts; null without remoteAddr. */
  readonly remote: ResolvedAddress | null;
}

async function resolve(
  name: string,
  addr: HostPort,
  family: 0 | 4 | 6,
  hints: number,
): Promise<ResolvedAddress[]> {
  // Python's getaddrinfo(None, port) gives the loopback addresses.
  const host = addr.host ?? 'localhost';
  const numeric = isIP(host);
  if (numeric === 4 || numeric === 6) {
    if (family !== 0 && family !== numeric) {
      throw new ValueError(
        `${name} host ${JSON.stringify(host)} is an IPv${numeric} address but family is ${family}`,
      );
    }
    return [{ family: numeric, host, port: addr.port }];
  }
  let infos: { address: string; family: number }[];
  try {
    infos = await lookup(host, { all: true, family, hints });
  } catch (error) {
    // Python raises socket.gaierror; Node's ENOTFOUND is EAI_NONAME.
    throw _gaiErrorFromNode(error, 'getaddrinfo') ?? toOSError(error);
  }
  if (infos.length === 0)
    throw new OSError(`getaddrinfo(${JSON.stringify(host)}) returned empty list`);
  return infos.map((info) => ({
    family: info.family === 6 ? 6 : 4,
    host: info.address,
    port: addr.port,
  }));
}

type AddressPair = [local: ResolvedAddress | null, remote: ResolvedAddress | null];

/** Pairs local and remote addresses of the same family, in the order asyncio tries them. */
async function addressPairs(plan: DatagramPlan): Promise<AddressPair[]> {
  if (plan.localAddr === null && plan.remoteAddr === null) {
    return [[null, null]];
  }
  const byFamily = new Map<4 | 6, AddressPair>();
  const sides = [plan.localAddr, plan.remoteAddr] as const;
  for (const side of [0, 1] as const) {
    const addr = sides[side];
    if (addr === null) continue;
    const name = side === 0 ? 'localAddr' : 'remoteAddr';
    for (const info of await resolve(name, addr, plan.family, plan.hints)) {
      const pair = byFamily.get(info.family) ?? [null, null];
      pair[side] ??= info;
      byFamily.set(info.family, pair);
    }
  }
  const pairs = [...byFamily.values()].filter(
    ([local, remote]) =>
      !(plan.localAddr !== null && local === null) &&
      !(plan.remoteAddr !== null && remote === null),
  );
  if (pairs.length === 0) {
    throw new ValueError(
      'can not get address information: localAddr and remoteAddr have no address family in common',
    );
  }
  return pairs;
}

/** Runs `start` and waits for `event` or 'error' (or an error given to the callback). */
function waitFor(
  socket: DgramSocket,
  event: 'listening' | 'connect',
  start: (callback: (error?: unknown) => void) => void,
): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    const done = (error?: unknown): void => {
      socket.off('error', done);
      socket.off(event, onEvent);
      if (error === undefined || error === null) resolvePromise();
      else reject(toOSError(error));
    };
    const onEvent = (): void => done();
    socket.once('error', done);
    socket.once(event, onEvent);
    try {
      start(done);
    } catch (error) {
      done(error);
    }
  });
}

function closeQuietly(socket: DgramSocket): void {
  try {
    socket.close();
  } catch {
    // Already closed.
  }
}

async function openPair(plan: DatagramPlan, [local, remote]: AddressPair): Promise<DgramSocket> {
  const family = local?.family ?? remote?.family ?? (plan.family === 6 ? 6 : 4);
  const options: SocketOptions & { reusePort?: boolean } = {
    type: family === 6 ? 'udp6' : 'udp4',
  };
  if (plan.reusePort) options.reusePort = true;
  const socket = createSocket(options);
  try {
    // Without localAddr, asyncio leaves the socket unbound until connect or the first
    // send bind it; Node must bind first to set SO_BROADCAST, and to receive.
    if (local !== null || remote === null || plan.allowBroadcast) {
      const host = local?.host ?? (family === 6 ? '::' : '0.0.0.0');
      const port = local?.port ?? 0;
      await waitFor(socket, 'listening', () =>
        socket.bind({ port, address: host, exclusive: true }),
      );
    }
    if (plan.allowBroadcast) socket.setBroadcast(true);
    // As asyncio: a broadcasting endpoint is not connected, it sends to remoteAddr.
    if (remote !== null && !plan.allowBroadcast) {
      await waitFor(socket, 'connect', (done) => socket.connect(remote.port, remote.host, done));
    }
    return socket;
  } catch (error) {
    closeQuietly(socket);
    throw toOSError(error);
  }
}

/** Waits until a socket given as `sock` is bound (binding it to a free port if it is not). */
async function adoptSocket(socket: DgramSocket): Promise<void> {
  try {
    socket.address();
    return;
  } catch {
    // Not bound yet, binding, or closed.
  }
  try {
    await waitFor(socket, 'listening', () => socket.bind(0));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_SOCKET_ALREADY_BOUND') {
      await waitFor(socket, 'listening', () => undefined);
    } else if (code === 'ERR_SOCKET_DGRAM_NOT_RUNNING') {
      throw new ValueError('sock is closed: pass an open dgram.Socket');
    } else {
      throw error;
    }
  }
}

/**
 * Opens the socket `plan` describes (or adopts `plan.sock`).
 *
 * @throws the first family's OSError when every family failed; OSError from name resolution;
 *   ValueError when the addresses share no family
 */
export async function openDatagramSocket(plan: DatagramPlan): Promise<OpenedDatagramSocket> {
  if (plan.sock !== null) {
    await adoptSocket(plan.sock);
    return { socket: plan.sock, remote: null };
  }
  const errors: unknown[] = [];
  for (const pair of await addressPairs(plan)) {
    try {
      return { socket: await openPair(plan, pair), remote: pair[1] };
    } catch (error) {
      errors.push(error);
    }
  }
  throw errors[0];
}
