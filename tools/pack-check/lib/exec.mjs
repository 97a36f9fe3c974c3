// Runs a command and collects its output, with a time limit so a hung child cannot hang CI.
import { spawn } from 'node:child_process';

/**
 * The environment for children: ours without the npm_* variables that `npm test` sets
 * (npm_config_cache, npm_config_workspace, ...), so a scratch project's npm behaves as it does
 * for a user typing the command, not as a sub-command of the repository's npm.
 */
function cleanEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs `command args` in `cwd` and resolves to `{ code, stdout, stderr }`. With `check`, a
 * non-zero exit (or the time limit) rejects with an Error that carries the output.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, check?: boolean, env?: Record<string, string>, timeoutMs?: number }} options
 */
export function exec(command, args, { cwd, check = false, env = {}, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code: code ?? 1, stdout, stderr };
      if (check && (timedOut || code !== 0)) {
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
        reject(new CommandError(`${command} ${args.join(' ')} ${why} (in ${cwd})`, result));
      } else {
        resolve(result);
      }
    });
  });
}

/** A failed command, with its output kept for the failure report. */
export class CommandError extends Error {
  constructor(message, result) {
    super(
      `${message}\n--- stdout\n${result.stdout.trimEnd()}\n--- stderr\n${result.stderr.trimEnd()}`,
    );
    this.name = 'CommandError';
    this.result = result;
  }
}
