// Runs the built examples (examples/dist) as a user would: the echo server with its client and
// with raw sockets, and the chat server with several clients. tools/test-all.sh runs this
// after the build (`node --test examples/test/*.test.mjs`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const children = new Set();

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `dist/<name>.js args`; resolves with the child, its output so far, and an `exit` promise. */
function start(name, args = [], stdin = 'ignore') {
  const child = spawn(process.execPath, [path.join(dist, `${name}.js`), ...args], {
    stdio: [stdin, 'pipe', 'pipe'],
  });
  children.add(child);
  const proc = { child, stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d) => (proc.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (proc.stderr += d));
  proc.exit = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return proc;
}

/** Waits until the output of `proc` matches `re`; returns the match. */
async function waitFor(proc, re) {
  for (;;) {
    const m = re.exec(proc.stdout);
    if (m) return m;
    const ended = await Promise.race([
      proc.exit.then(() => true),
      new Promise((resolve) => proc.child.stdout.once('data', () => resolve(false))),
    ]);
    if (ended && !re.test(proc.stdout)) {
      assert.fail(`exited before printing ${re}:\n${proc.stdout}\n${proc.stderr}`);
    }
  }
}

/** Starts a server example on a free port; returns the process and the port. */
async function startServer(name) {
  const proc = start(name, ['--port', '0']);
  const m = await waitFor(proc, /server on 127\.0\.0\.1:(\d+)/);
  return { proc, port: Number(m[1]) };
}

/** Stops a server example with Ctrl-C; it must exit 0 and say so. */
async function stop(proc, name) {
  proc.child.kill('SIGINT');
  const { code } = await proc.exit;
  assert.equal(code, 0, proc.stderr);
  assert.match(proc.stdout, new RegExp(`${name} stopped`));
}

/** A raw TCP client reading lines. */
class LineClient {
  constructor(port) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.buffer = '';
    this.lines = [];
    this.waiters = [];
    this.ended = new Promise((resolve) => this.socket.on('end', resolve));
    this.socket.on('data', (d) => {
      this.buffer += d;
      let i;
      while ((i = this.buffer.indexOf('\n')) !== -1) {
        this.lines.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 1);
      }
      while (this.waiters.length > 0 && this.lines.length > 0) {
        this.waiters.shift()(this.lines.shift());
      }
    });
  }
  /** The next line received. */
  line() {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  send(text) {
    this.socket.write(text);
  }
}

describe('echo server', () => {
  test('echoes the echo client stdin, line by line', async () => {
    const { proc, port } = await startServer('echo-server');
    const client = start('echo-client', ['--port', String(port)], 'pipe');
    client.child.stdin.end('hello\nworld, with ünïcode\nno newline');
    const { code } = await client.exit;
    assert.equal(code, 0, client.stderr);
    assert.equal(client.stdout, 'echo: hello\necho: world, with ünïcode\necho: no newline');
    await waitFor(proc, /disconnected/);
    await stop(proc, 'echo server');
  });

  test('echoes 1 MiB from a raw socket, and several clients at once', async () => {
    const { proc, port } = await startServer('echo-server');
    const payload = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
    const echo = async () => {
      const socket = net.connect(port, '127.0.0.1');
      const chunks = [];
      socket.on('data', (d) => chunks.push(d));
      socket.end(payload); // writes, then end of file: the server echoes and closes
      await new Promise((resolve, reject) => {
        socket.on('close', resolve);
        socket.on('error', reject);
      });
      return Buffer.concat(chunks);
    };
    const results = await Promise.all([echo(), echo(), echo()]);
    for (const r of results) assert.ok(r.equals(payload));
    await stop(proc, 'echo server');
  });

  test('Ctrl-C stops it while clients are connected', async () => {
    const { proc, port } = await startServer('echo-server');
    const client = new LineClient(port);
    client.send('still here\n');
    assert.equal(await client.line(), 'still here');
    await stop(proc, 'echo server');
    await client.ended; // the server closed the connection
  });
});

describe('chat server', () => {
  test('each line goes to every other client; /quit leaves', async () => {
    const { proc, port } = await startServer('chat-server');
    const alice = new LineClient(port);
    assert.match(await alice.line(), /^welcome, guest1!/);
    const bob = new LineClient(port);
    assert.match(await bob.line(), /^welcome, guest2!/);
    assert.equal(await alice.line(), '* guest2 joined');
    const carol = new LineClient(port);
    assert.match(await carol.line(), /^welcome, guest3!/);
    assert.equal(await alice.line(), '* guest3 joined');
    assert.equal(await bob.line(), '* guest3 joined');

    alice.send('hello, room\n');
    assert.equal(await bob.line(), '<guest1> hello, room');
    assert.equal(await carol.line(), '<guest1> hello, room');
    bob.send('hi al');
    bob.send('ice\n'); // one line, sent in two pieces
    assert.equal(await alice.line(), '<guest2> hi alice');
    assert.equal(await carol.line(), '<guest2> hi alice');

    carol.send('/quit\n');
    assert.equal(await carol.line(), 'bye');
    await carol.ended;
    assert.equal(await alice.line(), '* guest3 left');
    assert.equal(await bob.line(), '* guest3 left');

    bob.socket.destroy(); // leaving without /quit
    assert.equal(await alice.line(), '* guest2 left');
    assert.deepEqual(alice.lines, []); // alice never got her own line back

    await stop(proc, 'chat server'); // alice is still connected
    await alice.ended;
  });

  test('a line over the limit is refused, and the client can go on', async () => {
    const { proc, port } = await startServer('chat-server');
    const alice = new LineClient(port);
    await alice.line();
    const bob = new LineClient(port);
    await bob.line();
    await alice.line(); // * guest2 joined
    alice.send(`${'x'.repeat(5000)}\n`);
    assert.equal(await alice.line(), '* line too long (over 4096 bytes)');
    alice.send('short again\n');
    // Had the long line arrived in pieces, its tail after the limit would be a line of its own.
    let line;
    do line = await bob.line();
    while (line.startsWith('<guest1> x'));
    assert.equal(line, '<guest1> short again');
    await stop(proc, 'chat server');
  });
});

describe('the examples of docs/streams.md', () => {
  /** Runs `dist/<name>.js` to its end; returns its output. */
  async function runToEnd(name) {
    const proc = start(name);
    const { code } = await proc.exit;
    assert.equal(code, 0, proc.stderr);
    return proc.stdout;
  }

  test('streams-limits', async () => {
    assert.equal(
      await runToEnd('streams-limits'),
      [
        'readuntil: LimitOverrunError, separator at offset 34',
        'next line: short',
        'readline: ValueError, the long line is dropped',
        'next line: short',
        '',
      ].join('\n'),
    );
  });

  test('streams-timeouts', async () => {
    assert.equal(await runToEnd('streams-timeouts'), 'no answer within 0.1 s\nanswer: forty-two\n');
  });

  test('streams-interop', async () => {
    assert.equal(
      await runToEnd('streams-interop'),
      '1000 lines in the file\nechoed 8890 characters, same as the file: true\n',
    );
  });

  test('subprocess-pipeline', async () => {
    assert.equal(
      await runToEnd('subprocess-pipeline'),
      [
        'sorted: apple apple banana cherry fig pear (exit 0)',
        ...['apple', 'banana', 'cherry', 'fig', 'pear'].map((w) => `unique: ${w}`),
        'exit 0',
        '',
      ].join('\n'),
    );
  });
});
