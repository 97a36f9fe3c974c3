// Subprocess stdio constants, shared with @tsio/transports (the same objects).
export { PIPE, STDOUT, DEVNULL } from '@tsio/transports';

// The reader: a buffer fed by a protocol, read by size, line or separator.
export { StreamReader } from './stream-reader.js';
export type { StreamReaderOptions } from './stream-reader.js';

// Subprocesses: child processes with stream pipes.
export { createSubprocessExec, createSubprocessShell } from './subprocess.js';
export type { CreateSubprocessOptions } from './subprocess.js';
export { Process } from './process.js';

// Connections: the writer, protocol, openConnection/startServer and Unix variants.
export { StreamWriter } from './stream-writer.js';
export type { StreamWriterStartTlsOptions } from './stream-writer.js';
export { StreamReaderProtocol } from './stream-reader-protocol.js';
export type { ClientConnectedCallback } from './stream-reader-protocol.js';
export { openConnection, openUnixConnection } from './open-connection.js';
export type { OpenConnectionOptions, OpenUnixConnectionOptions } from './open-connection.js';
export { startServer, startUnixServer } from './start-server.js';
export type { StartServerOptions, StartUnixServerOptions } from './start-server.js';

// Interop: readers and writers to and from Node streams and web streams.
export {
  readerFromNodeReadable,
  readerToNodeReadable,
  writerFromNodeWritable,
  writerToNodeWritable,
} from './node-interop.js';
export type {
  ReaderFromStreamOptions,
  ReaderToStreamOptions,
  WriterFromStreamOptions,
} from './node-interop.js';
export {
  readerFromWebStream,
  readerToWebStream,
  writerFromWebStream,
  writerToWebStream,
} from './web-interop.js';
