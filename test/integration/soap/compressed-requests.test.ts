import type { IncomingHttpHeaders } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { request } from 'undici';
import { CALCULATOR_WSDL, calcBody, envelope, parseFault, postSoap, startLoopback, startSoapBridge, type LoopbackServer, type SoapTestBridge } from '../../utils/soap-bridge';

/**
 * Compressed request bodies (Apache CXF's GZIP feature, WCF compression, any client setting
 * Content-Encoding): the envelope is checked decoded and reaches the backend decoded; a coding
 * the bridge cannot read, a corrupt body or one that expands past limits.maxBodyBytes is the
 * client's error, in a Fault of its version. The REST facade reads compressed JSON the same way.
 */
const MAX_BODY = 64 * 1024;
let backend: LoopbackServer;
let bridge: SoapTestBridge;
let received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  backend = await startLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(envelope('1.1', '<AddResponse xmlns="http://tempuri.org/"><AddResult>3</AddResult></AddResponse>'));
    });
  });
  bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: `${backend.origin}/calculator`, expose: { soap: true, rest: true }, server: { limits: { maxBodyBytes: MAX_BODY } } });
});
beforeEach(() => {
  received = [];
});
afterAll(async () => {
  await bridge.close();
  await backend.close();
});

const ADD = envelope('1.1', calcBody('Add', 1, 2));
const soap11 = (encoding: string): Record<string, string> => ({ 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"', 'content-encoding': encoding });

test.each<[string, (b: Buffer) => Buffer]>([
  ['gzip', gzipSync],
  ['x-gzip', gzipSync],
  ['deflate', deflateSync],
  ['deflate', deflateRawSync], // raw DEFLATE, as some clients send it
  ['br', brotliCompressSync],
])('Content-Encoding: %s is checked decoded and forwarded decoded', async (encoding, compress) => {
  const r = await postSoap(bridge.apiUrl, compress(Buffer.from(ADD)), soap11(encoding));
  expect(r.status).toBe(200);
  expect(r.body).toContain('<AddResult>3</AddResult>');
  expect(received).toHaveLength(1);
  expect(received[0]!.body).toBe(ADD);
  expect(received[0]!.headers['content-encoding']).toBeUndefined();
  expect(received[0]!.headers['content-length']).toBe(String(Buffer.byteLength(ADD)));
});

test('a compressed envelope that is not SOAP is refused like a plain one', async () => {
  const r = await postSoap(bridge.apiUrl, gzipSync(Buffer.from('<html><body>hi</body></html>')), soap11('gzip'));
  expect(r.status).toBe(500);
  expect(parseFault(r.body)).toMatchObject({ code: 'Client', bridgeCode: 'SOAP_MALFORMED_ENVELOPE' });
  expect(received).toHaveLength(0);
});

test.each<[string, Buffer, string, number, string]>([
  ['an unknown coding', Buffer.from(ADD), 'compress', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['a stack of codings', gzipSync(gzipSync(Buffer.from(ADD))), 'gzip, gzip', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['corrupt gzip', Buffer.concat([gzipSync(Buffer.from(ADD)).subarray(0, 20), Buffer.alloc(20, 7)]), 'gzip', 500, 'BAD_REQUEST'],
  ['a gzip bomb (200 bytes that expand past maxBodyBytes)', gzipSync(Buffer.from(envelope('1.1', calcBody('Add', 1, 2).replace('<t:intA>', `<!--${' '.repeat(10 * MAX_BODY)}--><t:intA>`)))), 'gzip', 413, 'BODY_TOO_LARGE'],
])('%s is a Client fault with its code (and its HTTP status), and nothing reaches the backend', async (_label, body, encoding, status, code) => {
  const r = await postSoap(bridge.apiUrl, body, soap11(encoding));
  expect(r.status).toBe(status);
  expect(parseFault(r.body)).toMatchObject({ code: 'Client', bridgeCode: code });
  expect(received).toHaveLength(0);
});

test('the REST facade reads a gzip JSON body; an unknown coding is 415 problem+json', async () => {
  const ok = await request(`${bridge.apiUrl}/add`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from('{"intA":1,"intB":2}')) });
  expect({ status: ok.statusCode, body: await ok.body.json() }).toEqual({ status: 200, body: { AddResult: 3 } });
  expect(received[0]!.body).toMatch(/<(\w+:)?intA>1<\/(\w+:)?intA>/);
  const bad = await request(`${bridge.apiUrl}/add`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' }, body: '{"intA":1,"intB":2}' });
  expect(bad.statusCode).toBe(415);
  expect(await bad.body.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
});
