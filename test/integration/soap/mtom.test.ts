import { gzipSync } from 'node:zlib';
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CALCULATOR_WSDL,
  SOAP11_ENV,
  SOAP12_ENV,
  calcBody,
  envelope,
  metricValue,
  parseFault,
  postSoap,
  soapHeaders,
  startLoopback,
  startSoapBridge,
  type LoopbackServer,
  type SoapTestBridge,
  type SoapVersion,
} from '../../utils/soap-bridge';

/**
 * MTOM/XOP and SOAP with attachments through the pass-through: the root part's envelope is
 * checked like a plain one, the whole multipart body reaches the backend byte for byte, and the
 * backend's (multipart) answer comes back unchanged. The backend is a plain `http` server that
 * records exactly what arrived.
 */
const OPS = 'soapbridge_soap_operation_requests_total';
const execFileAsync = promisify(execFile);
/** Every byte value, CR LF and "--" included, so nothing in between may touch the attachment. */
const BINARY = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--\r\n--uuid\r\n'), randomBytes(4096)]);

interface Seen {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

let backend: LoopbackServer;
let bridge: SoapTestBridge;
let seen: Seen[];
let answer: Answer;

const XOP_NS = 'http://www.w3.org/2004/08/xop/include';

/** A multipart/related body: parts joined with CRLF--boundary, closed with CRLF--boundary--CRLF. */
function multipart(boundary: string, parts: { headers: Record<string, string>; body: string | Buffer }[], preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble ? `${preamble}\r\n` : '', 'latin1')];
  for (const p of parts) {
    const head = Object.entries(p.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`, 'latin1'), Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body, 'utf8'), Buffer.from('\r\n', 'latin1'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(chunks);
}

/** An MTOM answer of `version`: AddResponse with an xop:Include, and the binary part it points at. */
function mtomAnswer(version: SoapVersion, result: number): Answer {
  const envType = version === '1.1' ? 'text/xml' : 'application/soap+xml';
  const env = envelope(version, `<AddResponse xmlns="http://tempuri.org/"><AddResult>${result}</AddResult><Blob><xop:Include xmlns:xop="${XOP_NS}" href="cid:blob@backend"/></Blob></AddResponse>`);
  return {
    status: 200,
    headers: { 'content-type': `multipart/related; type="application/xop+xml"; start="<resp@backend>"; start-info="${envType}"; boundary="resp-boundary"` },
    body: multipart('resp-boundary', [
      { headers: { 'Content-Type': `application/xop+xml; charset=UTF-8; type="${envType}"`, 'Content-ID': '<resp@backend>', 'Content-Transfer-Encoding': 'binary' }, body: env },
      { headers: { 'Content-Type': 'application/octet-stream', 'Content-ID': '<blob@backend>', 'Content-Transfer-Encoding': 'binary' }, body: BINARY },
    ]),
  };
}

const plainAnswer = (version: SoapVersion, result: number): Answer => ({
  status: 200,
  headers: { 'content-type': soapHeaders(version, null)['content-type']! },
  body: Buffer.from(envelope(version, `<AddResponse xmlns="http://tempuri.org/"><AddResult>${result}</AddResult></AddResponse>`)),
});

beforeEach(async () => {
  seen = [];
  answer = plainAnswer('1.1', 42);
  backend = await startLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: `${backend.origin}/calculator` });
});

afterEach(async () => {
  await bridge.close();
  await backend.close();
});

interface ClientRun {
  readonly sent: { contentType: string; body: string }[];
  readonly result: Record<string, unknown>;
  readonly attachments: { headers: Record<string, string>; body: string }[];
}

/** Runs mtom-client.js (the `soap` client, forceMTOM, one attachment) against `wsdlUrl`. */
async function soapClientMtomCall(wsdlUrl: string, attachment: Buffer): Promise<ClientRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-mtom-'));
  const file = path.join(dir, 'attachment.bin');
  writeFileSync(file, attachment);
  try {
    const { stdout } = await execFileAsync(process.execPath, [path.join(__dirname, 'mtom-client.js'), wsdlUrl, file], { cwd: path.join(__dirname, '..', '..', '..') });
    return JSON.parse(stdout) as ClientRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the `soap` client with forceMTOM and an attachment, through the bridge: byte for byte both ways', async () => {
  answer = mtomAnswer('1.1', 42);
  const run = await soapClientMtomCall(`${bridge.apiUrl}?wsdl`, BINARY);
  // 1. The client really spoke MTOM (type=application/xop+xml), the attachment in its own part.
  expect(run.sent).toHaveLength(1);
  const sent = { contentType: run.sent[0]!.contentType, body: Buffer.from(run.sent[0]!.body, 'base64') };
  expect(sent.contentType).toMatch(/^multipart\/related; type="application\/xop\+xml"; start="<[^>]+>"; start-info="text\/xml"; boundary=/);
  expect(sent.body.includes(BINARY)).toBe(true);
  // 2. The backend got that body and content type unchanged.
  expect(seen).toHaveLength(1);
  expect(seen[0]!.headers['content-type']).toBe(sent.contentType);
  expect(seen[0]!.body.equals(sent.body)).toBe(true);
  expect(seen[0]!.headers['soapaction']).toBe('"http://tempuri.org/Add"');
  // 3. The multipart answer came back: the client read the root part and the attachment.
  expect(Number(run.result['AddResult'])).toBe(42);
  expect(run.attachments.map((p) => Buffer.from(p.body, 'base64').equals(BINARY))).toEqual([true]);
  expect(await metricValue(bridge.adminUrl, OPS, { api: 'calc', operation: 'Add', status: '200' })).toBe(1);
});

test('MTOM SOAP 1.2, root part not first (start cid), streamed in small chunks: byte for byte, the answer relayed unchanged', async () => {
  answer = mtomAnswer('1.2', 5);
  const big = randomBytes(3 * 1024 * 1024);
  const env = envelope('1.2', `<t:Add xmlns:t="http://tempuri.org/"><t:intA>2</t:intA><t:intB>3</t:intB><t:Data><xop:Include xmlns:xop="${XOP_NS}" href="cid:big@client"/></t:Data></t:Add>`);
  const body = multipart(
    'MIMEBoundary_urn_uuid_1234',
    [
      { headers: { 'Content-Type': 'image/png', 'Content-ID': '<before@client>' }, body: BINARY },
      { headers: { 'Content-Type': 'application/xop+xml; charset=UTF-8; type="application/soap+xml"', 'Content-Transfer-Encoding': '8bit', 'Content-ID': '<root@client>' }, body: env },
      { headers: { 'Content-Type': 'application/octet-stream', 'Content-ID': '<big@client>' }, body: big },
    ],
    'This is a preamble; parsers skip it.',
  );
  const contentType = 'multipart/related; type="application/xop+xml"; start="<root@client>"; start-info="application/soap+xml; action=\\"http://tempuri.org/Add\\""; boundary=MIMEBoundary_urn_uuid_1234';
  // Small chunks (delimiters split across them) and no content-length: chunked transfer.
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 997) chunks.push(body.subarray(i, i + 997));
  const res = await request(bridge.apiUrl, { method: 'POST', headers: { 'content-type': contentType }, body: Readable.from(chunks, { objectMode: false }) });
  const got = Buffer.from(await res.body.arrayBuffer());
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe(answer.headers['content-type']);
  expect(got.equals(answer.body)).toBe(true);
  expect(seen).toHaveLength(1);
  expect(seen[0]!.headers['content-type']).toBe(contentType);
  expect(seen[0]!.body.equals(body)).toBe(true);
  expect(await metricValue(bridge.adminUrl, OPS, { api: 'calc', operation: 'Add', status: '200' })).toBe(1);
});

test('SOAP with attachments (type=text/xml) and a binary part: byte for byte, identified by SOAPAction', async () => {
  const body = multipart('----=_Part_0_1', [
    { headers: { 'Content-Type': 'text/xml; charset=UTF-8', 'Content-Transfer-Encoding': 'binary', 'Content-ID': '<soap-root>' }, body: envelope('1.1', calcBody('Multiply', 6, 7)) },
    { headers: { 'Content-Type': 'application/octet-stream', 'Content-Transfer-Encoding': 'binary', 'Content-ID': '<attachment-1>' }, body: BINARY },
  ]);
  const contentType = 'multipart/related; type="text/xml"; start="<soap-root>"; boundary="----=_Part_0_1"';
  const res = await request(bridge.apiUrl, { method: 'POST', headers: { 'content-type': contentType, soapaction: '"http://tempuri.org/Multiply"' }, body });
  expect(res.statusCode).toBe(200);
  expect(await res.body.text()).toContain('<AddResult>42</AddResult>'); // whatever the backend says
  expect(seen).toHaveLength(1);
  expect(seen[0]!.headers['content-type']).toBe(contentType);
  expect(seen[0]!.headers['content-length']).toBe(String(body.length));
  expect(seen[0]!.body.equals(body)).toBe(true);
  expect(await metricValue(bridge.adminUrl, OPS, { api: 'calc', operation: 'Multiply', status: '200' })).toBe(1);
});

test('SOAP with attachments sent gzip-compressed: checked and forwarded decoded, attachments byte for byte', async () => {
  const body = multipart('----=_Part_0_1', [
    { headers: { 'Content-Type': 'text/xml; charset=UTF-8', 'Content-ID': '<soap-root>' }, body: envelope('1.1', calcBody('Multiply', 6, 7)) },
    { headers: { 'Content-Type': 'application/octet-stream', 'Content-ID': '<attachment-1>' }, body: BINARY },
  ]);
  const contentType = 'multipart/related; type="text/xml"; start="<soap-root>"; boundary="----=_Part_0_1"';
  const res = await request(bridge.apiUrl, { method: 'POST', headers: { 'content-type': contentType, 'content-encoding': 'gzip', soapaction: '"http://tempuri.org/Multiply"' }, body: gzipSync(body) });
  expect(res.statusCode).toBe(200);
  await res.body.text();
  expect(seen).toHaveLength(1);
  expect(seen[0]!.headers['content-encoding']).toBeUndefined();
  expect(seen[0]!.headers['content-length']).toBe(String(body.length));
  expect(seen[0]!.body.equals(body)).toBe(true);
});

describe('bad multipart requests get a Fault of the caller\'s version and never reach the backend', () => {
  const root11 = { 'Content-Type': 'application/xop+xml; type="text/xml"', 'Content-ID': '<r>' };
  const root12 = { 'Content-Type': 'application/xop+xml; type="application/soap+xml"', 'Content-ID': '<r>' };
  const mtom = (startInfo: string, extra = ''): string => `multipart/related; type="application/xop+xml"; start="<r>"; start-info="${startInfo}"${extra}`;
  const good11 = multipart('b', [{ headers: root11, body: envelope('1.1', calcBody('Add', 1, 2)) }]);
  const good12 = multipart('b', [{ headers: root12, body: envelope('1.2', calcBody('Add', 1, 2)) }]);

  /** After a bad request, a good one still gets through. */
  async function stillServes(): Promise<void> {
    const before = seen.length;
    const res = await request(bridge.apiUrl, { method: 'POST', headers: { 'content-type': mtom('text/xml', '; boundary=b'), soapaction: '"http://tempuri.org/Add"' }, body: good11 });
    expect(res.statusCode).toBe(200);
    await res.body.text();
    expect(seen.length).toBe(before + 1);
  }

  test.each([
    ['no boundary', '1.2', mtom('application/soap+xml'), good12, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['MTOM without start-info', '1.1', 'multipart/related; type="application/xop+xml"; boundary=b', good11, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no part with the start cid', '1.2', mtom('application/soap+xml', '; boundary=b').replace('<r>', '<missing>'), good12, 400, 'SOAP_MALFORMED_ENVELOPE'],
    ['a root part that is not XML', '1.1', mtom('text/xml', '; boundary=b'), multipart('b', [{ headers: { 'Content-Type': 'image/png', 'Content-ID': '<r>' }, body: BINARY }]), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body ending inside the root part', '1.2', mtom('application/soap+xml', '; boundary=b'), good12.subarray(0, good12.length - 12), 400, 'SOAP_MALFORMED_ENVELOPE'],
    ['a body that is not multipart', '1.1', mtom('text/xml', '; boundary=b'), Buffer.from(envelope('1.1', calcBody('Add', 1, 2))), 500, 'SOAP_MALFORMED_ENVELOPE'],
    ['a root envelope of the other version', '1.1', mtom('text/xml', '; boundary=b'), multipart('b', [{ headers: root11, body: envelope('1.2', calcBody('Add', 1, 2)) }]), 500, 'SOAP_VERSION_MISMATCH'],
    ['a root envelope that is not well-formed', '1.2', mtom('application/soap+xml', '; boundary=b'), multipart('b', [{ headers: root12, body: envelope('1.2', calcBody('Add', 1, 2)).slice(0, -5) }]), 400, 'SOAP_MALFORMED_ENVELOPE'],
    ['a DOCTYPE in the root envelope', '1.1', mtom('text/xml', '; boundary=b'), multipart('b', [{ headers: root11, body: `<!DOCTYPE x [<!ENTITY e "e">]>${envelope('1.1', calcBody('Add', 1, 2))}` }]), 500, 'SOAP_MALFORMED_ENVELOPE'],
  ] as const)('%s: SOAP %s Fault', async (_name, version, contentType, body, status, bridgeCode) => {
    const res = await request(bridge.apiUrl, { method: 'POST', headers: { 'content-type': contentType, soapaction: '"http://tempuri.org/Add"' }, body });
    const text = await res.body.text();
    // SOAP 1.1 Faults travel with 500 but for HTTP-level refusals (415); SOAP 1.2 ones with the catalogue status.
    expect(res.statusCode).toBe(status);
    const fault = parseFault(text);
    expect(fault).toMatchObject({ version, bridgeCode });
    expect(text).toContain(version === '1.1' ? SOAP11_ENV : SOAP12_ENV);
    expect(seen).toHaveLength(0);
    await stillServes();
  });
});

test.each(['1.1', '1.2'] as const)('an unknown operation in the root part gets the same Fault as in a plain SOAP %s request', async (version) => {
  const env = envelope(version, '<t:NotAnOperation xmlns:t="http://tempuri.org/"/>');
  const plain = await postSoap(bridge.apiUrl, env, soapHeaders(version, ''));
  const envType = version === '1.1' ? 'text/xml' : 'application/soap+xml';
  const body = multipart('b', [{ headers: { 'Content-Type': `application/xop+xml; type="${envType}"` }, body: env }]);
  const related = await postSoap(bridge.apiUrl, body, { 'content-type': `multipart/related; type="application/xop+xml"; start-info="${envType}"; boundary=b`, soapaction: '""' });
  expect(related.status).toBe(plain.status);
  expect(related.contentType).toBe(plain.contentType);
  const [p, r] = [parseFault(plain.body), parseFault(related.body)];
  expect(p).toMatchObject({ version, bridgeCode: 'SOAP_UNKNOWN_OPERATION' });
  expect(r).toEqual(p);
  expect(seen).toHaveLength(0);
});

test('a body over limits.maxBodyBytes is refused while the root part is still being looked for', async () => {
  await bridge.close();
  bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: `${backend.origin}/calculator`, server: { limits: { maxBodyBytes: 64 * 1024, maxReplayBytes: 1024 } } });
  // The root part comes last, after an attachment larger than the limit; no content-length.
  const body = multipart('b', [
    { headers: { 'Content-ID': '<big>' }, body: randomBytes(128 * 1024) },
    { headers: { 'Content-Type': 'application/xop+xml; type="text/xml"', 'Content-ID': '<r>' }, body: envelope('1.1', calcBody('Add', 1, 2)) },
  ]);
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 8192) chunks.push(body.subarray(i, i + 8192));
  const res = await request(bridge.apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'multipart/related; type="application/xop+xml"; start="<r>"; start-info="text/xml"; boundary=b', soapaction: '"http://tempuri.org/Add"' },
    body: Readable.from(chunks, { objectMode: false }),
  });
  expect(res.statusCode).toBe(413);
  expect(parseFault(await res.body.text())).toMatchObject({ version: '1.1', bridgeCode: 'BODY_TOO_LARGE' });
  expect(seen).toHaveLength(0);
});
