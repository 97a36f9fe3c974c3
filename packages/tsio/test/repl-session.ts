// Drives the built `tsio` command (dist/bin.js) as a user would: through piped stdin, or
// through a pseudo-terminal made by util-linux `script` (no native module needed).
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const packageDir = path.resolve(__dirname, '..');
export const BIN = path.join(packageDir, 'dist', 'bin.js');
const PROMPT = 'tsio> ';
const WAIT_MS = 10_000;

/**
 * Builds dist/ (incremental: nearly free when nx has just built it), so that the tests never
 * run an old bin.
 */
export function buildBin(): void {
  execFileSync('npx', ['--no-install', 'tsc', '-b', 'tsconfig.build.json'], {
    cwd: packageDir,
    stdio: 'inherit',
  });
}

/** Whether util-linux `script` is there to give the REPL a pseudo-terminal. */
export function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running REPL process and everything it printed. */
export class ReplSession {
  readonly child: ChildProcessWithoutNullStreams;
  readonly home: string;
  readonly exited: Promise<Exit>;
  output = '';
  stderr = '';
  readonly #newline: string;

  private constructor(child: ChildProcessWithoutNullStreams, home: string, newline: string) {
    this.child = child;
    this.home = home;
    this.#newline = newline;
    child.stdout.setEncoding('utf8').on('data', (data: string) => (this.output += data));
    child.stderr.setEncoding('utf8').on('data', (data: string) => (this.stderr += data));
    this.exited = new Promise((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
  }

  /**
   * Starts `node dist/bin.js` with piped stdin, history off and HOME in a temp folder, and
   * waits for the first prompt (`until: 'banner'`: only for the banner's first output).
   */
  static async piped(until: 'prompt' | 'banner' = 'prompt'): Promise<ReplSession> {
    const home = mkdtempSync(path.join(tmpdir(), 'tsio-repl-'));
    const child = spawn(process.execPath, [BIN], {
      env: { ...process.env, HOME: home, TSIO_REPL_HISTORY: '', NODE_REPL_HISTORY: '' },
    });
    const session = new ReplSession(child, home, '\n');
    if (until === 'prompt') await session.waitForPrompts(1);
    else await session.waitForOutput(/tsio REPL/);
    return session;
  }

  /**
   * Starts it on a pseudo-terminal (`script -qfec`), with HOME in a temp folder. A 'dumb'
   * terminal gets no redrawing (so prompts can be counted); 'xterm' gets line editing.
   */
  static async onTerminal(term: 'dumb' | 'xterm' = 'dumb'): Promise<ReplSession> {
    const home = mkdtempSync(path.join(tmpdir(), 'tsio-repl-'));
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TERM: term };
    delete env['TSIO_REPL_HISTORY'];
    delete env['NODE_REPL_HISTORY'];
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env });
    const session = new ReplSession(child, home, '\r');
    await session.waitForPrompts(1);
    return session;
  }

  /** How many prompts were printed so far. */
  prompts(): number {
    return this.output.split(PROMPT).length - 1;
  }

  /** Waits until `count` prompts were printed. */
  async waitForPrompts(count: number): Promise<void> {
    await this.waitFor(() => this.prompts() >= count, `${count} prompts`);
  }

  /** Waits until the output matches `pattern`. */
  async waitForOutput(pattern: RegExp): Promise<void> {
    await this.waitFor(() => pattern.test(this.output), String(pattern));
  }

  /** Types `line`, waits for the next prompt, and returns what the statement printed. */
  async run(line: string): Promise<string> {
    const before = this.prompts();
    const start = this.output.length;
    this.send(line + this.#newline);
    await this.waitForPrompts(before + 1);
    const printed = this.output.slice(start);
    return printed.slice(0, printed.lastIndexOf(PROMPT)).replaceAll('\r', '');
  }

  /**
   * Types `statement` and waits until it runs; returns the line typed. By default the line
   * first awaits `sleep(0)`, then prints `marker`: once the marker shows, Node's eval of the
   * line has returned (a SIGINT is tsio's again, not the watchdog's of Node's REPL, which drops
   * one that comes as the synchronous part ends), and by the time the process handles a signal
   * sent now, the statement waits at its own `await`. With `sync`, the marker is printed in the
   * synchronous part, for a statement that never leaves it (`while (true) {}`).
   */
  async startStatement(
    statement: string,
    marker: string,
    { sync = false }: { sync?: boolean } = {},
  ): Promise<string> {
    const from = this.output.length;
    const line = `${sync ? '' : 'await sleep(0); '}console.log(${JSON.stringify(marker)}); ${statement}`;
    this.send(line + this.#newline);
    // The marker's own line: a terminal's echo of the input has it in quotes.
    const printed = new RegExp(`${marker}\\r?\\n`);
    await this.waitFor(() => printed.test(this.output.slice(from)), marker);
    return line;
  }

  /** Writes raw input, without waiting. */
  send(text: string): void {
    this.child.stdin.write(text);
  }

  /** Ends the input (Ctrl-D on a terminal, EOF on a pipe) and waits for the process to end. */
  async end(): Promise<Exit> {
    if (this.#newline === '\r') this.send('\u0004');
    else this.child.stdin.end();
    return this.exited;
  }

  /** Kills the process if a test left it running, and removes its HOME. */
  dispose(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    rmSync(this.home, { recursive: true, force: true });
  }

  private async waitFor(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!done()) {
      const { exitCode, signalCode } = this.child;
      if (Date.now() > deadline || exitCode !== null || signalCode !== null) {
        const ended = exitCode !== null || signalCode !== null;
        throw new Error(
          `REPL: no ${what}` +
            (ended ? ` (the process ended: code ${exitCode}, signal ${signalCode})` : '') +
            `; output so far:\n${this.output}\nstderr:\n${this.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
