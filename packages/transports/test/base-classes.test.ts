import { describe, expect, it } from '@jest/globals';
import { NotImplementedError } from '@tsio/core';
import {
  BaseProtocol,
  BaseTransport,
  BufferedProtocol,
  DatagramProtocol,
  DatagramTransport,
  Protocol,
  ReadTransport,
  SubprocessProtocol,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from '../src/index.js';

describe('transport base classes', () => {
  it('instanceof follows Python: a Transport is a ReadTransport and a WriteTransport', () => {
    const t = new Transport();
    expect(t).toBeInstanceOf(Transport);
    expect(t).toBeInstanceOf(ReadTransport);
    expect(t).toBeInstanceOf(WriteTransport);
    expect(t).toBeInstanceOf(BaseTransport);
    const r = new ReadTransport();
    expect(r).toBeInstanceOf(BaseTransport);
    expect(r).not.toBeInstanceOf(WriteTransport);
    expect(r).not.toBeInstanceOf(Transport);
    const w = new WriteTransport();
    expect(w).toBeInstanceOf(BaseTransport);
    expect(w).not.toBeInstanceOf(ReadTransport);
    expect(w).not.toBeInstanceOf(Transport);
    expect(new DatagramTransport()).toBeInstanceOf(BaseTransport);
    expect(new DatagramTransport()).not.toBeInstanceOf(WriteTransport);
    expect(new SubprocessTransport()).toBeInstanceOf(BaseTransport);
  });

  it('a subclass of WriteTransport answers instanceof for itself only', () => {
    class MyWrite extends WriteTransport {}
    expect(new MyWrite()).toBeInstanceOf(WriteTransport);
    expect(new MyWrite()).toBeInstanceOf(MyWrite);
    expect(new Transport()).not.toBeInstanceOf(MyWrite);
    expect({}).not.toBeInstanceOf(WriteTransport);
  });

  it.each([
    ['isClosing', (t: Transport) => t.isClosing()],
    ['close', (t: Transport) => t.close()],
    ['setProtocol', (t: Transport) => t.setProtocol(new Protocol())],
    ['getProtocol', (t: Transport) => t.getProtocol()],
    ['isReading', (t: Transport) => t.isReading()],
    ['pauseReading', (t: Transport) => t.pauseReading()],
    ['resumeReading', (t: Transport) => t.resumeReading()],
    ['setWriteBufferLimits', (t: Transport) => t.setWriteBufferLimits()],
    ['getWriteBufferSize', (t: Transport) => t.getWriteBufferSize()],
    ['getWriteBufferLimits', (t: Transport) => t.getWriteBufferLimits()],
    ['write', (t: Transport) => t.write(new Uint8Array(1))],
    ['writeEof', (t: Transport) => t.writeEof()],
    ['canWriteEof', (t: Transport) => t.canWriteEof()],
    ['abort', (t: Transport) => t.abort()],
  ])('%s() throws NotImplementedError naming the class (test_not_implemented)', (name, call) => {
    class Bare extends Transport {}
    expect(() => call(new Bare())).toThrow(NotImplementedError);
    expect(() => call(new Bare())).toThrow(`Bare.${name}() is not implemented`);
  });

  it('the datagram and subprocess transports have NotImplementedError defaults', () => {
    const d = new DatagramTransport();
    expect(() => d.sendto(new Uint8Array(1))).toThrow(NotImplementedError);
    expect(() => d.abort()).toThrow(NotImplementedError);
    const s = new SubprocessTransport();
    for (const call of [
      () => s.getPid(),
      () => s.getReturncode(),
      () => s.getPipeTransport(1),
      () => s.sendSignal('SIGTERM'),
      () => s.terminate(),
      () => s.kill(),
    ]) {
      expect(call).toThrow(NotImplementedError);
    }
  });

  it('writelines() writes the chunks through write(), joined (test_writelines)', () => {
    const written: Buffer[] = [];
    class Recording extends WriteTransport {
      override write(data: Uint8Array): void {
        written.push(Buffer.from(data));
      }
    }
    const t = new Recording();
    t.writelines([Buffer.from('ab'), Buffer.from('c'), Buffer.from('')]);
    t.writelines([Buffer.from('single')]);
    t.writelines([]);
    t.writelines(
      (function* () {
        yield Buffer.from('gen');
        yield Buffer.from('erator');
      })(),
    );
    expect(Buffer.concat(written).toString()).toBe('abcsinglegenerator');
    expect(written.map(String)).toEqual(['abc', 'single', 'generator']);
  });

  it('getExtraInfo returns the extra values, else the default, else null (test_get_extra_info)', () => {
    const t = new BaseTransport({ extra: 1, nothing: null });
    expect(t.getExtraInfo('extra')).toBe(1);
    expect(t.getExtraInfo('nothing', 'default')).toBeNull();
    expect(t.getExtraInfo('unknown')).toBeNull();
    expect(t.getExtraInfo('unknown', 2)).toBe(2);
    expect(new BaseTransport().getExtraInfo('x')).toBeNull();
    expect(new BaseTransport(new Map([['m', 3]])).getExtraInfo('m')).toBe(3);
  });
});

describe('protocol base classes', () => {
  it('every callback is a no-op returning undefined (test_base_protocol, test_protocol)', () => {
    const t = new Transport();
    const base = new BaseProtocol();
    expect(base.connectionMade?.(t)).toBeUndefined();
    expect(base.connectionLost?.(null)).toBeUndefined();
    expect(base.pauseWriting?.()).toBeUndefined();
    expect(base.resumeWriting?.()).toBeUndefined();
    const p = new Protocol();
    expect(p.dataReceived?.(new Uint8Array(1))).toBeUndefined();
    expect(p.eofReceived?.()).toBeUndefined();
    expect(p.connectionMade?.(t)).toBeUndefined();
    const d = new DatagramProtocol();
    expect(d.datagramReceived?.(new Uint8Array(1), ['127.0.0.1', 1])).toBeUndefined();
    expect(d.errorReceived?.(new Error('x'))).toBeUndefined();
    const s = new SubprocessProtocol();
    expect(s.pipeDataReceived?.(1, new Uint8Array(1))).toBeUndefined();
    expect(s.pipeConnectionLost?.(1, null)).toBeUndefined();
    expect(s.processExited?.()).toBeUndefined();
    const b = new BufferedProtocol();
    expect(b.eofReceived?.()).toBeUndefined();
  });

  it('the protocol classes inherit from BaseProtocol', () => {
    for (const P of [Protocol, BufferedProtocol, DatagramProtocol, SubprocessProtocol]) {
      expect(new P()).toBeInstanceOf(BaseProtocol);
    }
    expect(new BufferedProtocol()).not.toBeInstanceOf(Protocol);
  });

  it('BufferedProtocol.getBuffer/bufferUpdated must be overridden (test_buffered_protocol)', () => {
    class Bare extends BufferedProtocol {}
    expect(() => new Bare().getBuffer(-1)).toThrow(NotImplementedError);
    expect(() => new Bare().getBuffer(-1)).toThrow('Bare.getBuffer() is not implemented');
    expect(() => new Bare().bufferUpdated(1)).toThrow(NotImplementedError);
  });

  it('a subclass calls super callbacks as Python code calls super()', () => {
    const seen: string[] = [];
    class P extends Protocol {
      override dataReceived(data: Uint8Array): void {
        super.dataReceived?.(data);
        seen.push('data');
      }
    }
    new P().dataReceived(new Uint8Array(1));
    expect(seen).toEqual(['data']);
  });
});
