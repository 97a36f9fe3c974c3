import { getRunningLoop } from '@tsio/core';
import type { ExceptionContext } from '@tsio/core';
import { createSubprocessExec } from '../../src/index.js';
import type { CreateSubprocessOptions, Process } from '../../src/index.js';

/** `text` as UTF-8 bytes. */
export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
/** `bytes` as UTF-8 text. */
export const dec = (bytes: Uint8Array | null): string =>
  bytes === null ? '<null>' : new TextDecoder().decode(bytes);

const started: Process[] = [];

/** Starts `node -e script` (a real child); `killStarted()` kills whatever is left running. */
export async function node(
  script: string,
  options?: CreateSubprocessOptions,
  args: readonly string[] = [],
): Promise<Process> {
  const proc = await createSubprocessExec(process.execPath, ['-e', script, ...args], options);
  started.push(proc);
  return proc;
}

/** Remembers `proc` for `killStarted()`. */
export function track(proc: Process): Process {
  started.push(proc);
  return proc;
}

/** Kills the children a test left running (after a failure), so that none outlives jest. */
export function killStarted(): void {
  for (const proc of started.splice(0)) {
    if (proc.returncode !== null) continue;
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Records what reaches the running loop's exception handler. */
export function recordExceptions(): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, context) => seen.push(context));
  return seen;
}

/**
 * The script of a child that installs a SIGUSR1 handler running `onSignal`, then prints
 * "ready" (read it before signalling), runs `after`, and stays alive.
 */
export function onSigusr1(onSignal: string, after = ''): string {
  return (
    `process.on('SIGUSR1', () => { ${onSignal} }); process.stdout.write('ready\\n'); ` +
    `${after}; setInterval(() => {}, 1000);`
  );
}
