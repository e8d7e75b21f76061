import { Readable } from 'node:stream';
import { request } from 'undici';
import { deadPort } from '../../utils/http-backend';
import {
  CALCULATOR_WSDL,
  calcBody,
  envelope,
  parseFault,
  postSoap,
  soapHeaders,
  startCalculatorBackend,
  startLoopback,
  startSoapBridge,
  type LoopbackServer,
  type SoapBackend,
  type SoapTestBridge,
  type SoapVersion,
} from '../../utils/soap-bridge';

/**
 * Failures around the envelope: the backend, the body size, the content type. Receiver/Server
 * faults for backend trouble; SOAP 1.1 Faults always travel with HTTP 500, SOAP 1.2 Faults with
 * the catalogue status (502, 504, 413).
 */
const ADD = (v: SoapVersion): string => envelope(v, calcBody('Add', 1, 2));
const serverSide = (v: SoapVersion): string => (v === '1.1' ? 'Server' : 'Receiver');
// SOAP 1.1 Faults go out with 500 (WS-I R1126) except HTTP-level refusals (R1125: 413, 415).
const statusOf = (v: SoapVersion, status: number): number => (v === '1.1' && status !== 413 && status !== 415 ? 500 : status);

describe('backend trouble', () => {
  let bridge: SoapTestBridge;
  let hanging: LoopbackServer;
  afterEach(async () => {
    await bridge?.close();
    await hanging?.close();
  });

  test.each(['1.1', '1.2'] as const)('unreachable backend: ENDPOINT_UNREACHABLE (SOAP %s)', async (version) => {
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: `http://127.0.0.1:${await deadPort()}/calculator` });
    const res = await postSoap(bridge.apiUrl, ADD(version), soapHeaders(version, 'http://tempuri.org/Add'));
    expect(res.status).toBe(statusOf(version, 502));
    expect(parseFault(res.body)).toMatchObject({ version, code: serverSide(version), bridgeCode: 'ENDPOINT_UNREACHABLE' });
  });

  test.each(['1.1', '1.2'] as const)('backend slower than timeout.ms: ENDPOINT_TIMEOUT (SOAP %s)', async (version) => {
    let calls = 0;
    // 1. The first call hangs (reads the body, never answers); later calls answer at once.
    hanging = await startLoopback((req, res) => {
      req.resume();
      if (calls++ === 0) return;
      res.writeHead(200, { 'content-type': 'text/xml' }).end(envelope(version, '<ok/>'));
    });
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: `${hanging.origin}/calculator`, endpoint: { timeout: { ms: 300 } } });
    const started = Date.now();
    const res = await postSoap(bridge.apiUrl, ADD(version), soapHeaders(version, 'http://tempuri.org/Add'));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(statusOf(version, 504));
    expect(parseFault(res.body)).toMatchObject({ version, code: serverSide(version), bridgeCode: 'ENDPOINT_TIMEOUT' });
    // 2. The bridge keeps serving.
    const next = await postSoap(bridge.apiUrl, ADD(version), soapHeaders(version, 'http://tempuri.org/Add'));
    expect(next.status).toBe(200);
  });
});

describe('request limits and content types', () => {
  const LIMIT = 4096;
  let backend: SoapBackend;
  let bridge: SoapTestBridge;

  beforeEach(async () => {
    backend = await startCalculatorBackend();
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: backend.url, server: { limits: { maxBodyBytes: LIMIT } } });
  });

  afterEach(async () => {
    await bridge.close();
    await backend.close();
  });

  async function stillServes(): Promise<void> {
    const res = await postSoap(bridge.apiUrl, ADD('1.2'), soapHeaders('1.2', ''));
    expect(res.status).toBe(200);
  }

  /** An Add envelope padded with a SOAP header to `size` bytes. */
  function padded(version: SoapVersion, size: number): string {
    const base = ADD(version);
    const filler = `<p:pad xmlns:p="urn:pad">${'x'.repeat(size - base.length - 60)}</p:pad>`;
    return envelope(version, calcBody('Add', 1, 2), filler);
  }

  test.each(['1.1', '1.2'] as const)('a declared length over maxBodyBytes: BODY_TOO_LARGE (SOAP %s)', async (version) => {
    const res = await postSoap(bridge.apiUrl, padded(version, LIMIT + 2000), soapHeaders(version, 'http://tempuri.org/Add'));
    expect(res.status).toBe(statusOf(version, 413));
    expect(parseFault(res.body)).toMatchObject({ version, code: version === '1.1' ? 'Client' : 'Sender', bridgeCode: 'BODY_TOO_LARGE' });
    expect(backend.hits()).toBe(0);
    await stillServes();
  });

  test('a chunked body that grows past maxBodyBytes after the operation is known: BODY_TOO_LARGE', async () => {
    // The head (with the Add element) fits; the rest pushes the body over the limit while it is
    // already streaming to the backend.
    const head = ADD('1.2').replace('</env:Body></env:Envelope>', `<t:pad xmlns:t="urn:pad">`);
    const chunks = [head, ...Array.from({ length: 8 }, () => 'y'.repeat(1024)), '</t:pad></env:Body></env:Envelope>'];
    const res = await postSoap(bridge.apiUrl, Readable.from(chunks.map((c) => Buffer.from(c))), soapHeaders('1.2', 'http://tempuri.org/Add'));
    expect(res.status).toBe(413);
    expect(parseFault(res.body)).toMatchObject({ version: '1.2', code: 'Sender', bridgeCode: 'BODY_TOO_LARGE' });
    await stillServes();
  });

  test.each(['application/json', 'text/plain', 'application/xml'])('a non-SOAP content type (%s): UNSUPPORTED_MEDIA_TYPE as a SOAP 1.1 Fault', async (type) => {
    const res = await postSoap(bridge.apiUrl, ADD('1.1'), { 'content-type': type });
    // An HTTP-level refusal keeps its 415 (WS-I R1125), with a SOAP 1.1 Fault body.
    expect(res.status).toBe(415);
    expect(res.contentType).toContain('text/xml');
    expect(parseFault(res.body)).toMatchObject({ version: '1.1', code: 'Client', bridgeCode: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(backend.hits()).toBe(0);
    await stillServes();
  });

  test('no content type at all: UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await request(bridge.apiUrl, { method: 'POST', body: Buffer.from(ADD('1.1')) });
    const body = await res.body.text();
    expect(parseFault(body).bridgeCode).toBe('UNSUPPORTED_MEDIA_TYPE');
    await stillServes();
  });
});
