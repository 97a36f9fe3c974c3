import { lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { OSError, ValueError, toOSError } from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { checkPath } from './address-checks.js';
import { listen } from './listen.js';
import type { UnixServerSettings } from './server-options.js';

/**
 * Removes a stale socket file left at `path` by a server that did not clean up, as asyncio's
 * `create_unix_server` does: only a socket is removed; a missing file is fine; any other
 * failure is reported and binding goes on (and will likely fail with EADDRINUSE).
 */
async function removeStaleSocket(loop: AbstractEventLoop, path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSocket()) await unlink(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return;
    loop.callExceptionHandler({
      message: `Unable to check or remove stale UNIX socket ${JSON.stringify(path)}`,
      exception: toOSError(error),
    });
  }
}

/**
 * Makes the listening server of `createUnixServer`: binds `path` (or takes `settings.sock`).
 *
 * @throws TypeError/ValueError for a bad path, or both path and sock (or neither) given;
 *   OSError `Address ... is already in use` (code `EADDRINUSE`) and other bind failures
 */
export async function bindUnixServer(
  loop: AbstractEventLoop,
  path: unknown,
  settings: UnixServerSettings,
  makeServer: () => net.Server,
): Promise<net.Server> {
  if (path === undefined || path === null) {
    if (settings.sock === null)
      throw new ValueError('path was not specified, and no sock specified');
    if (typeof settings.sock.address() !== 'string') {
      throw new ValueError('sock must be a net.Server listening on a Unix socket path');
    }
    return settings.sock;
  }
  if (settings.sock !== null)
    throw new ValueError('path and sock can not be specified at the same time');
  const checked = checkPath(path);
  // A leading NUL names a Linux abstract socket: there is no file to remove.
  if (!checked.startsWith('\0')) await removeStaleSocket(loop, checked);
  const server = makeServer();
  try {
    await listen(server, { path: checked, backlog: settings.backlog, exclusive: true });
  } catch (error) {
    const mapped = toOSError(error);
    if (mapped.code !== 'EADDRINUSE') throw mapped;
    throw new OSError(`Address ${JSON.stringify(checked)} is already in use`, {
      cause: error,
      code: 'EADDRINUSE',
      ...(mapped.errno !== undefined && { errno: mapped.errno }),
      ...(mapped.syscall !== undefined && { syscall: mapped.syscall }),
    });
  }
  return server;
}
