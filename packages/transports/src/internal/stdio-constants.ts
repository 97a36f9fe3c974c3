/**
 * For `stdin`, `stdout` or `stderr` of `subprocessExec`/`subprocessShell`: connect that
 * stream of the child to a pipe, read and written through the protocol (the default).
 *
 * Python parity: `asyncio.subprocess.PIPE`
 */
export const PIPE = -1;

/**
 * For `stderr` of `subprocessExec`/`subprocessShell`: send the child's error output where
 * its standard output goes (into the same pipe, delivered as fd 1).
 *
 * Python parity: `asyncio.subprocess.STDOUT`
 */
export const STDOUT = -2;

/**
 * For `stdin`, `stdout` or `stderr` of `subprocessExec`/`subprocessShell`: connect that
 * stream of the child to the null device (`/dev/null`).
 *
 * Python parity: `asyncio.subprocess.DEVNULL`
 */
export const DEVNULL = -3;
