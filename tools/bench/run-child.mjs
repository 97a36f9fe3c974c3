// Runs one benchmark script in a child process and returns its JSON result line, or why there
// is none. Progress goes to stderr, so that stdout stays the table.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { formatOps } from './common.mjs';

/**
 * Runs `program [...flags] script ...args` in `cwd`. `shownProgram` names the program in the
 * returned command (a runtime's version rather than a machine-specific path).
 * Returns `{ command, record, error }`: record is the parsed JSON line when error is null.
 */
export function runChild({ program, shownProgram, flags = [], script, args, cwd, timeoutMs, env }) {
  const command = [shownProgram, ...flags, path.relative(cwd, script), ...args].join(' ');
  process.stderr.write(`  ${command} ... `);
  const r = spawnSync(program, [...flags, script, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
    env,
  });
  const last = (r.stdout ?? '')
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  let record = null;
  try {
    record = last ? JSON.parse(last) : null;
  } catch {
    record = null;
  }
  const stderr = (r.stderr ?? '').trim();
  let error = null;
  if (r.error)
    error =
      r.error.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : r.error.message;
  else if (r.status !== 0) error = `exit code ${r.status ?? r.signal}`;
  else if (record === null) error = 'printed no JSON result line';
  else if (!(record.n > 0) || typeof record.seconds !== 'number')
    error = `bad result line: ${last}`;
  if (error === null) {
    const extra = record.bytes_per_task === undefined ? '' : `, ${record.bytes_per_task} B/task`;
    process.stderr.write(`${formatOps(record.ops_per_s)} ops/s${extra}\n`);
  } else {
    process.stderr.write(`FAILED: ${error}\n`);
  }
  if (/ERR_MODULE_NOT_FOUND/.test(stderr) && /@tsio[/\\]/.test(stderr)) {
    const first = stderr.split('\n').find((l) => /Error \[ERR_MODULE_NOT_FOUND\]/.test(l)) ?? '';
    process.stderr.write(`    ${first.trim()}\n`);
    process.stderr.write(
      '    the tsio packages are not built: run `npm run bench` (it builds first)\n',
    );
  } else if (stderr !== '') {
    const tail = stderr.split('\n').slice(-15).join('\n    ');
    process.stderr.write(`    ${tail}\n`);
  }
  return { command, record: error === null ? record : null, error };
}
