// The meta-package: every public name of every tsio layer, and nothing else.
// `export *` keeps it exactly in step with the layers; test/index.test.ts proves it.
export * from '@tsio/core';
export * from '@tsio/futures';
export * from '@tsio/event-loop';
export * from '@tsio/policies';
export * from '@tsio/sync';
export * from '@tsio/queues';
export * from '@tsio/streams';
// core declares the Handle and TimerHandle interfaces; the classes of the same names (which
// implement them) come from event-loop.
export { Handle, TimerHandle } from '@tsio/event-loop';
export * from '@tsio/transports';
// core declares the transport and protocol interfaces; the base classes of the same names
// (which implement them, and whose types keep every callback optional) come from transports.
export {
  BaseTransport,
  ReadTransport,
  WriteTransport,
  Transport,
  DatagramTransport,
  SubprocessTransport,
  BaseProtocol,
  Protocol,
  BufferedProtocol,
  DatagramProtocol,
  SubprocessProtocol,
} from '@tsio/transports';
