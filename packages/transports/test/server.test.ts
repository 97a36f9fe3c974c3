import { describe, expect, it } from '@jest/globals';
import { CancelledError, RuntimeError, getRunningLoop } from '@tsio/core';
import type { AbstractServer, ExceptionContext } from '@tsio/core';
import { createTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { Server } from '../src/index.js';
import {
  Recorder,
  connectClient,
  connectFails,
  firstData,
  portOf,
  readToEnd,
  recorders,
} from './helpers/server-helpers.js';

const HOST = '127.0.0.1';

async function listen(
  factory: () => Recorder,
  options: Record<string, unknown> = {},
): Promise<AbstractServer> {
  return getRunningLoop().createServer(factory, HOST, 0, options);
}

describe('Server', () => {
  it('tells its sockets, loop and state (test_server_repr, test_get_loop)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop);
      const server = await listen(factory);
      expect(server).toBeInstanceOf(Server);
      expect(server.getLoop()).toBe(loop);
      expect(server.isServing()).toBe(true);
      expect(server.sockets).toHaveLength(1);
      const port = portOf(server.sockets[0]);
      expect(port).toBeGreaterThan(0);
      expect(String(server)).toBe(`<Server sockets=[127.0.0.1:${port}]>`);
      server.close();
      expect(server.isServing()).toBe(false);
      expect(server.sockets).toEqual([]);
      expect(String(server)).toBe('<Server sockets=[]>');
      server.close(); // twice: nothing
      await server.waitClosed();
      expect(await connectFails({ host: HOST, port })).toBe('ECONNREFUSED');
    });
  });

  it('keeps accepted connections open after close (asyncio 3.13)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, connected } = recorders(loop, true);
      const server = await listen(factory);
      const client = await connectClient({ host: HOST, port: portOf(server.sockets[0]) });
      const protocol = await connected(0);
      server.close();
      expect(server.sockets).toEqual([]);
      const echoed = firstData(client);
      client.write('still here');
      expect(await echoed).toBe('still here');
      expect(protocol.events).toEqual(['made', 'data:still here']);
      const ended = readToEnd(client);
      client.end();
      await ended;
      await server.waitClosed();
      expect(protocol.events).toEqual(['made', 'data:still here', 'eof', 'lost:null']);
    });
  });

  it('waitClosed waits for close, then for every client (test_wait_closed_basic)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, connected } = recorders(loop);
      const server = await listen(factory);
      const client = await connectClient({ host: HOST, port: portOf(server.sockets[0]) });
      const trace: string[] = [];
      const waiting = createTask(async () => {
        await server.waitClosed();
        trace.push('waited');
      });
      await connected(0);
      await sleep(0.05);
      expect(trace).toEqual([]); // open server: waits
      server.close();
      await sleep(0.05);
      expect(trace).toEqual([]); // closed, one client left: waits
      trace.push('client closes');
      client.end();
      await waiting;
      expect(trace).toEqual(['client closes', 'waited']);
      await server.waitClosed(); // done: returns at once
    });
  });

  it('waitClosed returns at once when closed without clients (test_wait_closed_race)', async () => {
    await run(async () => {
      const { factory } = recorders(getRunningLoop());
      const server = await listen(factory);
      const waiting = createTask(() => server.waitClosed());
      await sleep(0);
      expect(waiting.done()).toBe(false);
      server.close();
      await waiting;
      await server.waitClosed();
    });
  });

  it('closeClients closes every connection (test_close_clients)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, made, connected } = recorders(loop);
      const server = await listen(factory);
      const port = portOf(server.sockets[0]);
      const clients = [
        await connectClient({ host: HOST, port }),
        await connectClient({ host: HOST, port }),
      ];
      const ends = clients.map(readToEnd);
      await Promise.all([connected(0), connected(1)]);
      expect(made).toHaveLength(2);
      server.close();
      server.closeClients();
      await server.waitClosed();
      expect(made.map((p) => p.events.at(-1))).toEqual(['lost:null', 'lost:null']);
      expect((await Promise.all(ends)).map(([text]) => text)).toEqual(['', '']);
    });
  });

  it('abortClients aborts every connection (test_abort_clients)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, connected } = recorders(loop);
      const server = await listen(factory);
      const port = portOf(server.sockets[0]);
      const client = await connectClient({ host: HOST, port });
      const ended = readToEnd(client);
      const protocol = await connected(0);
      server.abortClients();
      expect(protocol.transport?.isClosing()).toBe(true);
      await protocol.lost;
      await ended;
      server.close();
      await server.waitClosed();
    });
  });

  it('waits for startServing() when made with startServing: false (test_start_serving)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, made } = recorders(loop, true);
      const server = await listen(factory, { startServing: false });
      expect(server.isServing()).toBe(false);
      const client = await connectClient({ host: HOST, port: portOf(server.sockets[0]) });
      client.write('early');
      await sleep(0.1);
      expect(made).toHaveLength(0); // held until startServing()
      const echoed = firstData(client);
      await server.startServing();
      expect(server.isServing()).toBe(true);
      await server.startServing(); // idempotent
      expect(await echoed).toBe('early');
      expect(made).toHaveLength(1);
      client.destroy();
      server.close();
      await server.waitClosed();
      await expect(server.startServing()).rejects.toThrow(RuntimeError);
    });
  });

  it('drops connections held for startServing() when closed first', async () => {
    await run(async () => {
      const { factory, made } = recorders(getRunningLoop());
      const server = await listen(factory, { startServing: false });
      const client = await connectClient({ host: HOST, port: portOf(server.sockets[0]) });
      const ended = readToEnd(client);
      await sleep(0.05);
      server.close();
      await ended;
      await server.waitClosed();
      expect(made).toHaveLength(0);
    });
  });

  it('serveForever() closes the server when its task is cancelled (test_serve_forever)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory } = recorders(loop);
      const server = await listen(factory, { startServing: false });
      const serving = createTask(() => server.serveForever());
      await sleep(0);
      expect(server.isServing()).toBe(true);
      await expect(server.serveForever()).rejects.toThrow(/already being awaited on serveForever/);
      serving.cancel();
      await expect(serving).rejects.toBeInstanceOf(CancelledError);
      expect(serving.cancelled()).toBe(true);
      expect(server.isServing()).toBe(false);
      expect(server.sockets).toEqual([]);
      await expect(server.serveForever()).rejects.toThrow(/is closed/);
    });
  });

  it('serveForever() ends cancelled when the server is closed (asyncio behaviour)', async () => {
    await run(async () => {
      const { factory } = recorders(getRunningLoop());
      const server = await listen(factory);
      const serving = createTask(() => server.serveForever());
      await sleep(0);
      server.close();
      await expect(serving).rejects.toBeInstanceOf(CancelledError);
    });
  });

  it('serveForever() waits for the clients after cancellation', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const { factory, connected } = recorders(loop);
      const server = await listen(factory);
      const serving = createTask(() => server.serveForever());
      const client = await connectClient({ host: HOST, port: portOf(server.sockets[0]) });
      await connected(0);
      serving.cancel();
      await sleep(0.05);
      expect(serving.done()).toBe(false); // closed, but a client is connected
      client.end();
      await expect(serving).rejects.toBeInstanceOf(CancelledError);
    });
  });

  it('closes and waits at the end of an await using block (test_async_context_manager)', async () => {
    await run(async () => {
      const { factory } = recorders(getRunningLoop());
      let kept: AbstractServer | undefined;
      {
        await using server = await listen(factory);
        kept = server;
        expect(server.isServing()).toBe(true);
      }
      expect(kept.isServing()).toBe(false);
      expect(kept.sockets).toEqual([]);
    });
  });

  it('reports a protocol factory that throws and keeps serving', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const contexts: ExceptionContext[] = [];
      loop.setExceptionHandler((_loop, context) => contexts.push(context));
      let calls = 0;
      const good = new Recorder(loop, true);
      const server = await loop.createServer(
        () => {
          calls += 1;
          if (calls === 1) throw new Error('no protocol for you');
          return good;
        },
        HOST,
        0,
      );
      const port = portOf(server.sockets[0]);
      const first = await connectClient({ host: HOST, port });
      expect(await readToEnd(first)).toEqual(['', null]);
      expect(contexts).toHaveLength(1);
      expect(contexts[0]?.message).toBe('Error on transport creation for incoming connection');
      expect((contexts[0]?.exception as Error).message).toBe('no protocol for you');
      const second = await connectClient({ host: HOST, port });
      const echoed = firstData(second);
      second.write('ok');
      expect(await echoed).toBe('ok');
      second.destroy();
      server.close();
      await server.waitClosed();
    });
  });
});
