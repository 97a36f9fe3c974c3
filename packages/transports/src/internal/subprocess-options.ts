import type { Stream } from 'node:stream';
import { ValueError } from '@tsio/core';
import { describeValue } from './pipe-stream.js';
import { DEVNULL, PIPE, STDOUT } from './stdio-constants.js';

/**
 * Where one of the child's standard streams goes: `PIPE` (a pipe read or written through the
 * protocol), `DEVNULL`, `'inherit'` or `null` (the parent's own stream), a file descriptor
 * number, or a Node stream backed by a descriptor (a `net.Socket`, an opened `fs` stream,
 * `process.stdout`...); for `stderr` also `STDOUT`.
 *
 * Python parity: the `stdin`/`stdout`/`stderr` arguments of `subprocess.Popen`
 */
export type StdioOption = number | 'inherit' | Stream | null;

/**
 * Options of `subprocessExec` and `subprocessShell`: asyncio's `subprocess.Popen` arguments
 * that make sense for a child with byte pipes.
 *
 * Python parity: keyword arguments of `loop.subprocess_exec` / `loop.subprocess_shell`
 */
export type SubprocessOptions = {
  /** The child's standard input; `PIPE` by default. */
  readonly stdin?: StdioOption;
  /** The child's standard output; `PIPE` by default. */
  readonly stdout?: StdioOption;
  /** The child's error output; `PIPE` by default, or `STDOUT` to merge it into stdout. */
  readonly stderr?: StdioOption;
  /** The child's working directory; the parent's by default. */
  readonly cwd?: string | URL | null;
  /** The child's whole environment; the parent's (`process.env`) by default. */
  readonly env?: Readonly<Record<string, string | undefined>> | null;
  /** Must be 0: pipe transports do not buffer in the child's file objects. */
  readonly bufsize?: number;
  /** Must be false: pipe transports carry bytes. */
  readonly universalNewlines?: boolean | null;
  /** Must be false: pipe transports carry bytes. */
  readonly text?: boolean | null;
  /** Must be null: pipe transports carry bytes. */
  readonly encoding?: string | null;
  /** Must be null: pipe transports carry bytes. */
  readonly errors?: string | null;
  /** Runs the child in a new session (`setsid()`), as Node's `detached`. */
  readonly startNewSession?: boolean;
  /** The numeric user id to run the child as. */
  readonly user?: number;
  /** The numeric group id to run the child as. */
  readonly group?: number;
};

const KEYS: ReadonlySet<string> = new Set([
  'stdin',
  'stdout',
  'stderr',
  'cwd',
  'env',
  'bufsize',
  'universalNewlines',
  'text',
  'encoding',
  'errors',
  'startNewSession',
  'user',
  'group',
]);

/** What Node's spawn gets for one stream; `'merge'` is stderr joining a stdout pipe. */
export type NodeStdio = 'pipe' | 'ignore' | 'inherit' | number | Stream | 'merge';

/** Checked options, ready for `child_process.spawn`. */
export interface ResolvedSubprocessOptions {
  readonly stdio: readonly [NodeStdio, NodeStdio, NodeStdio];
  readonly cwd?: string | URL;
  readonly env?: Record<string, string | undefined>;
  readonly detached?: boolean;
  readonly uid?: number;
  readonly gid?: number;
}

function hasDescriptor(value: object): boolean {
  const v = value as { fd?: unknown; _handle?: unknown };
  return typeof v.fd === 'number' || (typeof v._handle === 'object' && v._handle !== null);
}

function resolveStdio(name: string, value: unknown): NodeStdio {
  if (value === undefined || value === PIPE) return 'pipe';
  if (value === DEVNULL) return 'ignore';
  if (value === null || value === 'inherit') return 'inherit';
  if (value === STDOUT) {
    if (name === 'stderr') return 'merge';
    throw new ValueError(`STDOUT can only be used for stderr, not for ${name}`);
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return value;
    throw new ValueError(`${name} must be PIPE, DEVNULL or a file descriptor >= 0, got ${value}`);
  }
  if (typeof value === 'object' && hasDescriptor(value)) return value as Stream;
  throw new TypeError(
    `${name} must be PIPE, DEVNULL, ${name === 'stderr' ? 'STDOUT, ' : ''}'inherit', null, a file ` +
      `descriptor or a Node stream with a file descriptor, got ${describeValue(value)}`,
  );
}

function checkBytesMode(options: SubprocessOptions): void {
  for (const key of ['universalNewlines', 'text'] as const) {
    const value = options[key];
    if (value !== undefined && value !== null && value !== false) {
      throw new ValueError(
        `text mode is not supported: tsio pipes carry bytes (${key}: ${String(value)})`,
      );
    }
  }
  for (const key of ['encoding', 'errors'] as const) {
    const value = options[key];
    if (value !== undefined && value !== null) {
      throw new ValueError(
        `text mode is not supported: tsio pipes carry bytes (${key}: ${describeValue(value)}); decode the bytes yourself`,
      );
    }
  }
  const { bufsize } = options;
  if (bufsize !== undefined && bufsize !== 0) {
    throw new ValueError(`bufsize must be 0, got ${describeValue(bufsize)}`);
  }
}

function checkId(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(
      `${name} must be a numeric id (an integer >= 0), got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Checks the options of `subprocessExec`/`subprocessShell` (`what` names the caller) and maps
 * them to Node's spawn options.
 *
 * @throws TypeError for an unknown key or a value of the wrong type; ValueError for text mode,
 * a `bufsize` other than 0, or `STDOUT` anywhere but `stderr`.
 */
export function resolveSubprocessOptions(
  options: unknown = {},
  what: string,
): ResolvedSubprocessOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `${what} takes an options object as its last argument, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) {
      throw new TypeError(
        `${what} got an unknown option '${key}'; valid options: ${[...KEYS].join(', ')}`,
      );
    }
  }
  const o = options as SubprocessOptions;
  checkBytesMode(o);
  const stdout = resolveStdio('stdout', o.stdout);
  let stderr = resolveStdio('stderr', o.stderr);
  if (stderr === 'merge' && stdout !== 'pipe') {
    // stderr goes wherever stdout goes; 'inherit' means the parent's stdout (fd 1) here.
    stderr = stdout === 'inherit' ? 1 : stdout;
  }
  const resolved: {
    -readonly [K in keyof ResolvedSubprocessOptions]: ResolvedSubprocessOptions[K];
  } = { stdio: [resolveStdio('stdin', o.stdin), stdout, stderr] };
  if (o.cwd !== undefined && o.cwd !== null) {
    if (typeof o.cwd !== 'string' && !(o.cwd instanceof URL)) {
      throw new TypeError(`cwd must be a path string or a file: URL, got ${describeValue(o.cwd)}`);
    }
    resolved.cwd = o.cwd;
  }
  if (o.env !== undefined && o.env !== null) {
    if (typeof o.env !== 'object') {
      throw new TypeError(`env must be an object of strings, got ${describeValue(o.env)}`);
    }
    for (const [key, value] of Object.entries(o.env)) {
      if (value !== undefined && typeof value !== 'string') {
        throw new TypeError(`env.${key} must be a string, got ${describeValue(value)}`);
      }
    }
    resolved.env = { ...o.env };
  }
  if (o.startNewSession !== undefined) {
    if (typeof o.startNewSession !== 'boolean') {
      throw new TypeError(
        `startNewSession must be a boolean, got ${describeValue(o.startNewSession)}`,
      );
    }
    resolved.detached = o.startNewSession;
  }
  const uid = checkId('user', o.user);
  if (uid !== undefined) resolved.uid = uid;
  const gid = checkId('group', o.group);
  if (gid !== undefined) resolved.gid = gid;
  return resolved;
}
