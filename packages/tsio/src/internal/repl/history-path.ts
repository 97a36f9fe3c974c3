import { homedir } from 'node:os';
import { join } from 'node:path';

/** The history file in the user's home directory. */
export const HISTORY_FILE_NAME = '.tsio_repl_history';

/**
 * Where the REPL keeps its history, or `null` for none. `TSIO_REPL_HISTORY` names the file
 * (empty: no history); otherwise an empty `NODE_REPL_HISTORY` turns history off, as it does
 * for Node's own REPL (the variable is not used as a path: that file holds Node's history,
 * not tsio's); otherwise `~/.tsio_repl_history`.
 */
export function historyPath(
  env: NodeJS.ProcessEnv = process.env,
  home: () => string = homedir,
): string | null {
  const own = env['TSIO_REPL_HISTORY'];
  if (own !== undefined) return own.trim() === '' ? null : own;
  const node = env['NODE_REPL_HISTORY'];
  if (node !== undefined && node.trim() === '') return null;
  return join(home(), HISTORY_FILE_NAME);
}
