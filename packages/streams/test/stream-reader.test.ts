import { describe, expect, it } from '@jest/globals';
import {
  CancelledError,
  getRunningLoop,
  IncompleteReadError,
  LimitOverrunError,
  NotImplementedError,
  RuntimeError,
  ValueError,
} from '@tsio/core';
import type { AbstractEventLoop } from '@tsio/core';
import { createTask, sleep, waitFor } from '@tsio/futures';
import { run } from '@tsio/policies';
import { Transport } from '@tsio/transports';
import { StreamReader } from '../src/index.js';
import { dec, enc, recordExceptions } from './helpers/connection-helpers.js';

const DATA = 'line1\nline2\nline3\n';

/** A read transport double that records pauseReading()/resumeReading(). */
class FakeReadTransport extends Transport {
  readonly events: string[] = [];
  constructor(readonly pauseError: Error | null = null) {
    super();
  }
  override pauseReading(): void {
    if (this.pauseError !== null) throw this.pauseError;
    this.events.push('pause');
  }
  override resumeReading(): void {
    this.events.push('resume');
  }
  override toString(): string {
    return '<Transport>';
  }
}

/** Lets the loop run a few iterations (tasks started before reach their first wait). */
async function settle(): Promise<void> {
  for (let i = 0; i < 4; i += 1) await sleep(0);
}

/** What is left in the reader: ends it and reads everything. */
async function rest(reader: StreamReader): Promise<string> {
  reader.feedEof();
  return dec(await reader.read());
}

function feedSoon(
  loop: AbstractEventLoop,
  reader: StreamReader,
  ...parts: (string | null)[]
): void {
  loop.callSoon(() => {
    for (const part of parts) {
      if (part === null) reader.feedEof();
      else reader.feedData(enc(part));
    }
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('StreamReader: construction, feeding and toString()', () => {
  it('limit <= 0 is a ValueError, a non-number a TypeError (test_invalid_limit)', () => {
    expect(() => new StreamReader({ limit: 0 })).toThrow(new ValueError('Limit cannot be <= 0'));
    expect(() => new StreamReader({ limit: -1 })).toThrow(ValueError);
    expect(() => new StreamReader({ limit: Number.NaN })).toThrow(TypeError);
    expect(() => new StreamReader({ limit: '5' as unknown as number })).toThrow(TypeError);
  });

  it('empty data is ignored, other data is buffered (test_feed_empty_data, test_feed_nonempty_data)', () => {
    const reader = new StreamReader();
    reader.feedData(new Uint8Array(0));
    expect(String(reader)).toBe('<StreamReader>');
    reader.feedData(enc(DATA));
    expect(String(reader)).toBe('<StreamReader 18 bytes>');
  });

  it('feedData() checks its argument and refuses data after feedEof()', () => {
    const reader = new StreamReader();
    expect(() => reader.feedData('text' as unknown as Uint8Array)).toThrow(TypeError);
    reader.feedEof();
    expect(() => reader.feedData(enc('late'))).toThrow(RuntimeError);
  });

  it('toString() as asyncio repr (test___repr__*)', async () => {
    expect(String(new StreamReader())).toBe('<StreamReader>');
    expect(String(new StreamReader({ limit: 123 }))).toBe('<StreamReader limit=123>');
    const eof = new StreamReader();
    eof.feedEof();
    expect(String(eof)).toBe('<StreamReader eof>');
    const data = new StreamReader();
    data.feedData(enc('data'));
    expect(String(data)).toBe('<StreamReader 4 bytes>');
    const failed = new StreamReader();
    failed.setException(new RuntimeError());
    expect(String(failed)).toBe('<StreamReader exception=RuntimeError()>');
    failed.setException(new ValueError('bad'));
    expect(String(failed)).toBe('<StreamReader exception=ValueError("bad")>');
    const withTransport = new StreamReader({ limit: 1 });
    withTransport._setTransport(new FakeReadTransport());
    expect(String(withTransport)).toBe('<StreamReader limit=1 transport=<Transport>>');
    withTransport.feedData(enc('abc'));
    expect(String(withTransport)).toBe(
      '<StreamReader 3 bytes limit=1 transport=<Transport> paused>',
    );
    await run(async () => {
      const reader = new StreamReader();
      const task = createTask(() => reader.read());
      await settle();
      expect(String(reader)).toMatch(/^<StreamReader waiter=<Future pending[^>]*>>$/);
      reader.feedEof();
      await task;
      expect(String(reader)).toBe('<StreamReader eof>');
    });
  });

  it('gets the running loop at the first wait, or uses the given loop', async () => {
    const outside = new StreamReader();
    await run(async () => {
      feedSoon(getRunningLoop(), outside, 'x');
      expect(dec(await outside.read(1))).toBe('x');
      const given = new StreamReader({ loop: getRunningLoop() });
      feedSoon(getRunningLoop(), given, 'y');
      expect(dec(await given.read(1))).toBe('y');
    });
  });

  it('returns Buffers, and a view of a received chunk is never overwritten by the reader', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('ab\ncd'));
      const line = await reader.readline();
      expect(Buffer.isBuffer(line)).toBe(true);
      reader.feedData(enc('XYZ\n'));
      expect(dec(await reader.readline())).toBe('cdXYZ\n');
      expect(dec(line)).toBe('ab\n');
      reader.feedData(new Uint8Array([0x61, 0x62]));
      expect(Buffer.isBuffer(await reader.read(1))).toBe(true);
    });
  });
});

describe('StreamReader.read()', () => {
  it('read(0) returns empty and consumes nothing (test_read_zero)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc(DATA));
      expect((await reader.read(0)).length).toBe(0);
      expect(await rest(reader)).toBe(DATA);
    });
  });

  it('waits for data (test_read)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      feedSoon(getRunningLoop(), reader, DATA);
      expect(dec(await reader.read(30))).toBe(DATA);
      expect(await rest(reader)).toBe('');
    });
  });

  it('returns what one chunk gave, at most n (test_read_line_breaks)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('line1'));
      reader.feedData(enc('line2'));
      expect(dec(await reader.read(5))).toBe('line1');
      expect(await rest(reader)).toBe('line2');
    });
  });

  it('read(n) spans chunks when they are buffered', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('ab'));
      reader.feedData(enc('cd'));
      reader.feedData(enc('ef'));
      expect(dec(await reader.read(5))).toBe('abcde');
      expect(dec(await reader.read(5))).toBe('f');
    });
  });

  it('returns empty at end of file (test_read_eof)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      feedSoon(getRunningLoop(), reader, null);
      expect((await reader.read(1024)).length).toBe(0);
      expect(reader.atEof()).toBe(true);
    });
  });

  it('read() reads until end of file (test_read_until_eof)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      feedSoon(getRunningLoop(), reader, 'chunk1\n', 'chunk2', null);
      expect(dec(await reader.read())).toBe('chunk1\nchunk2');
      expect(reader.atEof()).toBe(true);
    });
  });

  it('read() gathers more than the limit, resuming the paused transport (test_read_all_from_pipe_reader)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const reader = new StreamReader({ limit: 2 });
      const transport = new FakeReadTransport();
      reader._setTransport(transport);
      reader.feedData(enc('12345'));
      expect(transport.events).toEqual(['pause']);
      const all = createTask(() => reader.read());
      await settle();
      expect(transport.events).toEqual(['pause', 'resume']);
      feedSoon(loop, reader, '678', null);
      expect(dec(await all)).toBe('12345678');
    });
  });

  it('the reader exception is thrown, data or not (test_read_exception)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('line\n'));
      expect(dec(await reader.read(2))).toBe('li');
      const failure = new ValueError();
      reader.setException(failure);
      await expect(reader.read(2)).rejects.toBe(failure);
      await expect(reader.read(0)).rejects.toBe(failure);
      await expect(reader.read()).rejects.toBe(failure);
    });
  });

  it('is not bounded by the limit (test_read_limit)', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('chunk'));
      expect(dec(await reader.read(5))).toBe('chunk');
      expect(String(reader)).toBe('<StreamReader limit=3>');
    });
  });

  it('n must be an integer', async () => {
    await run(async () => {
      const reader = new StreamReader();
      await expect(reader.read(1.5)).rejects.toThrow(TypeError);
      await expect(reader.readexactly(Number.NaN)).rejects.toThrow(TypeError);
    });
  });
});

describe('StreamReader.readline()', () => {
  it('waits for the end of the line (test_readline)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('chunk1 '));
      feedSoon(getRunningLoop(), reader, 'chunk2 ', 'chunk3 ', '\n chunk4');
      expect(dec(await reader.readline())).toBe('chunk1 chunk2 chunk3 \n');
      expect(await rest(reader)).toBe(' chunk4');
    });
  });

  it('a line over the limit with its newline buffered drops that line (test_readline_limit_with_existing_data)', async () => {
    await run(async () => {
      let reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('li'));
      reader.feedData(enc('ne1\nline2\n'));
      await expect(reader.readline()).rejects.toThrow(ValueError);
      expect(await rest(reader)).toBe('line2\n');

      reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('li'));
      reader.feedData(enc('ne1'));
      reader.feedData(enc('li'));
      await expect(reader.readline()).rejects.toThrow(ValueError);
      expect(await rest(reader)).toBe('');
    });
  });

  it('the ValueError says why and carries the LimitOverrunError as cause', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('abcdef\nxy\n'));
      const error = (await caught(reader.readline())) as ValueError;
      expect(error).toBeInstanceOf(ValueError);
      expect(error.message).toBe('Separator is found, but chunk is longer than limit');
      const cause = error.cause as LimitOverrunError;
      expect(cause).toBeInstanceOf(LimitOverrunError);
      expect(cause.consumed).toBe(6);
      expect(dec(await reader.readline())).toBe('xy\n');
    });
  });

  it('at_eof() after the last line (test_at_eof)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      expect(reader.atEof()).toBe(false);
      reader.feedData(enc('some data\n'));
      expect(reader.atEof()).toBe(false);
      await reader.readline();
      expect(reader.atEof()).toBe(false);
      reader.feedData(enc('some data\n'));
      reader.feedEof();
      await reader.readline();
      expect(reader.atEof()).toBe(true);
    });
  });

  it('limit cases while waiting, and the strictness of the limit (test_readline_limit)', async () => {
    await run(async () => {
      const loop = getRunningLoop();
      let reader = new StreamReader({ limit: 7 });
      feedSoon(loop, reader, 'chunk1', 'chunk2', 'chunk3\n', null);
      await expect(reader.readline()).rejects.toThrow(ValueError);
      expect(await rest(reader)).toBe('');

      reader = new StreamReader({ limit: 7 });
      feedSoon(loop, reader, 'chunk1', 'chunk2\n', 'chunk3\n', null);
      await expect(reader.readline()).rejects.toThrow(ValueError);
      expect(await rest(reader)).toBe('chunk3\n');

      reader = new StreamReader({ limit: 7 });
      reader.feedData(enc('1234567\n'));
      expect(dec(await reader.readline())).toBe('1234567\n');
      reader.feedData(enc('12345678\n'));
      await expect(reader.readline()).rejects.toThrow(ValueError);
      expect(String(reader)).toBe('<StreamReader limit=7>');
      reader.feedData(enc('12345678'));
      await expect(reader.readline()).rejects.toThrow(ValueError);
      expect(String(reader)).toBe('<StreamReader limit=7>');
    });
  });

  it('a too-long line without its newline yet: cleared, its tail is the next line', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 4 });
      reader.feedData(enc('abcdefgh'));
      await expect(reader.readline()).rejects.toThrow(
        'Separator is not found, and chunk exceed the limit',
      );
      reader.feedData(enc('ij\nok\n'));
      expect(dec(await reader.readline())).toBe('ij\n');
      expect(dec(await reader.readline())).toBe('ok\n');
    });
  });

  it('needs no wait when the line is buffered (test_readline_nolimit_nowait)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc(DATA.slice(0, 6)));
      reader.feedData(enc(DATA.slice(6)));
      expect(dec(await reader.readline())).toBe('line1\n');
      expect(await rest(reader)).toBe('line2\nline3\n');
    });
  });

  it('returns the partial last line, then empty (test_readline_eof, test_readline_empty_eof)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('some data'));
      reader.feedEof();
      expect(dec(await reader.readline())).toBe('some data');
      expect((await reader.readline()).length).toBe(0);
      expect(reader.atEof()).toBe(true);
    });
  });

  it('then read(n) goes on after the line (test_readline_read_byte_count)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc(DATA));
      await reader.readline();
      expect(dec(await reader.read(7))).toBe('line2\nl');
      expect(await rest(reader)).toBe('ine3\n');
    });
  });

  it('throws the reader exception (test_readline_exception)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('line\n'));
      expect(dec(await reader.readline())).toBe('line\n');
      const failure = new ValueError();
      reader.setException(failure);
      await expect(reader.readline()).rejects.toBe(failure);
    });
  });
});

describe('StreamReader.readuntil()', () => {
  it('checks its separators (test_readuntil_separator)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      await expect(reader.readuntil(new Uint8Array(0))).rejects.toThrow(
        new ValueError('Separator should be at least one-byte string'),
      );
      await expect(reader.readuntil('')).rejects.toThrow(
        'Separator should be at least one-byte string',
      );
      await expect(reader.readuntil([enc('a'), ''])).rejects.toThrow(
        'Separator should be at least one-byte string',
      );
      await expect(reader.readuntil([])).rejects.toThrow(
        new ValueError('Separator should contain at least one element'),
      );
      await expect(reader.readuntil(7 as unknown as string)).rejects.toThrow(TypeError);
    });
  });

  it('validation comes before the reader exception, as in asyncio', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.setException(new RuntimeError('boom'));
      await expect(reader.readuntil('')).rejects.toThrow(ValueError);
      await expect(reader.readexactly(-1)).rejects.toThrow(ValueError);
      await expect(reader.readuntil('x')).rejects.toThrow('boom');
    });
  });

  it('finds a multi-byte separator (test_readuntil_multi_chunks)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('lineAAA'));
      expect(dec(await reader.readuntil(enc('AAA')))).toBe('lineAAA');
      reader.feedData(enc('lineAAA'));
      expect(dec(await reader.readuntil('AAA'))).toBe('lineAAA');
      reader.feedData(enc('lineAAAxxx'));
      expect(dec(await reader.readuntil('AAA'))).toBe('lineAAA');
      expect(await rest(reader)).toBe('xxx');
    });
  });

  it('finds a separator split across chunks (test_readuntil_multi_chunks_1)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const cases: [string[], string][] = [
        [['QWEaa', 'XYaa', 'a'], 'QWEaaXYaaa'],
        [['QWEaa', 'XYa', 'aa'], 'QWEaaXYaaa'],
        [['aaa'], 'aaa'],
        [['Xaaa'], 'Xaaa'],
        [['XXX', 'a', 'a', 'a'], 'XXXaaa'],
      ];
      for (const [parts, expected] of cases) {
        for (const part of parts) reader.feedData(enc(part));
        expect(dec(await reader.readuntil('aaa'))).toBe(expected);
        expect(String(reader)).toBe('<StreamReader>');
      }
    });
  });

  it('end of file without the separator: IncompleteReadError, buffer emptied (test_readuntil_eof)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('some dataAA'));
      reader.feedEof();
      const error = (await caught(reader.readuntil('AAA'))) as IncompleteReadError;
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(error.message).toMatch(/undefined expected bytes/);
      expect(dec(error.partial)).toBe('some dataAA');
      expect(error.expected).toBeNull();
      expect(reader.atEof()).toBe(true);
    });
  });

  it('LimitOverrunError leaves the data buffered (test_readuntil_limit_found_sep)', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('some dataAA'));
      const notFound = (await caught(reader.readuntil('AAA'))) as LimitOverrunError;
      expect(notFound).toBeInstanceOf(LimitOverrunError);
      expect(notFound.message).toBe('Separator is not found, and chunk exceed the limit');
      expect(notFound.consumed).toBe(9);
      expect(String(reader)).toBe('<StreamReader 11 bytes limit=3>');
      reader.feedData(enc('A'));
      const found = (await caught(reader.readuntil('AAA'))) as LimitOverrunError;
      expect(found.message).toBe('Separator is found, but chunk is longer than limit');
      expect(found.consumed).toBe(9);
      expect(await rest(reader)).toBe('some dataAAA');
    });
  });

  it('with several separators, the shortest result wins (test_readuntil_multi_separator)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('line 1\nline 2\r'));
      expect(dec(await reader.readuntil(['\r', '\n']))).toBe('line 1\n');
      expect(dec(await reader.readuntil([enc('\r'), enc('\n')]))).toBe('line 2\r');
      reader.feedData(enc('ABCDEFG'));
      expect(dec(await reader.readuntil(['DEF', 'BCDE']))).toBe('ABCDE');
      expect(await rest(reader)).toBe('FG');
    });
  });

  it('several separators and the limit (test_readuntil_multi_separator_limit)', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('some dataA'));
      const error = (await caught(reader.readuntil(['A', 'ome dataA']))) as LimitOverrunError;
      expect(error.message).toMatch(/is found/);
      expect(error.consumed).toBe(9);
      expect(await rest(reader)).toBe('some dataA');
    });
  });

  it('a long separator never makes the search offset negative (test_readuntil_multi_separator_negative_offset)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('data'));
      const loop = getRunningLoop();
      const task = createTask(() => reader.readuntil(['A', 'long sep']));
      feedSoon(loop, reader, 'Z');
      feedSoon(loop, reader, 'Aaaa');
      expect(dec(await task)).toBe('dataZA');
      expect(await rest(reader)).toBe('aaa');
    });
  });

  it('takes a plain Uint8Array or a UTF-8 string (test_readuntil_bytearray)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('some data\r\n'));
      expect(dec(await reader.readuntil(new Uint8Array([13, 10])))).toBe('some data\r\n');
      reader.feedData(enc('prix: 5€ ok'));
      const upToEuro = await reader.readuntil('€');
      expect(dec(upToEuro)).toBe('prix: 5€');
      expect(readerDefault()).toBeDefined();
    });
    function readerDefault(): StreamReader {
      return new StreamReader();
    }
  });

  it('defaults to a newline separator', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('a\nb'));
      expect(dec(await reader.readuntil())).toBe('a\n');
    });
  });
});

describe('StreamReader.readexactly()', () => {
  it('n = 0 returns empty, n < 0 is a ValueError; nothing consumed (test_readexactly_zero_or_less)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc(DATA));
      expect((await reader.readexactly(0)).length).toBe(0);
      await expect(reader.readexactly(-1)).rejects.toThrow(
        new ValueError('readexactly size can not be less than zero'),
      );
      expect(await rest(reader)).toBe(DATA);
    });
  });

  it('waits for n bytes across chunks (test_readexactly)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      feedSoon(getRunningLoop(), reader, DATA, DATA, DATA);
      expect(dec(await reader.readexactly(2 * DATA.length))).toBe(DATA + DATA);
      expect(await rest(reader)).toBe(DATA);
    });
  });

  it('is not bounded by the limit (test_readexactly_limit)', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('chunk'));
      expect(dec(await reader.readexactly(5))).toBe('chunk');
    });
  });

  it('end of file first: IncompleteReadError with partial and expected (test_readexactly_eof)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const n = 2 * DATA.length;
      feedSoon(getRunningLoop(), reader, DATA, null);
      const error = (await caught(reader.readexactly(n))) as IncompleteReadError;
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(dec(error.partial)).toBe(DATA);
      expect(error.expected).toBe(n);
      expect(error.message).toBe('18 bytes read on a total of 36 expected bytes');
      expect(reader.atEof()).toBe(true);
      const empty = (await caught(reader.readexactly(1))) as IncompleteReadError;
      expect(empty.partial.length).toBe(0);
    });
  });

  it('throws the reader exception (test_readexactly_exception)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('line\n'));
      expect(dec(await reader.readexactly(2))).toBe('li');
      const failure = new ValueError();
      reader.setException(failure);
      await expect(reader.readexactly(2)).rejects.toBe(failure);
    });
  });

  it('readexactly(n > 2 x limit) resumes the paused transport before waiting', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 2 });
      const transport = new FakeReadTransport();
      reader._setTransport(transport);
      reader.feedData(enc('abcde'));
      expect(transport.events).toEqual(['pause']);
      const task = createTask(() => reader.readexactly(8));
      await settle();
      expect(transport.events).toEqual(['pause', 'resume']);
      reader.feedData(enc('fgh'));
      expect(dec(await task)).toBe('abcdefgh');
    });
  });
});

describe('StreamReader: exceptions, concurrency and cancellation', () => {
  it('exception() and setException() (test_exception)', () => {
    const reader = new StreamReader();
    expect(reader.exception()).toBeNull();
    const failure = new ValueError();
    reader.setException(failure);
    expect(reader.exception()).toBe(failure);
  });

  it('setException() wakes the waiting read with the error (test_exception_waiter)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const line = createTask(() => reader.readline());
      const failure = new ValueError('boom');
      createTask(async () => reader.setException(failure));
      await expect(line).rejects.toBe(failure);
    });
  });

  it('setException() after the waiting read was cancelled (test_exception_cancel)', async () => {
    await run(async () => {
      const seen = recordExceptions(getRunningLoop());
      const reader = new StreamReader();
      const line = createTask(() => reader.readline());
      await settle();
      line.cancel();
      await settle();
      reader.setException(new RuntimeError('message'));
      await settle();
      expect(line.cancelled()).toBe(true);
      expect(String(reader)).toBe('<StreamReader exception=RuntimeError("message")>');
      expect(seen).toEqual([]);
    });
  });

  it('a second read that must wait is a RuntimeError naming the method', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const first = createTask(() => reader.read());
      await settle();
      const message = (method: string): RuntimeError =>
        new RuntimeError(
          `${method}() called while another coroutine is already waiting for incoming data`,
        );
      await expect(reader.read(1)).rejects.toThrow(message('read'));
      await expect(reader.read()).rejects.toThrow(message('read'));
      await expect(reader.readline()).rejects.toThrow(message('readuntil'));
      await expect(reader.readuntil('x')).rejects.toThrow(message('readuntil'));
      await expect(reader.readexactly(1)).rejects.toThrow(message('readexactly'));
      reader.feedData(enc('ok'));
      reader.feedEof();
      expect(dec(await first)).toBe('ok');
    });
  });

  it('a read that needs no wait may run while another waits (as asyncio)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('abc'));
      const line = createTask(() => reader.readline());
      await settle();
      expect(dec(await reader.read(2))).toBe('ab');
      // The waiting readuntil() goes on searching past the 3 bytes it had already searched, so
      // it misses this newline: asyncio 3.13 gives the same 'cd\ne\n'.
      reader.feedData(enc('d\n'));
      await settle();
      expect(line.done()).toBe(false);
      reader.feedData(enc('e\n'));
      expect(dec(await line)).toBe('cd\ne\n');
    });
  });

  it('cancelling a waiting read loses no bytes: readline, readuntil, readexactly, read()', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('par'));
      const reads = [
        () => reader.readline(),
        () => reader.readuntil(['END', '!']),
        () => reader.readexactly(10),
        () => reader.read(-1),
      ];
      for (const read of reads) {
        const task = createTask(read);
        await settle();
        task.cancel();
        await expect(task).rejects.toThrow(CancelledError);
      }
      reader.feedData(enc('tial\n'));
      expect(dec(await reader.readline())).toBe('partial\n');
    });
  });

  it('a read woken by data and cancelled before it resumes takes nothing (as asyncio)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const reads: [string, () => Promise<Buffer>][] = [
        ['a', () => reader.readexactly(1)],
        ['b\n', () => reader.readline()],
        ['c', () => reader.readuntil('c')],
        ['d', () => reader.read(1)],
        ['e', () => reader.read()],
      ];
      for (const [data, read] of reads) {
        const task = createTask(read);
        await settle();
        reader.feedData(enc(data));
        task.cancel();
        await expect(task).rejects.toThrow(CancelledError);
        expect(String(reader)).toBe(`<StreamReader ${data.length} bytes>`);
        expect(dec(await reader.read(10))).toBe(data);
      }
    });
  });

  it('cancelled in the iteration that wakes it: the data is returned or stays, never lost', async () => {
    // asyncio runs the woken read to completion before the cancelling callback; in tsio the
    // read resumes in a microtask after it (python-differences item 7) and takes nothing.
    await run(async () => {
      const loop = getRunningLoop();
      const reads = [
        (reader: StreamReader) => reader.readexactly(2),
        (reader: StreamReader) => reader.readline(),
        (reader: StreamReader) => reader.read(),
      ];
      for (const read of reads) {
        const reader = new StreamReader();
        const task = createTask(() => read(reader));
        await settle();
        reader.feedData(enc('z\n'));
        loop.callSoon(() => task.cancel());
        await settle();
        const got = task.cancelled() ? '' : dec(task.result());
        expect(got + (await rest(reader))).toBe('z\n');
      }
    });
  });

  it('a read cancelled by a timeout keeps the bytes (waitFor)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('12'));
      await expect(waitFor(reader.readexactly(4), 0.01)).rejects.toThrow();
      reader.feedData(enc('34'));
      expect(dec(await reader.readexactly(4))).toBe('1234');
    });
  });

  it('read() cancelled after collecting blocks puts them back (asyncio drops them)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('first '));
      const all = createTask(() => reader.read());
      await settle();
      reader.feedData(enc('second '));
      await settle();
      all.cancel();
      await expect(all).rejects.toThrow(CancelledError);
      reader.feedData(enc('third'));
      expect(await rest(reader)).toBe('first second third');
    });
  });
});

describe('StreamReader: read flow control', () => {
  it('pauses the transport above 2 x limit, resumes at <= limit (_maybe_resume_transport)', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 4 });
      const transport = new FakeReadTransport();
      reader._setTransport(transport);
      reader.feedData(enc('12345678'));
      expect(transport.events).toEqual([]); // 8 is not above 2 x 4
      reader.feedData(enc('9'));
      expect(transport.events).toEqual(['pause']);
      reader.feedData(enc('abc')); // already paused: no second pause
      expect(transport.events).toEqual(['pause']);
      expect(dec(await reader.read(7))).toBe('12345678'.slice(0, 7));
      expect(transport.events).toEqual(['pause']); // 5 left, above the limit
      expect(dec(await reader.read(1))).toBe('8');
      expect(transport.events).toEqual(['pause', 'resume']); // 4 left
      expect(dec(await reader.read(1))).toBe('9');
      expect(transport.events).toEqual(['pause', 'resume']);
    });
  });

  it('readline() and readuntil() resume too, also on a limit overrun', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 2 });
      const transport = new FakeReadTransport();
      reader._setTransport(transport);
      reader.feedData(enc('a\nb\nc\n'));
      expect(transport.events).toEqual(['pause']);
      expect(dec(await reader.readuntil())).toBe('a\n');
      expect(dec(await reader.readline())).toBe('b\n');
      expect(transport.events).toEqual(['pause', 'resume']);
      expect(dec(await reader.readline())).toBe('c\n');
      reader.feedData(enc('toolong'));
      expect(transport.events).toEqual(['pause', 'resume', 'pause']);
      await expect(reader.readline()).rejects.toThrow(ValueError);
      expect(transport.events).toEqual(['pause', 'resume', 'pause', 'resume']);
    });
  });

  it('a transport that cannot pause is forgotten; other pause errors propagate', () => {
    const reader = new StreamReader({ limit: 1 });
    reader._setTransport(new FakeReadTransport(new NotImplementedError()));
    reader.feedData(enc('abc'));
    expect(String(reader)).toBe('<StreamReader 3 bytes limit=1>');
    const failing = new StreamReader({ limit: 1 });
    failing._setTransport(new FakeReadTransport(new RuntimeError('pause failed')));
    expect(() => failing.feedData(enc('abc'))).toThrow('pause failed');
  });

  it('_setTransport() again moves flow control to the new transport', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 1 });
      const first = new FakeReadTransport();
      const second = new FakeReadTransport();
      reader._setTransport(first);
      reader.feedData(enc('abc'));
      reader._setTransport(second);
      reader.feedData(enc('d'));
      expect(first.events).toEqual(['pause']);
      expect(second.events).toEqual(['pause']);
      await reader.read(4);
      expect(second.events).toEqual(['pause', 'resume']);
    });
  });
});

describe('StreamReader: for await', () => {
  it('yields lines until end of file (__anext__)', async () => {
    await run(async () => {
      const reader = new StreamReader();
      feedSoon(getRunningLoop(), reader, 'one\ntw', 'o\nthree', null);
      const lines: string[] = [];
      for await (const line of reader) lines.push(dec(line));
      expect(lines).toEqual(['one\n', 'two\n', 'three']);
    });
  });

  it('break leaves the rest readable; errors propagate', async () => {
    await run(async () => {
      const reader = new StreamReader({ limit: 3 });
      reader.feedData(enc('a\nb\ntoolong\n'));
      for await (const line of reader) {
        expect(dec(line)).toBe('a\n');
        break;
      }
      const seen: string[] = [];
      await expect(
        (async () => {
          for await (const line of reader) seen.push(dec(line));
        })(),
      ).rejects.toThrow(ValueError);
      expect(seen).toEqual(['b\n']);
    });
  });

  it('cancelling the task that iterates cancels the read and keeps the bytes', async () => {
    await run(async () => {
      const reader = new StreamReader();
      reader.feedData(enc('x\npart'));
      const lines: string[] = [];
      const task = createTask(async () => {
        for await (const line of reader) lines.push(dec(line));
      });
      await settle();
      task.cancel();
      await expect(task).rejects.toThrow(CancelledError);
      expect(lines).toEqual(['x\n']);
      reader.feedData(enc('ial\n'));
      expect(dec(await reader.readline())).toBe('partial\n');
    });
  });
});

describe('StreamReader: cancelled read(n)', () => {
  it('read(n) cancelled while waiting on an empty reader loses nothing', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const task = createTask(() => reader.read(5));
      await settle();
      task.cancel();
      await expect(task).rejects.toThrow(CancelledError);
      reader.feedData(enc('abc'));
      expect(dec(await reader.read(5))).toBe('abc');
    });
  });
});
