import { createHash } from 'node:crypto';
import http from 'node:http';
import { request } from 'undici';
import { EnvelopeInspector, type EnvelopeStart } from '../../../src/soap/envelope-inspector';
import {
  CALCULATOR_WSDL,
  calcBody,
  envelope,
  metricValue,
  parseFault,
  postSoap,
  startLoopback,
  startSoapBridge,
  type LoopbackServer,
  type SoapTestBridge,
} from '../../utils/soap-bridge';

/** Regressions, each named after what broke. */
let backend: LoopbackServer;
let bridge: SoapTestBridge;
let received: string[] = [];

beforeEach(async () => {
  received = [];
  // Answers a fixed envelope after recording the sha256 of the bytes it got.
  backend = await startLoopback((req, res) => {
    const hash = createHash('sha256');
    req.on('data', (c: Buffer) => hash.update(c));
    req.on('end', () => {
      received.push(hash.digest('hex'));
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(envelope('1.1', '<ok/>'));
    });
  });
  bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: `${backend.origin}/calculator` });
});

afterEach(async () => {
  await bridge.close();
  await backend.close();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

describe('UTF-16 envelopes were refused as "text data outside of root node" (WS-I BP R1012 allows them)', () => {
  const xml = envelope('1.1', calcBody('Add', 1, 2)).replace('utf-8', 'UTF-16');
  test.each([
    ['UTF-16LE with BOM', Buffer.from(`\ufeff${xml}`, 'utf16le')],
    ['UTF-16LE without BOM', Buffer.from(xml, 'utf16le')],
    ['UTF-16BE with BOM', utf16be(`\ufeff${xml}`)],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml.replace('UTF-16', 'utf-8'))])],
  ])('%s passes through unchanged, operation found in its Body', async (_name, bytes) => {
    const res = await postSoap(bridge.apiUrl, bytes, { 'content-type': 'text/xml; charset=utf-16', soapaction: '""' });
    expect(res.status).toBe(200);
    expect(received).toEqual([sha(bytes)]);
    expect(await metricValue(bridge.adminUrl, 'soapbridge_soap_operation_requests_total', { api: 'calc', operation: 'Add', status: '200' })).toBe(1);
  });

  test('a malformed UTF-16 envelope is still a Client fault', async () => {
    const bytes = Buffer.from(`\ufeff${xml.replace('</t:Add>', '')}`, 'utf16le');
    const res = await postSoap(bridge.apiUrl, bytes, { 'content-type': 'text/xml; charset=utf-16', soapaction: '""' });
    expect(parseFault(res.body)).toMatchObject({ code: 'Client', bridgeCode: 'SOAP_MALFORMED_ENVELOPE' });
    expect(received).toEqual([]);
  });

  test.each([
    ['UTF-8 with multi-byte text', Buffer.from(envelope('1.2', '<t:Add xmlns:t="http://tempuri.org/"><t:intA>€😀ü</t:intA></t:Add>'))],
    ['UTF-16BE', utf16be(`\ufeff${envelope('1.2', calcBody('Add', 1, 2))}`)],
    ['UTF-16LE', Buffer.from(envelope('1.2', calcBody('Add', 1, 2)), 'utf16le')],
  ])('%s fed one byte at a time still finds the operation', (_name, bytes) => {
    let start: EnvelopeStart | undefined;
    const inspector = new EnvelopeInspector('1.2', (s) => (start = s));
    for (const b of bytes) inspector.write(Buffer.from([b]));
    expect(inspector.end()).toEqual({ version: '1.2', firstBodyElement: '{http://tempuri.org/}Add' });
    expect(start?.firstBodyElement).toBe('{http://tempuri.org/}Add');
  });
});

test('?wsdl under many Host names kept one rewritten copy per Host forever (unbounded cache)', async () => {
  const { port } = new URL(bridge.apiUrl);
  const fetchAs = (host: string): Promise<string> =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/calc/v1?wsdl', headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
  for (let i = 0; i < 100; i++) expect(await fetchAs(`h${i}.example:80`)).toContain(`location="http://h${i}.example:80/calc/v1"`);
  const docs = bridge.bridge.gateway.apis()[0]!.soap!.docs as unknown as { rendered: Map<string, string> };
  expect(docs.rendered.size).toBeLessThanOrEqual(32);
  // Still correct for the real host afterwards.
  const res = await request(`${bridge.apiUrl}?wsdl`);
  expect(await res.body.text()).toContain(`location="${bridge.apiUrl}"`);
});

test('Expect: 100-continue (what .NET HttpWebRequest sends with every POST) failed with UND_ERR_NOT_SUPPORTED and suspended the backend', async () => {
  const body = Buffer.from(envelope('1.1', calcBody('Add', 1, 2)));
  const call = (): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = http.request(bridge.apiUrl, { method: 'POST', agent: false, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"', expect: '100-continue', 'content-length': String(body.length) } });
      req.on('continue', () => req.end(body));
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
  for (let i = 0; i < 3; i++) expect(await call()).toEqual({ status: 200, text: envelope('1.1', '<ok/>') });
  expect(received).toEqual([sha(body), sha(body), sha(body)]);
});
