import { MultipartScanner, MAX_PART_HEADER_BYTES, isValidBoundary, parsePartHeaders, type PartHeaders } from '../../../src/soap/multipart-related';
import { BridgeError } from '../../../src/errors/bridge-error';

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** Runs the scanner over `chunks`; answers the parts (body as latin1) and whether it closed. */
function scan(boundary: string, chunks: (string | Buffer)[]): { parts: Part[]; closed: boolean } {
  const parts: Part[] = [];
  let current: { headers: PartHeaders; body: Buffer[] } | undefined;
  let closed = false;
  const s = new MultipartScanner(boundary, {
    part: (headers) => (current = { headers, body: [] }),
    data: (b) => current!.body.push(Buffer.from(b)),
    partEnd: () => {
      parts.push({ headers: Object.fromEntries(current!.headers), body: Buffer.concat(current!.body).toString('latin1') });
      current = undefined;
    },
    close: () => (closed = true),
  });
  for (const c of chunks) s.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
  s.end();
  return { parts, closed };
}

/** Every way of cutting `text` into two chunks, plus one byte at a time. */
function splits(text: string): string[][] {
  const out: string[][] = [];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  out.push([...text]);
  return out;
}

function malformed(fn: () => unknown, message: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BridgeError);
  expect((err as BridgeError).code).toBe('SOAP_MALFORMED_ENVELOPE');
  expect((err as BridgeError).message).toMatch(message);
}

const TWO_PARTS =
  '--b1\r\nContent-Type: text/xml\r\nContent-ID: <root>\r\n\r\n<a/>\r\n' +
  '--b1\r\nContent-Type: application/octet-stream\r\nContent-ID: <att>\r\n\r\n\x00\x01\r\n-b1 x--b1\r\n--b\xff\r\n' +
  '--b1--\r\n';

describe('MultipartScanner', () => {
  test('two parts, whatever the chunking (a delimiter split across chunks included)', () => {
    for (const chunks of splits(TWO_PARTS)) {
      const { parts, closed } = scan('b1', chunks);
      expect(closed).toBe(true);
      expect(parts).toEqual([
        { headers: { 'content-type': 'text/xml', 'content-id': '<root>' }, body: '<a/>' },
        // Near misses ("-b1", "--b1" not after CRLF, "--b" + other bytes) are body bytes.
        { headers: { 'content-type': 'application/octet-stream', 'content-id': '<att>' }, body: '\x00\x01\r\n-b1 x--b1\r\n--b\xff' },
      ]);
    }
  });

  test('a preamble and an epilogue are skipped, whatever the chunking', () => {
    for (const chunks of splits('preamble text\r\n--b1\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--b1--\r\nepilogue\r\n--b1\r\nnot a part')) {
      expect(scan('b1', chunks).parts).toEqual([{ headers: { 'content-type': 'text/xml' }, body: '<a/>' }]);
    }
  });

  test('the preamble ends at the first delimiter: what follows it is the first part\'s headers', () => {
    malformed(() => scan('b1', ['preamble\r\n--b1\r\n--b1 looks like a boundary\r\n\r\n<a/>\r\n--b1--']), /malformed part header line "--b1 looks like a boundary"/);
  });

  test('transport padding after a delimiter, a part without headers, folded header lines', () => {
    const text = '--b1  \t\r\n\r\nno headers\r\n--b1\r\nContent-Type: application/xop+xml;\r\n type="text/xml"\r\nX-A: 1\r\nx-a: 2\r\n\r\n\r\n--b1--';
    expect(scan('b1', [text]).parts).toEqual([
      { headers: {}, body: 'no headers' },
      { headers: { 'content-type': 'application/xop+xml; type="text/xml"', 'x-a': '1' }, body: '' },
    ]);
  });

  test('boundaries with the characters RFC 2046 allows, spaces included', () => {
    const b = "uuid:0a1b+'()_,-./=? x";
    expect(isValidBoundary(b)).toBe(true);
    expect(scan(b, [`--${b}\r\nContent-ID: <x>\r\n\r\nbody\r\n--${b}--`]).parts).toEqual([{ headers: { 'content-id': '<x>' }, body: 'body' }]);
  });

  test.each([
    ['', false],
    ['a'.repeat(70), true],
    ['a'.repeat(71), false],
    ['ends with space ', false],
    ['semi;colon', false],
    ['quote"', false],
    ['é', false],
  ])('isValidBoundary(%j) is %s', (b, ok) => {
    expect(isValidBoundary(b)).toBe(ok);
  });

  test('an invalid boundary is refused up front', () => {
    expect(() => new MultipartScanner('bad;boundary', { part: jest.fn(), data: jest.fn(), partEnd: jest.fn(), close: jest.fn() })).toThrow(/invalid multipart boundary/);
  });

  test.each([
    ['no boundary at all', '<soap:Envelope/>', /ended before the first boundary/],
    ['empty body', '', /ended before the first boundary/],
    ['truncated in a part', '--b1\r\nContent-Type: text/xml\r\n\r\n<a/>', /ended before the closing boundary/],
    ['truncated after a delimiter', '--b1\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--b1', /ended before the closing boundary/],
    ['truncated in the headers', '--b1\r\nContent-Type: text/xml\r\n', /ended inside part headers/],
    ['closes before any part', '--b1--\r\n', /closes before its first part/],
    ['garbage after a delimiter', '--b1garbage\r\n\r\nx\r\n--b1--', /followed by something other than CRLF/],
    ['bare LF after a delimiter', '--b1\nContent-Type: text/xml\n\n<a/>\n--b1--', /followed by something other than CRLF/],
    ['a header line without a colon', '--b1\r\nContent-Type text/xml\r\n\r\nx\r\n--b1--', /malformed part header line/],
    ['a bare LF inside headers', '--b1\r\nContent-Type: text/xml\nX: y\r\n\r\nx\r\n--b1--', /bare CR, LF or NUL/],
    ['a repeated Content-ID', '--b1\r\nContent-ID: <a>\r\nContent-ID: <b>\r\n\r\nx\r\n--b1--', /Content-ID appears twice/],
    ['a leading continuation line', '--b1\r\n folded\r\n\r\nx\r\n--b1--', /continuation line/],
  ])('%s is malformed', (_name, text, message) => {
    malformed(() => scan('b1', [text]), message);
  });

  test('part headers are capped, also when they arrive in small chunks', () => {
    const big = `--b1\r\nX-Big: ${'a'.repeat(MAX_PART_HEADER_BYTES)}`;
    const s = new MultipartScanner('b1', { part: jest.fn(), data: jest.fn(), partEnd: jest.fn(), close: jest.fn() });
    malformed(() => {
      for (let i = 0; i < big.length; i += 1000) s.write(Buffer.from(big.slice(i, i + 1000)));
    }, /part headers longer than/);
    // The failure sticks.
    malformed(() => s.write(Buffer.from('\r\n\r\n')), /part headers longer than/);
  });

  test('a long body streams out without being held: the scanner keeps only a delimiter-sized tail', () => {
    const seen: number[] = [];
    const s = new MultipartScanner('b1', { part: jest.fn(), data: (b) => seen.push(b.length), partEnd: jest.fn(), close: jest.fn() });
    s.write(Buffer.from('--b1\r\n\r\n'));
    for (let i = 0; i < 100; i++) s.write(Buffer.alloc(10000, 0x61));
    // All but the last delimiter-length-minus-one bytes were handed on already.
    expect(seen.reduce((a, b) => a + b, 0)).toBe(100 * 10000 - ('\r\n--b1'.length - 1));
  });

  test('a delimiter ends a part only once its line is known good', () => {
    const ends = jest.fn();
    const s = new MultipartScanner('b1', { part: jest.fn(), data: jest.fn(), partEnd: ends, close: jest.fn() });
    s.write(Buffer.from('--b1\r\n\r\n<a/>\r\n--b1 '));
    expect(ends).not.toHaveBeenCalled();
    s.write(Buffer.from('\r'));
    expect(ends).not.toHaveBeenCalled();
    s.write(Buffer.from('\n'));
    expect(ends).toHaveBeenCalledTimes(1);
  });

  test('stop() from a listener ends scanning: later garbage in the same chunk is not looked at', () => {
    const parts: string[] = [];
    const s: MultipartScanner = new MultipartScanner('b1', {
      part: (h) => parts.push(h.get('content-id') ?? ''),
      data: jest.fn(),
      partEnd: () => s.stop(),
      close: jest.fn(),
    });
    s.write(Buffer.from('--b1\r\nContent-ID: <r>\r\n\r\n<a/>\r\n--b1\r\nno colon here\r\n\r\n\r\n--b1--'));
    s.end();
    expect(parts).toEqual(['<r>']);
  });
});

describe('parsePartHeaders', () => {
  test('names are case-insensitive, values trimmed', () => {
    expect(Object.fromEntries(parsePartHeaders('CONTENT-TYPE:  text/xml \r\nContent-Id:<a>'))).toEqual({ 'content-type': 'text/xml', 'content-id': '<a>' });
  });
});
