import type {
  ReadTransport,
  SubprocessTransport as SubprocessTransportContract,
  WriteTransport,
} from '@tsio/core';
import { BaseTransport, _mustOverride } from './base-transport.js';

/**
 * The transport of a child process: its pid, exit status, pipes and signals.
 *
 * Python parity: `asyncio.SubprocessTransport`
 */
export class SubprocessTransport extends BaseTransport implements SubprocessTransportContract {
  /**
   * Returns the child's process id.
   *
   * Python parity: `SubprocessTransport.get_pid`
   */
  getPid(): number {
    throw _mustOverride(this, 'getPid');
  }

  /**
   * Returns the child's exit code, or `null` while it runs; a child killed by a signal has
   * the negated signal number, as in Python.
   *
   * Python parity: `SubprocessTransport.get_returncode`
   */
  getReturncode(): number | null {
    throw _mustOverride(this, 'getReturncode');
  }

  /**
   * Returns the transport of the child's pipe `fd` (0 stdin, 1 stdout, 2 stderr), or `null`
   * when that pipe was not created.
   *
   * Python parity: `SubprocessTransport.get_pipe_transport`
   */
  getPipeTransport(_fd: number): ReadTransport | WriteTransport | null {
    throw _mustOverride(this, 'getPipeTransport');
  }

  /**
   * Sends `signal` (a name such as `'SIGINT'`, or a number) to the child.
   *
   * Python parity: `SubprocessTransport.send_signal`
   */
  sendSignal(_signal: NodeJS.Signals | number): void {
    throw _mustOverride(this, 'sendSignal');
  }

  /**
   * Asks the child to stop (`SIGTERM`).
   *
   * Python parity: `SubprocessTransport.terminate`
   */
  terminate(): void {
    throw _mustOverride(this, 'terminate');
  }

  /**
   * Kills the child (`SIGKILL`).
   *
   * Python parity: `SubprocessTransport.kill`
   */
  kill(): void {
    throw _mustOverride(this, 'kill');
  }
}
