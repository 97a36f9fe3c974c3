import { afterEach, describe, expect, it } from '@jest/globals';
import { ValueError, getRunningLoop } from '@tsio/core';
import type { AbstractEventLoop, AbstractTask } from '@tsio/core';
import { currentTask, sleep } from '@tsio/futures';
import { run } from '@tsio/policies';
import { openConnection, openUnixConnection, startServer, startUnixServer } from '../src/index.js';
import type { StreamReader, StreamWriter } from '../src/index.js';
import {
  CA,
  LOCALHOST,
  closeServer,
  dec,
  enc,
  portOf,
  recordExceptions,
  removeSocketDirs,
  socketPath,
} from './helpers/connection-helpers.js';

afterEach(removeSocketDirs);

/** Reads a line, echoes it, closes (MyServer.handle_client of test_streams). */
async function handleClient(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const data = await reader.readline();
  writer.write(data);
  await writer.drain();
  writer.close();
  await writer.waitClosed();
}

/** Sends a line, reads the answer, closes (client() of test_streams). */
async function client(connect: () => Promise<[StreamReader, StreamWriter]>): Promise<string> {
  const [reader, writer] = await connect();
  writer.write(enc('hello world!\n'));
  const back = await reader.readline();
  writer.close();
  await writer.waitClosed();
  return dec(back);
}

/** A sync callback that starts its own task (handle_client_callback of test_streams). */
function callbackStartingTask(loop: AbstractEventLoop) {
  return (reader: StreamReader, writer: StreamWriter): void => {
    loop.createTask(() => handleClient(reader, writer));
  };
}

describe('startServer', () => {
  it('serves with an async callback and with a plain one (test_start_server)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const seen = recordExceptions(loop);
      for (const callback of [handleClient, callbackStartingTask(loop)]) {
        const server = await startServer(callback, '127.0.0.1', 0);
        const port = portOf(server);
        expect(await client(() => openConnection('127.0.0.1', port))).toBe('hello world!\n');
        await closeServer(server);
      }
      expect(seen).toEqual([]);
    });
  });

  it('serves ::1', async () => {
    await run(async () => {
      const server = await startServer(handleClient, '::1', 0);
      expect(await client(() => openConnection('::1', portOf(server)))).toBe('hello world!\n');
      await closeServer(server);
    });
  });

  it('runs an async callback as a task that starts on the next iteration', async () => {
    await run(async () => {
      const tasks: (AbstractTask<unknown> | null)[] = [];
      const server = await startServer(
        async (reader, writer) => {
          tasks.push(currentTask());
          await handleClient(reader, writer);
        },
        '127.0.0.1',
        0,
      );
      expect(await client(() => openConnection('127.0.0.1', portOf(server)))).toBe(
        'hello world!\n',
      );
      await closeServer(server);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).not.toBeNull();
    });
  });

  it('runs a plain function returning a promise inside a task too', async () => {
    await run(async () => {
      const tasks: (AbstractTask<unknown> | null)[] = [];
      const server = await startServer(
        (reader, writer) => {
          tasks.push(currentTask());
          return handleClient(reader, writer);
        },
        '127.0.0.1',
        0,
      );
      expect(await client(() => openConnection('127.0.0.1', portOf(server)))).toBe(
        'hello world!\n',
      );
      await closeServer(server);
      expect(tasks[0]).not.toBeNull();
    });
  });

  it('an async callback that throws: exception handler, that connection closed, server serving (test_unhandled_exception)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const seen = recordExceptions(loop);
      const boom = new Error('test');
      let calls = 0;
      const server = await startServer(
        async (reader, writer) => {
          calls += 1;
          const line = dec(await reader.readline());
          if (line === 'fail\n') throw boom;
          writer.write(enc(`ok ${line}`));
          await writer.drain();
          await reader.read(); // serve until the client closes
          writer.close();
        },
        '127.0.0.1',
        0,
      );
      const port = portOf(server);
      // A connection that stays open across the failure of another one.
      const [r1, w1] = await openConnection('127.0.0.1', port);
      w1.write(enc('first\n'));
      expect(dec(await r1.readline())).toBe('ok first\n');

      const [r2, w2] = await openConnection('127.0.0.1', port);
      w2.write(enc('fail\n'));
      expect(await r2.read()).toEqual(new Uint8Array(0)); // closed by the server
      w2.close(); // end of file keeps our side half-open, as in asyncio
      await w2.waitClosed();
      expect(seen).toHaveLength(1);
      expect(seen[0]?.message).toBe('Unhandled exception in client_connected_cb');
      expect(seen[0]?.exception).toBe(boom);
      expect(seen[0]?.transport).toBeDefined();

      expect(w1.isClosing()).toBe(false);
      const [r3, w3] = await openConnection('127.0.0.1', port);
      w3.write(enc('third\n'));
      expect(dec(await r3.readline())).toBe('ok third\n');
      for (const w of [w1, w3]) w.close();
      await Promise.all([w1.waitClosed(), w3.waitClosed()]);
      await closeServer(server);
      expect(calls).toBe(3);
      expect(seen).toHaveLength(1);
    });
  });

  it('a plain callback that throws is reported the same way', async () => {
    await run(async () => {
      const seen = recordExceptions(getRunningLoop());
      const server = await startServer(
        () => {
          throw new ValueError('sync failure');
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      expect(await reader.read()).toEqual(new Uint8Array(0));
      writer.close();
      await writer.waitClosed();
      await closeServer(server);
      expect(seen.map((c) => [c.message, (c.exception as Error).message])).toEqual([
        ['Unhandled exception in client_connected_cb', 'sync failure'],
      ]);
    });
  });

  it('a callback task cancelled closes its connection, unreported (test_unhandled_cancel)', async () => {
    await run(async () => {
      const seen = recordExceptions(getRunningLoop());
      const server = await startServer(
        async () => {
          currentTask()?.cancel();
          await sleep(0);
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      expect(await reader.read()).toEqual(new Uint8Array(0));
      writer.close();
      await writer.waitClosed();
      await closeServer(server);
      expect(seen).toEqual([]);
    });
  });

  it('serves lines with for await (const line of reader)', async () => {
    await run(async () => {
      const server = await startServer(
        async (reader, writer) => {
          let n = 0;
          for await (const line of reader) {
            n += 1;
            writer.write(enc(`${n}: ${dec(line)}`));
            await writer.drain();
          }
          writer.write(enc(`bye after ${n}\n`));
          writer.close();
          await writer.waitClosed();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      writer.write(enc('a\nbb\n'));
      writer.write(enc('ccc\n'));
      writer.writeEof();
      expect(dec(await reader.read())).toBe('1: a\n2: bb\n3: ccc\nbye after 3\n');
      writer.close();
      await writer.waitClosed();
      await closeServer(server);
    });
  });

  it("gives each connection's reader the limit", async () => {
    await run(async () => {
      const errors: unknown[] = [];
      const server = await startServer(
        async (reader, writer) => {
          errors.push(await reader.readline().catch((e: unknown) => e));
          writer.close();
        },
        '127.0.0.1',
        0,
        { limit: 8 },
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      writer.write(enc('much longer than eight\n'));
      await reader.read();
      writer.close();
      await writer.waitClosed();
      await closeServer(server);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ValueError);
    });
  });

  it('checks the callback, limit and options before binding', async () => {
    await run(async () => {
      const cb = async (): Promise<void> => {};
      await expect(startServer(cb, '127.0.0.1', 0, { limit: 0 })).rejects.toThrow(
        new ValueError('Limit cannot be <= 0'),
      );
      await expect(startServer(cb, '127.0.0.1', 0, { limit: Number.NaN })).rejects.toThrow(
        TypeError,
      );
      await expect(startServer(null as unknown as typeof cb, '127.0.0.1', 0)).rejects.toThrow(
        TypeError,
      );
      await expect(
        startServer(cb, '127.0.0.1', 0, { bogus: true } as unknown as { limit: number }),
      ).rejects.toThrow(TypeError);
      await expect(startUnixServer(cb, socketPath(), { limit: -5 })).rejects.toThrow(ValueError);
    });
  });

  it('returns a Server: sockets, startServing: false, await using', async () => {
    await run(async () => {
      let port = 0;
      {
        await using server = await startServer(handleClient, '127.0.0.1', 0, {
          startServing: false,
        });
        expect(server.isServing()).toBe(false);
        await server.startServing();
        expect(server.isServing()).toBe(true);
        port = portOf(server);
        expect(await client(() => openConnection('127.0.0.1', port))).toBe('hello world!\n');
      }
      await expect(openConnection('127.0.0.1', port)).rejects.toMatchObject({
        name: 'ConnectionRefusedError',
      });
    });
  });

  it('serves TLS (ssl option) to openConnection with ssl: { ca }', async () => {
    await run(async () => {
      const server = await startServer(handleClient, '127.0.0.1', 0, { ssl: LOCALHOST });
      const port = portOf(server);
      const answer = await client(() =>
        openConnection('127.0.0.1', port, { ssl: { ca: CA }, serverHostname: 'localhost' }),
      );
      expect(answer).toBe('hello world!\n');
      await closeServer(server);
    });
  });
});

describe('startUnixServer', () => {
  it('serves with an async callback and with a plain one (test_start_unix_server)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const seen = recordExceptions(loop);
      for (const callback of [handleClient, callbackStartingTask(loop)]) {
        const path = socketPath();
        const server = await startUnixServer(callback, path);
        expect(await client(() => openUnixConnection(path))).toBe('hello world!\n');
        await closeServer(server);
      }
      expect(seen).toEqual([]);
    });
  });
});
