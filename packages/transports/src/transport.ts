import type { Transport as TransportContract } from '@tsio/core';
import { ReadTransport } from './read-transport.js';
import { WriteTransport } from './write-transport.js';

// The interface merges WriteTransport's members into the class's type; the loop below gives
// the prototype the matching methods. JavaScript has single inheritance only.
/**
 * A bidirectional stream transport, such as a TCP connection: a `ReadTransport` and a
 * `WriteTransport` at once (`instanceof` holds for both, as Python's multiple inheritance
 * gives).
 *
 * Python parity: `asyncio.Transport`
 */
export interface Transport extends WriteTransport {}
/**
 * A bidirectional stream transport, such as a TCP connection: a `ReadTransport` and a
 * `WriteTransport` at once (`instanceof` holds for both, as Python's multiple inheritance
 * gives).
 *
 * Python parity: `asyncio.Transport`
 */
export class Transport extends ReadTransport implements TransportContract {}

for (const name of Object.getOwnPropertyNames(WriteTransport.prototype)) {
  if (name === 'constructor') continue;
  const descriptor = Object.getOwnPropertyDescriptor(WriteTransport.prototype, name);
  if (descriptor !== undefined) Object.defineProperty(Transport.prototype, name, descriptor);
}

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

// `x instanceof WriteTransport` must hold for a Transport, whose prototype chain goes through
// ReadTransport only. Subclasses of WriteTransport inherit this static method, so it answers
// for `this` (the class on the right of instanceof), and adds Transport only for
// WriteTransport itself.
Object.defineProperty(WriteTransport, Symbol.hasInstance, {
  value: function hasInstance(this: unknown, value: unknown): boolean {
    if (ordinaryHasInstance.call(this, value)) return true;
    return this === WriteTransport && ordinaryHasInstance.call(Transport, value);
  },
});
