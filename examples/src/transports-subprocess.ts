// A child process through SubprocessProtocol: the guide docs/transports-and-protocols.md walks
// through this file. Run it with `node examples/dist/transports-subprocess.js`.
import { Future, getRunningLoop, run, SubprocessProtocol, type WriteTransport } from 'tsio';

/** Collects the child's standard output and tells when the child has exited. */
class Collect extends SubprocessProtocol {
  readonly exited = new Future<void>();
  #output = '';

  override pipeDataReceived(fd: number, data: Uint8Array): void {
    if (fd === 1) this.#output += Buffer.from(data).toString(); // 1 stdout, 2 stderr
  }

  override processExited(): void {
    this.exited.setResult();
  }

  get output(): string {
    return this.#output;
  }
}

// A child that upper-cases its standard input.
const child = `process.stdin.on('data', (d) => process.stdout.write(String(d).toUpperCase()));`;

await run(async () => {
  const loop = getRunningLoop();
  const [transport, protocol] = await loop.subprocessExec(() => new Collect(), process.execPath, [
    '-e',
    child,
  ]);
  const stdin = transport.getPipeTransport(0) as WriteTransport;
  stdin.write(Buffer.from('shout this\n'));
  stdin.close(); // end of input: the child finishes and exits

  await protocol.exited;
  console.log(protocol.output.trim(), '- exit code', transport.getReturncode()); // SHOUT THIS - exit code 0
  transport.close();
});
