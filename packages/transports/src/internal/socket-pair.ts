import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { toOSError } from '@tsio/core';

function uniqueAddress(): string {
  const name = `tsio-pair-${process.pid}-${randomBytes(8).toString('hex')}`;
  // Linux's abstract namespace leaves no file behind; elsewhere a socket file in tmpdir,
  // which the server removes when it closes.
  return process.platform === 'linux' ? `\0${name}` : path.join(os.tmpdir(), `${name}.sock`);
}

/**
 * A connected pair of Unix stream sockets, as `socketpair()` would give (Node has no such
 * call): `[ours, theirs]`. libuv gives a child `socketpair()` ends for its `'pipe'` stdio too,
 * so handing `theirs` to a child as its stdout and stderr makes one pipe that both write to.
 *
 * @throws an OSError subclass when the sockets cannot be made.
 */
export async function socketPair(): Promise<[ours: net.Socket, theirs: net.Socket]> {
  const server = net.createServer({ pauseOnConnect: true });
  try {
    const address = uniqueAddress();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const theirs = net.connect(address);
    try {
      await new Promise<void>((resolve, reject) => {
        theirs.once('error', reject);
        theirs.once('connect', () => {
          theirs.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      theirs.destroy();
      throw error;
    }
    return [await accepted, theirs];
  } catch (error) {
    throw toOSError(error);
  } finally {
    server.close();
  }
}
