import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import * as soap from 'soap';
import { CALCULATOR_WSDL, startCalculatorBackend, startSoapBridge, type SoapBackend, type SoapTestBridge } from '../../utils/soap-bridge';
import { expectProblem, getJson, postJson } from './rest';

/**
 * The REST facade as the gateway serves it, in front of the `soap` package's Calculator: JSON
 * through the bridge must equal what the `soap` client gets calling the same backend directly,
 * on the SOAP 1.1 port and (through a WSDL whose only port is SOAP 1.2) on the SOAP 1.2 port.
 */
type Result = Record<string, unknown>;
type Callback = (err: unknown, result: Result) => void;
type Port = Record<string, (args: Record<string, unknown>, cb: Callback) => void>;
/** Calls `name` on one port of the Calculator service (the client's flat methods would pick a port for us). */
const call = (client: soap.Client, port: string, name: string, args: Record<string, unknown>): Promise<Result> =>
  new Promise((resolve, reject) => {
    const bound = (client as unknown as Record<string, Record<string, Port>>)['Calculator']![port]!;
    bound[name]!(args, (err, result) => (err ? reject(err) : resolve(result)));
  });

const OPS = [
  ['Add', 40, 2],
  ['Subtract', 50, 8],
  ['Multiply', -6, 7],
  ['Divide', 85, 2],
] as const;

let backend: SoapBackend;
let bridge11: SoapTestBridge;
let bridge12: SoapTestBridge;
let dir: string;
/** The `soap` client speaks one SOAP version per client (forceSoap12Headers), whatever the port; its WSDL cache would share that option. */
const direct: Record<'1.1' | '1.2', soap.Client> = {} as Record<'1.1' | '1.2', soap.Client>;

beforeAll(async () => {
  backend = await startCalculatorBackend();
  // A copy of the Calculator WSDL with only its SOAP 1.2 port: the facade then serves that port
  // (the API config has no port option; buildFacade falls back to the first other SOAP port).
  dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-facade12-'));
  const only12 = path.join(dir, 'Calculator12.wsdl');
  const text = readFileSync(CALCULATOR_WSDL, 'utf8').replace(/<wsdl:port name="CalculatorSoap" [^\n]*<\/wsdl:port>/, '');
  expect(text).not.toContain('port name="CalculatorSoap" ');
  writeFileSync(only12, text);
  [bridge11, bridge12] = await Promise.all([
    startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: backend.url, expose: { soap: true, rest: true } }),
    startSoapBridge({ wsdl: only12, backendUrl: backend.url, name: 'calc12', expose: { rest: true }, api: { faultStatus: { client: 422 } } }),
  ]);
  direct['1.1'] = await soap.createClientAsync(CALCULATOR_WSDL, { endpoint: backend.url, disableCache: true });
  direct['1.2'] = await soap.createClientAsync(CALCULATOR_WSDL, { endpoint: backend.url, forceSoap12Headers: true, disableCache: true });
});

afterAll(async () => {
  await Promise.all([bridge11?.close(), bridge12?.close()]);
  await backend?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['1.1', () => bridge11, 'CalculatorSoap', 'text/xml'],
  ['1.2', () => bridge12, 'CalculatorSoap12', 'application/soap+xml'],
] as const)('SOAP %s port', (version, bridge, port, contentType) => {
  test.each(OPS)('%s(%d, %d): POST JSON and GET query equal the soap client calling the backend', async (name, a, b) => {
    const before = backend.seen.length;
    const expected = await call(direct[version], port, name, { intA: a, intB: b });
    expect(String(backend.seen[before]!['content-type'])).toContain(contentType);
    const seg = name.charAt(0).toLowerCase() + name.slice(1);
    const posted = await postJson(`${bridge().apiUrl}/${seg}`, { intA: a, intB: b });
    expect({ status: posted.status, contentType: posted.contentType }).toEqual({ status: 200, contentType: expect.stringContaining('application/json') });
    expect(posted.body).toEqual(expected);
    expect(typeof posted.body[`${name}Result`]).toBe('number');
    const got = await getJson(`${bridge().apiUrl}/${seg}?intA=${a}&intB=${b}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(expected);
    // Both calls went to the backend in the port's SOAP version.
    const bridged = backend.seen.slice(before).filter((h) => h['x-request-id']);
    expect(bridged).toHaveLength(2);
    for (const h of bridged) expect(String(h['content-type'])).toContain(contentType);
  });
});

test('Divide by zero on the SOAP 1.1 port: problem+json keeping the Fault, default client status 400', async () => {
  const r = await postJson(`${bridge11.apiUrl}/divide`, { intA: 1, intB: 0 });
  const p = expectProblem(r, 400, 'BACKEND_CLIENT_FAULT');
  expect(p).toMatchObject({ faultcode: 'soap:Client', faultstring: 'division by zero', detail: 'division by zero' });
  // The soap client sees the same Fault from the backend directly.
  const fault = await call(direct['1.1'], 'CalculatorSoap', 'Divide', { intA: 1, intB: 0 }).then(
    () => null,
    (e: { root?: { Envelope?: { Body?: { Fault?: { faultstring?: string; faultcode?: string } } } } }) => e.root?.Envelope?.Body?.Fault,
  );
  expect(fault).toMatchObject({ faultcode: p['faultcode'], faultstring: p['faultstring'] });
});

test('Divide by zero on the SOAP 1.2 port with faultStatus { client: 422 }: a Sender Fault answers 422', async () => {
  const r = await getJson(`${bridge12.apiUrl}/divide?intA=1&intB=0`);
  const p = expectProblem(r, 422, 'BACKEND_CLIENT_FAULT');
  expect(p).toMatchObject({ faultcode: 'soap:Sender', faultstring: 'division by zero' });
  const fault = await call(direct['1.2'], 'CalculatorSoap12', 'Divide', { intA: 1, intB: 0 }).then(
    () => null,
    (e: { root?: { Envelope?: { Body?: { Fault?: { Code?: { Value?: string }; Reason?: { Text?: string } } } } } }) => e.root?.Envelope?.Body?.Fault,
  );
  expect(fault).toMatchObject({ Code: { Value: p['faultcode'] }, Reason: { Text: p['faultstring'] } });
});

test.each([
  ['SOAP 1.1', () => bridge11],
  ['SOAP 1.2', () => bridge12],
] as const)('openapi.json (%s API) is served with one path per operation', async (_label, bridge) => {
  const r = await getJson(`${bridge().apiUrl}/openapi.json`);
  expect(r.status).toBe(200);
  expect(r.contentType).toContain('application/json');
  expect(r.body['openapi']).toMatch(/^3\.1/);
  const paths = Object.keys(r.body['paths'] as Record<string, unknown>);
  expect(paths).toEqual(expect.arrayContaining(['/add', '/subtract', '/multiply', '/divide']));
  expect(paths).toHaveLength(4);
  const servers = r.body['servers'] as { url: string }[];
  expect(servers[0]!.url).toBe(bridge().apiUrl);
});

test('openapi.json is rendered once per base URL and revalidates like ?wsdl: ETag, 304, gzip', async () => {
  const url = `${bridge11.apiUrl}/openapi.json`;
  const plain = await request(url);
  const etag = String(plain.headers['etag']);
  const text = await plain.body.text();
  expect(plain.headers['cache-control']).toBe('no-cache');
  expect(etag).toMatch(/^"[\w-]{27}"$/);
  const again = await request(url);
  expect(await again.body.text()).toBe(text);
  expect(again.headers['etag']).toBe(etag);
  const revalidated = await request(url, { headers: { 'if-none-match': etag } });
  expect(revalidated.statusCode).toBe(304);
  await revalidated.body.dump();
  const gz = await request(url, { headers: { 'accept-encoding': 'gzip' } });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.headers['etag']).not.toBe(etag);
  expect(gunzipSync(Buffer.from(await gz.body.arrayBuffer())).toString('utf8')).toBe(text);
  // Another Host: another server URL in the document, another ETag.
  const other = await request(url, { headers: { host: 'gateway.example:8280' } });
  const otherDoc = (await other.body.json()) as { servers: { url: string }[] };
  expect(otherDoc.servers[0]!.url).toBe(`http://gateway.example:8280${new URL(bridge11.apiUrl).pathname}`);
  expect(other.headers['etag']).not.toBe(etag);
});

test('the SOAP side of an API exposing both still answers SOAP', async () => {
  const viaBridge = await soap.createClientAsync(`${bridge11.apiUrl}?wsdl`);
  const res = await call(viaBridge, 'CalculatorSoap', 'Add', { intA: 1, intB: 2 });
  expect(res).toEqual({ AddResult: 3 });
});
