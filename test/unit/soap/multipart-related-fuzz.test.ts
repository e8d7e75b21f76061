/**
 * The multipart scanner on seeded random mutations of valid bodies: it either yields parts or
 * fails with a BridgeError (never another exception), and the outcome does not depend on how the
 * bytes are cut into chunks — the classic place for a streaming parser to go wrong.
 */
import { BridgeError } from '../../../src/errors/bridge-error';
import { MultipartScanner } from '../../../src/soap/multipart-related';

type Outcome = { parts: { headers: [string, string][]; body: string }[]; closed: boolean } | { error: string };

function run(boundary: string, chunks: Buffer[]): Outcome {
  const parts: { headers: [string, string][]; body: string }[] = [];
  let current: { headers: [string, string][]; body: Buffer[] } | undefined;
  let closed = false;
  try {
    const s = new MultipartScanner(boundary, {
      part: (headers) => (current = { headers: [...headers], body: [] }),
      data: (b) => current?.body.push(Buffer.from(b)),
      partEnd: () => {
        if (current) parts.push({ headers: current.headers, body: Buffer.concat(current.body).toString('latin1') });
        current = undefined;
      },
      close: () => (closed = true),
    });
    for (const c of chunks) s.write(c);
    s.end();
  } catch (e) {
    if (!(e instanceof BridgeError)) throw e;
    return { error: e.code };
  }
  return { parts, closed };
}

const BOUNDARY = 'MIMEBoundary_4f2a';
const VALID = [
  'preamble text\r\n',
  `--${BOUNDARY}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="text/xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root@x>\r\n\r\n`,
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Add/></soap:Body></soap:Envelope>',
  `\r\n--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-ID: <att@x>\r\n\r\n`,
  '\u0000\u0001binary\r\n-- not a delimiter\r\n--MIME',
  `\r\n--${BOUNDARY}--\r\nepilogue`,
].join('');

it('never throws anything but a BridgeError, and chunking never changes the outcome', () => {
  let seed = 977;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = ['\r\n', '--', BOUNDARY, `--${BOUNDARY}`, '\r', '\n', ' ', ':', 'Content-ID: <x>', '\u0000', 'a'];
  const outcomes = { parsed: 0, refused: 0 };
  for (let i = 0; i < 2000; i++) {
    let text = VALID;
    for (let k = 1 + rand(3); k > 0; k--) {
      const at = rand(text.length);
      const op = rand(3);
      const ins = pieces[rand(pieces.length)] as string;
      text = op === 0 ? text.slice(0, at) + text.slice(at + 1 + rand(8)) : op === 1 ? text.slice(0, at) + ins + text.slice(at) : text.slice(0, at) + ins + text.slice(at + ins.length);
    }
    const bytes = Buffer.from(text, 'latin1');
    const whole = run(BOUNDARY, [bytes]);
    const chunks: Buffer[] = [];
    for (let p = 0; p < bytes.length; ) {
      const n = 1 + rand(24);
      chunks.push(bytes.subarray(p, p + n));
      p += n;
    }
    expect([text, run(BOUNDARY, chunks)]).toEqual([text, whole]);
    if ('error' in whole) outcomes.refused++;
    else outcomes.parsed++;
  }
  // Both outcomes must be exercised for the comparison to mean something.
  expect(outcomes.parsed).toBeGreaterThan(200);
  expect(outcomes.refused).toBeGreaterThan(200);
});
