import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { sleep } from '@tsio/futures';
import { BaseEventLoop } from '../../src/index.js';

describe('the loop is a guest on Node’s loop', () => {
  it('a Node timer and a socket are still served while a task spins on await sleep(0)', async () => {
    // A plain Node server and client, outside the loop: they only make progress if the loop
    // yields to Node's event loop while the task below keeps the ready queue busy.
    const server = createServer((socket: Socket) => {
      socket.once('data', (data) => socket.end(`echo ${String(data)}`));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const loop = new BaseEventLoop();
    let timerFired = false;
    let reply = '';
    let switches = 0;
    let switchesWhenTimerFired = -1;
    try {
      await loop.runUntilComplete(async () => {
        let client: Socket | undefined;
        const deadline = loop.time() + 5;
        while (!(timerFired && reply === 'echo ping') && loop.time() < deadline) {
          await sleep(0);
          switches++;
          if (switches === 1) {
            // Armed once the task is spinning, so that they can only be served in between.
            setTimeout(() => {
              timerFired = true;
              switchesWhenTimerFired = switches;
            }, 5);
            const socket = createConnection(port, '127.0.0.1', () => socket.write('ping'));
            socket.setEncoding('utf8');
            socket.on('data', (chunk: string) => (reply += chunk));
            client = socket;
          }
        }
        client?.destroy();
      });
    } finally {
      loop.close();
      server.close();
    }
    expect(timerFired).toBe(true);
    expect(reply).toBe('echo ping');
    // The task really spun meanwhile: the timer fired while it was spinning (it was armed from
    // inside the spin), and the task went on spinning after. (A count of iterations would
    // depend on the machine's speed.)
    expect(switchesWhenTimerFired).toBeGreaterThan(0);
    expect(switches).toBeGreaterThan(switchesWhenTimerFired);
  });
});
