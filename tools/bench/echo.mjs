// echo_protocol_* and echo_streams_*: the anchors' bench 7 on tsio. A TCP echo server on
// 127.0.0.1; 10 connections each send one message, wait for the whole echo, and send the next.
// --variant protocol: `loop.createServer(() => new EchoProtocol(), '127.0.0.1', 0)`, whose
// dataReceived writes the data back; the in-process clients are tsio client Protocols.
// --variant streams: `startServer(handler, '127.0.0.1', 0)`, whose handler loops
// `reader.read(65536)` -> `writer.write(data)` -> `await writer.drain()`; the in-process
// clients use openConnection + write/drain/readexactly (py/echo.py's streams variant).
// --variant protocol-task / protocol-reader (not in the run's matrix; the streams bisection of
// docs/performance.md): a Protocol whose dataReceived wakes a task that writes the data back,
// through a Future, or through a StreamReader the task reads from; clients as for protocol.
// --client inproc: the clients run in the same loop (measures client and server together on
// one core); --client ext: the anchors' external C client (echo-client.mjs), so only the
// server is measured. ops = round trips; mib_per_s = payload MiB/s in one direction;
// cpu_user_us / cpu_system_us = this process's CPU time per round trip. The same
// work and the same JSON line as ../shared/bench-anchors' js/echo.mjs and py/echo.py.
// Usage: node tools/bench/echo.mjs [--variant protocol|streams|protocol-task|protocol-reader]
//          [--size 1024|10240|102400]
//          [--client inproc|ext] [--conns 10] [-n N] [--max-seconds 20]
import { spawn } from 'node:child_process';
import { ConnectionError } from '@tsio/core';
import { EventLoop } from '@tsio/event-loop';
import { gather } from '@tsio/futures';
import { openConnection, startServer, StreamReader } from '@tsio/streams';
import { Event } from '@tsio/sync';
import { Protocol } from '@tsio/transports';
import { emit, now, parseArgs } from './common.mjs';
import { echoClientCommand } from './echo-client.mjs';

const DEFAULT_N = { 1024: 100_000, 10240: 50_000, 102400: 20_000 };
const args = parseArgs({
  variant: 'protocol',
  size: 1024,
  client: 'inproc',
  conns: 10,
  maxSeconds: 20,
});
const VARIANTS = ['protocol', 'streams', 'protocol-task', 'protocol-reader'];
if (!VARIANTS.includes(args.variant)) {
  throw new Error(`--variant ${args.variant}: one of ${VARIANTS.join(', ')}`);
}
if (args.client !== 'inproc' && args.client !== 'ext') throw new Error('--client is inproc or ext');
const size = args.size;
const conns = args.conns;
const perConn = Math.max(1, Math.floor((args.n ?? DEFAULT_N[size] ?? 10_000) / conns));

/** The server: each chunk received is written back. */
class EchoServerProtocol extends Protocol {
  connectionMade(transport) {
    this.transport = transport;
  }
  dataReceived(data) {
    this.transport.write(data);
  }
  eofReceived() {
    return false; // close
  }
}

/**
 * A server whose data wakes a task that writes it back: through a Future the task awaits, or
 * (`viaReader`) through a StreamReader the task reads from. The layers between a Protocol and
 * a streams server, one at a time.
 */
class WakeTaskProtocol extends Protocol {
  constructor(loop, viaReader) {
    super();
    this.loop = loop;
    this.reader = viaReader ? new StreamReader({ loop }) : null;
    this.chunks = [];
    this.waiter = null;
    this.ended = false;
  }
  connectionMade(transport) {
    this.transport = transport;
    this.loop.createTask(() => (this.reader ? this.echoFromReader() : this.echoFromChunks()));
  }
  dataReceived(data) {
    if (this.reader !== null) {
      this.reader.feedData(data);
      return;
    }
    this.chunks.push(data);
    this.wake();
  }
  eofReceived() {
    return false; // close
  }
  connectionLost() {
    this.reader?.feedEof();
    this.ended = true;
    this.wake();
  }
  wake() {
    const waiter = this.waiter;
    if (waiter === null) return;
    this.waiter = null;
    waiter.setResult(undefined);
  }
  async echoFromChunks() {
    for (;;) {
      while (this.chunks.length === 0) {
        if (this.ended) return;
        this.waiter = this.loop.createFuture();
        await this.waiter;
      }
      for (const chunk of this.chunks.splice(0)) this.transport.write(chunk);
    }
  }
  async echoFromReader() {
    for (;;) {
      const data = await this.reader.read(65536);
      if (data.length === 0) return;
      this.transport.write(data);
    }
  }
}

/** One in-process client connection: perConn sequential round trips of one message. */
class EchoClientProtocol extends Protocol {
  constructor(loop, msg, deadline) {
    super();
    this.loop = loop;
    this.msg = msg;
    this.deadline = deadline;
    this.got = 0;
    this.done = 0;
    this.finished = loop.createFuture();
    this.closed = loop.createFuture();
  }
  connectionMade(transport) {
    this.transport = transport;
  }
  start() {
    this.transport.write(this.msg);
  }
  dataReceived(data) {
    this.got += data.length;
    if (this.got < size) return;
    this.got -= size;
    this.done++;
    if (this.done >= perConn || this.loop.time() >= this.deadline.at) {
      this.finished.setResult(this.done);
    } else {
      this.transport.write(this.msg);
    }
  }
  connectionLost() {
    if (!this.finished.done()) this.finished.setResult(this.done);
    this.closed.setResult(undefined);
  }
}

async function inprocClients(loop, port) {
  const msg = Buffer.alloc(size, 'x');
  const deadline = { at: Infinity };
  const protocols = [];
  for (let i = 0; i < conns; i++) {
    const [, p] = await loop.createConnection(
      () => new EchoClientProtocol(loop, msg, deadline),
      '127.0.0.1',
      port,
    );
    protocols.push(p);
  }
  const t0 = now();
  deadline.at = loop.time() + args.maxSeconds;
  for (const p of protocols) p.start();
  const counts = await gather(protocols.map((p) => p.finished));
  const seconds = now() - t0;
  for (const p of protocols) p.transport.close();
  await gather(protocols.map((p) => p.closed));
  return { roundTrips: counts.reduce((a, b) => a + b, 0), seconds };
}

/** Handlers still running, and what `allHandlersDone` waits on (set when they are all done). */
let runningHandlers = 0;
const handlersDone = new Event();

/** The streams server's handler: py/echo.py's streams_handler. */
async function streamsHandler(reader, writer) {
  runningHandlers += 1;
  try {
    for (;;) {
      const data = await reader.read(65536);
      if (data.length === 0) break;
      writer.write(data);
      await writer.drain();
    }
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;
  } finally {
    writer.close();
    runningHandlers -= 1;
    if (runningHandlers === 0) handlersDone.set();
  }
}

/** Waits until every handler has returned, so that none outlives the loop. */
async function allHandlersDone() {
  if (runningHandlers > 0) await handlersDone.wait();
}

/** In-process streams clients: py/echo.py's streams_clients. */
async function streamsClients(loop, port) {
  const msg = Buffer.alloc(size, 'x');
  const pairs = [];
  for (let i = 0; i < conns; i++) pairs.push(await openConnection('127.0.0.1', port));
  const one = async (reader, writer, deadline) => {
    let done = 0;
    while (done < perConn && loop.time() < deadline) {
      writer.write(msg);
      await writer.drain();
      await reader.readexactly(size);
      done++;
    }
    return done;
  };
  const t0 = now();
  const deadline = loop.time() + args.maxSeconds;
  const counts = await gather(pairs.map(([r, w]) => loop.createTask(() => one(r, w, deadline))));
  const seconds = now() - t0;
  for (const [, w] of pairs) w.close();
  for (const [, w] of pairs) {
    try {
      await w.waitClosed();
    } catch (error) {
      if (!(error instanceof ConnectionError)) throw error;
    }
  }
  return { roundTrips: counts.reduce((a, b) => a + b, 0), seconds };
}

async function externalClient(port, cmd) {
  const child = spawn(
    cmd[0],
    [
      ...cmd.slice(1),
      '--port',
      port,
      '--conns',
      conns,
      '--size',
      size,
      '--per-conn',
      perConn,
      '--max-seconds',
      args.maxSeconds,
    ].map(String),
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the external client ${cmd.join(' ')} exited with ${code}`);
  const rec = JSON.parse(out.trim().split('\n').pop());
  return { roundTrips: rec.round_trips, seconds: rec.seconds };
}

const external = args.client === 'ext' ? echoClientCommand() : null;
const cpuAtStart = process.cpuUsage();
const loop = new EventLoop();
const result = await loop.runUntilComplete(
  loop.createTask(async () => {
    const streams = args.variant === 'streams';
    const factory =
      args.variant === 'protocol'
        ? () => new EchoServerProtocol()
        : () => new WakeTaskProtocol(loop, args.variant === 'protocol-reader');
    const server = streams
      ? await startServer(streamsHandler, '127.0.0.1', 0)
      : await loop.createServer(factory, '127.0.0.1', 0);
    const port = server.sockets[0].address().port;
    try {
      if (external) return await externalClient(port, external.cmd);
      return streams ? await streamsClients(loop, port) : await inprocClients(loop, port);
    } finally {
      server.close();
      server.closeClients();
      await server.waitClosed();
      await allHandlersDone();
    }
  }),
);
loop.close();
// This process's CPU per round trip (with --client ext, the server's alone), start-up included.
const cpu = process.cpuUsage(cpuAtStart);
const label = size % 1024 === 0 ? `${size / 1024}KiB` : `${size}B`;
emit(
  `echo_${args.variant.replace('-', '_')}_${label}${external ? '_ext' : ''}`,
  result.roundTrips,
  result.seconds,
  {
    msg_size: size,
    conns,
    client: external ? external.label : 'inproc',
    mib_per_s: Math.round(((result.roundTrips * size) / 1048576 / result.seconds) * 100) / 100,
    cpu_user_us: Math.round((cpu.user / result.roundTrips) * 100) / 100,
    cpu_system_us: Math.round((cpu.system / result.roundTrips) * 100) / 100,
  },
);
