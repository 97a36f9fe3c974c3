// The `tsio` command: Node's REPL on a running tsio loop (asyncio's `python -m asyncio`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tsio from '../src/index.js';
import { historyPath } from '../src/internal/repl/history-path.js';
import { buildBin, hasScript, ReplSession } from './repl-session.js';

const TIMEOUT = 30_000;
const sessions: ReplSession[] = [];

async function start(kind: 'piped' | 'dumb' | 'xterm' = 'piped'): Promise<ReplSession> {
  const session = kind === 'piped' ? await ReplSession.piped() : await ReplSession.onTerminal(kind);
  sessions.push(session);
  return session;
}

beforeAll(() => buildBin(), 120_000);

afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
});

describe('tsio REPL on piped stdin', () => {
  it(
    'prints a banner, and top-level await of sleep prints its value',
    async () => {
      const repl = await start();
      expect(repl.output).toMatch(/^tsio REPL \d+\.\d+\.\d+\S* on Node v\d+/);
      expect(repl.output).toContain('Use "await" directly');
      expect(await repl.run("await sleep(0.1, 'hello')")).toBe("'hello'\n");
      expect(await repl.end()).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    'has every public name of tsio in scope, and the namespace as `tsio`',
    async () => {
      const repl = await start();
      expect(await repl.run('typeof TaskGroup')).toBe("'function'\n");
      expect(await repl.run('Object.keys(tsio).length')).toContain(
        String(Object.keys(tsio).length),
      );
      const missing = 'Object.keys(tsio).filter((name) => globalThis[name] !== tsio[name])';
      expect(await repl.run(`JSON.stringify(${missing})`)).toBe("'[]'\n");
      expect(await repl.run('Event === tsio.Event && Queue === tsio.Queue')).toBe('true\n');
      await repl.end();
    },
    TIMEOUT,
  );

  it(
    'runs each statement as a task on the running loop',
    async () => {
      const repl = await start();
      expect(await repl.run('currentTask().getName()')).toMatch(/^'REPL-\d+'\n$/);
      expect(await repl.run('await sleep(0); currentTask().getName()')).toMatch(/'REPL-\d+'/);
      expect(await repl.run('getRunningLoop().isRunning()')).toBe('true\n');
      // asyncio's REPL: run() cannot nest in the running loop.
      expect(await repl.run('run(async () => 1)')).toContain('cannot be called from a running');
      await repl.end();
    },
    TIMEOUT,
  );

  it(
    'keeps a task made with createTask running between prompts',
    async () => {
      const repl = await start();
      await repl.run(
        "ticks = 0; bg = createTask(async () => { for (;;) { await sleep(0.01); if (++ticks === 6) console.log('ticked while idle') } })",
      );
      // Idle at the prompt: no statement runs, the loop still does. (The statement printed its
      // prompt before the task's first tick, so the sixth comes after it.)
      await repl.waitForOutput(/tsio> ticked while idle\n$/);
      expect(await repl.run('bg')).toMatch(/^<Task pending name='Task-\d+'/);
      expect(await repl.run('ticks > 5')).toBe('true\n');
      expect(await repl.run('bg.done()')).toBe('false\n');
      await repl.end();
    },
    TIMEOUT,
  );

  it(
    'keeps top-level declarations made with await',
    async () => {
      const repl = await start();
      await repl.run('const { a, b } = await sleep(0.01, { a: 20, b: 22 })');
      expect(await repl.run('a + b')).toBe('42\n');
      await repl.end();
    },
    TIMEOUT,
  );

  it(
    'prints the error of a statement and goes on',
    async () => {
      const repl = await start();
      const sync = await repl.run("throw new Error('boom')");
      expect(sync).toMatch(/^Uncaught Error: boom\n\s+at REPL\d+:/);
      // The frames of the REPL and the loop below the statement are not shown.
      expect(sync).not.toContain('runInThisContext');
      expect(await repl.run('1 + 1')).toBe('2\n');
      const late = "await (async () => { await sleep(0.01); throw new TypeError('late') })()";
      expect(await repl.run(late)).toMatch(/^Uncaught TypeError: late/);
      expect(await repl.run('2 + 2')).toBe('4\n');
      expect(await repl.end()).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    'runs statements that arrive together one after the other, in order',
    async () => {
      const repl = await start();
      repl.send("await sleep(0.2, 'first')\n'second'\n");
      await repl.waitForPrompts(3);
      expect(repl.output).toMatch(/'first'\ntsio> 'second'\ntsio> $/);
      await repl.end();
    },
    TIMEOUT,
  );

  it(
    'Ctrl-C (SIGINT) cancels the running statement, not the session nor its tasks',
    async () => {
      const repl = await start();
      await repl.run('bg = createTask(() => sleep(30))');
      const prompts = repl.prompts();
      await repl.startStatement('await sleep(60)', 'sleeping');
      repl.child.kill('SIGINT');
      await repl.waitForPrompts(prompts + 1);
      expect(repl.output.endsWith('KeyboardInterrupt\ntsio> ')).toBe(true);
      expect(await repl.run('bg.done()')).toBe('false\n');
      // The CancelledError lands at the statement's await, where it can be caught.
      await repl.startStatement('try { await sleep(60) } catch (e) { caught = e.name }', 'trying');
      repl.child.kill('SIGINT');
      await repl.waitForOutput(/undefined\ntsio> $/);
      expect(await repl.run('caught')).toBe("'CancelledError'\n");
      expect(await repl.end()).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    'Ctrl-C stops a statement busy in synchronous code, and a second one a statement tsio cannot cancel',
    async () => {
      const repl = await start();
      let prompts = repl.prompts();
      await repl.startStatement('while (true) {}', 'spinning', { sync: true });
      repl.child.kill('SIGINT');
      await repl.waitForPrompts(prompts + 1);
      expect(repl.output.endsWith('KeyboardInterrupt\ntsio> ')).toBe(true);
      prompts = repl.prompts();
      // A native promise ignores the task's cancellation: the second Ctrl-C stops waiting.
      await repl.startStatement(
        'await new Promise((resolve) => setTimeout(resolve, 60_000))',
        'waiting natively',
      );
      repl.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(repl.prompts()).toBe(prompts);
      repl.child.kill('SIGINT');
      await repl.waitForPrompts(prompts + 1);
      expect(repl.output.endsWith('KeyboardInterrupt\ntsio> ')).toBe(true);
      expect(await repl.run("'still here'")).toBe("'still here'\n");
      expect(await repl.end()).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    'Ctrl-C at the prompt does what it does in Node: a hint, then a second one exits',
    async () => {
      const repl = await start();
      repl.child.kill('SIGINT');
      await repl.waitForOutput(/To exit, press Ctrl\+C again/);
      await repl.waitForPrompts(2);
      repl.child.kill('SIGINT');
      expect(await repl.exited).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    'Ctrl-C as soon as the banner shows (before the prompt) is a Ctrl-C, not the end of the process',
    async () => {
      const session = await ReplSession.piped('banner');
      sessions.push(session);
      session.child.kill('SIGINT');
      // The hint and the prompt after it are two writes, which can arrive apart: wait for both,
      // or run() would count that prompt as the end of its statement.
      await session.waitForOutput(/To exit, press Ctrl\+C again[^\n]*\ntsio> $/);
      expect(await session.run("'still here'")).toBe("'still here'\n");
      expect(await session.end()).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    'EOF ends the session cleanly: remaining tasks are cancelled and awaited, exit code 0',
    async () => {
      const repl = await start();
      await repl.run(
        "bg = createTask(async () => { try { await sleep(60) } finally { console.log('bg cleaned up') } })",
      );
      // Still queued when the input ends: it runs before the session closes.
      repl.send("await sleep(0.1, 'last statement')\n");
      const started = Date.now();
      expect(await repl.end()).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(repl.output).toMatch(/'last statement'\n[^]*bg cleaned up\n/);
      expect(repl.stderr).toBe('');
    },
    TIMEOUT,
  );
});

describe.each(hasScript() ? ['terminal'] : [])('tsio REPL on a %s', () => {
  it(
    'Ctrl-C cancels the running statement; history goes to ~/.tsio_repl_history',
    async () => {
      const repl = await start('dumb');
      expect(await repl.run("await sleep(0.05, 'hello')")).toContain("'hello'");
      const prompts = repl.prompts();
      const sleeping = await repl.startStatement('await sleep(60)', 'sleeping');
      repl.send('\u0003');
      await repl.waitForPrompts(prompts + 1);
      expect(repl.output).toMatch(/KeyboardInterrupt\r?\ntsio> $/);
      expect(await repl.run('1 + 1')).toContain('2');
      expect(await repl.end()).toEqual({ code: 0, signal: null });
      const history = readFileSync(path.join(repl.home, '.tsio_repl_history'), 'utf8');
      expect(history.split('\n')).toEqual(expect.arrayContaining(['1 + 1', sleeping]));
    },
    TIMEOUT,
  );

  it(
    'completes tsio names with Tab',
    async () => {
      const repl = await start('xterm');
      repl.send('TaskGr\t');
      await repl.waitForOutput(/TaskGroup/);
      repl.send('\u0015\u0004'); // Ctrl-U clears the line, Ctrl-D ends the session
      expect(await repl.exited).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );
});

describe('history file', () => {
  it('is ~/.tsio_repl_history unless turned off or moved', () => {
    const home = (): string => '/home/someone';
    expect(historyPath({}, home)).toBe('/home/someone/.tsio_repl_history');
    expect(historyPath({ TSIO_REPL_HISTORY: '' }, home)).toBeNull();
    expect(historyPath({ TSIO_REPL_HISTORY: '/tmp/h' }, home)).toBe('/tmp/h');
    expect(historyPath({ NODE_REPL_HISTORY: '' }, home)).toBeNull();
    expect(historyPath({ NODE_REPL_HISTORY: '/elsewhere' }, home)).toBe(
      '/home/someone/.tsio_repl_history',
    );
  });
});
