import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import {
  CALCULATOR_WSDL,
  SOAP11_ENV,
  metricValue,
  parseFault,
  soapHeaders,
  startLoopback,
  startSoapBridge,
  type LoopbackServer,
  type SoapTestBridge,
} from '../../utils/soap-bridge';

const TOTAL_ITEMS = 200_000; // ~20 MB of <t:intA> elements
const ITEM = (i: number): string => `<t:intA>${String(i).padStart(88, '0')}</t:intA>\n`;

/** An Add envelope of ~20 MB, generated lazily; `tail` replaces its proper end. */
function bigEnvelope(tail = '</t:Add></soap:Body></soap:Envelope>'): { stream: Readable; digest: () => { length: number; sha256: string } } {
  const hash = createHash('sha256');
  let length = 0;
  function* parts(): Generator<Buffer> {
    const emit = (s: string): Buffer => {
      const b = Buffer.from(s);
      hash.update(b);
      length += b.length;
      return b;
    };
    yield emit(`<?xml version="1.0"?><soap:Envelope xmlns:soap="${SOAP11_ENV}"><soap:Body><t:Add xmlns:t="http://tempuri.org/">`);
    for (let i = 0; i < TOTAL_ITEMS; i += 1000) {
      let chunk = '';
      for (let j = i; j < i + 1000; j++) chunk += ITEM(j);
      yield emit(chunk);
    }
    yield emit(tail);
  }
  return { stream: Readable.from(parts()), digest: () => ({ length, sha256: hash.digest('hex') }) };
}

let echo: LoopbackServer;
let bridge: SoapTestBridge;
let backendGot: { length: number; complete: boolean }[] = [];
/** 'stream': answer at once, piping the envelope back; 'buffer': answer only after the whole body. */
let echoMode: 'stream' | 'buffer' = 'stream';

beforeEach(async () => {
  backendGot = [];
  echoMode = 'stream';
  // Streams the envelope straight back, as a large SOAP answer would come.
  echo = await startLoopback((req, res) => {
    const seen = { length: 0, complete: false };
    backendGot.push(seen);
    req.on('data', (c: Buffer) => (seen.length += c.length));
    req.on('end', () => (seen.complete = true));
    if (echoMode === 'buffer') {
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end('<ok/>'));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    req.pipe(res);
  });
  bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: `${echo.origin}/calculator`, server: { limits: { maxBodyBytes: 64 * 1024 * 1024 } } });
});

afterEach(async () => {
  await bridge.close();
  await echo.close();
});

test('a 20 MB envelope streams through to the backend and back, operation taken from its head', async () => {
  const { stream, digest } = bigEnvelope();
  const res = await request(bridge.apiUrl, { method: 'POST', headers: soapHeaders('1.1', ''), body: stream });
  expect(res.statusCode).toBe(200);
  const back = createHash('sha256');
  let length = 0;
  for await (const c of res.body as AsyncIterable<Buffer>) {
    back.update(c);
    length += c.length;
  }
  const sent = digest();
  expect(sent.length).toBeGreaterThan(20_000_000);
  expect({ length, sha256: back.digest('hex') }).toEqual(sent);
  expect(backendGot).toEqual([{ length: sent.length, complete: true }]);
  expect(await metricValue(bridge.adminUrl, 'soapbridge_soap_operation_requests_total', { api: 'calc', operation: 'Add', status: '200' })).toBe(1);
}, 30_000);

describe('an envelope that turns malformed after the head (operation known, backend call under way)', () => {
  const broken = (): Readable => bigEnvelope('</t:Add></soap:Bodyy></soap:Envelope>').stream;

  afterEach(async () => {
    // The backend never saw a complete body, and the bridge keeps serving.
    expect(backendGot).toHaveLength(1);
    expect(backendGot[0]!.complete).toBe(false);
    echoMode = 'stream';
    const ok = await request(bridge.apiUrl, { method: 'POST', headers: soapHeaders('1.1', ''), body: bigEnvelope().stream });
    expect(ok.statusCode).toBe(200);
    await ok.body.dump({ limit: Infinity });
  });

  test('before the backend answered: the caller gets SOAP_MALFORMED_ENVELOPE', async () => {
    echoMode = 'buffer';
    const res = await request(bridge.apiUrl, { method: 'POST', headers: soapHeaders('1.1', 'http://tempuri.org/Add'), body: broken() });
    const text = await res.body.text();
    expect(res.statusCode).toBe(500);
    expect(parseFault(text)).toMatchObject({ code: 'Client', bridgeCode: 'SOAP_MALFORMED_ENVELOPE' });
  }, 30_000);

  test('while the backend streams its answer: the answer is cut, not completed', async () => {
    const res = await request(bridge.apiUrl, { method: 'POST', headers: soapHeaders('1.1', 'http://tempuri.org/Add'), body: broken() });
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
  }, 30_000);
});
