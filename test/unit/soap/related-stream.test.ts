import { Readable } from 'node:stream';
import { inspectRelated, type RootPart } from '../../../src/soap/related-stream';
import { BridgeError } from '../../../src/errors/bridge-error';

/** Every way of cutting `text` into two chunks, plus one byte at a time. */
function splits(text: string): string[][] {
  const out: string[][] = [];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  out.push([...text]);
  return out;
}

describe('inspectRelated', () => {
  /** A paused-mode stream of `chunks`, the way a request body arrives. */
  const body = (chunks: string[]): Readable => Readable.from(chunks.map((c) => Buffer.from(c, 'latin1')), { objectMode: false });
  const drain = async (b: Readable | Buffer): Promise<string> => {
    if (Buffer.isBuffer(b)) return b.toString('latin1');
    const parts: Buffer[] = [];
    for await (const c of b) parts.push(c as Buffer);
    return Buffer.concat(parts).toString('latin1');
  };
  const THREE =
    'preamble\r\n--b\r\nContent-ID: <att1>\r\n\r\nAAAA\r\n' +
    '--b\r\nContent-Type: text/xml\r\nContent-ID: <root>\r\n\r\n<e/>\r\n' +
    '--b\r\nContent-ID: <att2>\r\n\r\nBBBB\r\n--b--\r\n';

  test('finds the root by start cid (not the first part) and passes every byte on, whatever the chunking', async () => {
    for (const chunks of splits(THREE)) {
      const seen: RootPart[] = [];
      const check = jest.fn(async (root: RootPart) => (seen.push(root), 'op'));
      const r = await inspectRelated(body(chunks), 'b', 'root', check);
      expect(r.decision).toBe('op');
      expect(await drain(r.body)).toBe(THREE);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.body.toString()).toBe('<e/>');
      expect(seen[0]!.headers.get('content-type')).toBe('text/xml');
    }
  });

  test('without start the first part is the root; a body that has all arrived comes back as a Buffer', async () => {
    const r = await inspectRelated(body([THREE]), 'b', undefined, async (root) => root.body.toString(), THREE.length);
    expect(r.decision).toBe('AAAA');
    expect(Buffer.isBuffer(r.body)).toBe(true);
    expect(await drain(r.body)).toBe(THREE);
  });

  test('a failing check is the answer: the body is not passed on', async () => {
    await expect(
      inspectRelated(body(splits(THREE).at(-1)!), 'b', 'root', async () => {
        throw new BridgeError('SOAP_UNKNOWN_OPERATION', 'nope');
      }),
    ).rejects.toMatchObject({ code: 'SOAP_UNKNOWN_OPERATION' });
  });

  test.each([
    ['no part with the start cid', THREE, 'nope', /no part has Content-ID <nope>/],
    ['truncated inside the root part', THREE.slice(0, THREE.indexOf('<e/>') + 3), 'root', /ended before the closing boundary of the root part/],
    ['no boundary in the body', '<env:Envelope/>', undefined, /before the first boundary/],
    // A backend that took "--bXY" for body bytes would see another root part than the bridge checked.
    ['a delimiter of the root part followed by garbage', '--b\r\nContent-ID: <root>\r\n\r\n<e/>\r\n--bXY\r\n', 'root', /followed by something other than CRLF/],
  ])('%s: SOAP_MALFORMED_ENVELOPE', async (_name, text, start, message) => {
    const check = jest.fn(async () => 'op');
    const err = await inspectRelated(body([text]), 'b', start, check).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'SOAP_MALFORMED_ENVELOPE' });
    expect((err as Error).message).toMatch(message);
    expect(check).not.toHaveBeenCalled();
  });

  test('whatever follows the root part is not parsed (pass-through)', async () => {
    const text = '--b\r\nContent-ID: <root>\r\n\r\n<e/>\r\n--b\r\n\x00garbage without headers end';
    for (const chunks of splits(text)) {
      const r = await inspectRelated(body(chunks), 'b', 'root', async () => 'op');
      expect(await drain(r.body)).toBe(text);
    }
  });
});
