import path from 'node:path';
import type http from 'node:http';
import { startLoopback, startSoapBridge, envelope, type LoopbackServer, type SoapTestBridge } from '../../utils/soap-bridge';
import { expectProblem, postJson } from './rest';

/**
 * A backend that answers garbage to the REST facade (a plain node http server, nothing of the
 * `soap` package): every case is a 502 problem+json with a detail, and the bridge keeps serving.
 */
const NUMBERS_WSDL = path.join(__dirname, 'fixtures', 'Numbers.wsdl');
const GOOD = envelope('1.1', '<SumResponse xmlns="urn:test:numbers"><SumResult>6</SumResult></SumResponse>');

interface Answer {
  status: number;
  type?: string;
  body: string | Buffer;
  /** 'hang': never answer; 'reset': destroy the socket; 'huge': 17 MB of XML. */
  misbehave?: 'hang' | 'reset' | 'huge';
}
let answer: Answer = { status: 200, type: 'text/xml', body: GOOD };
let backend: LoopbackServer;
let bridge: SoapTestBridge;

beforeAll(async () => {
  backend = await startLoopback((req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    const now = answer;
    req.once('end', () => {
      if (now.misbehave === 'hang') return;
      if (now.misbehave === 'reset') return void req.socket.destroy();
      res.writeHead(now.status, now.type ? { 'content-type': now.type } : {});
      if (now.misbehave === 'huge') {
        res.write('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><SumResponse xmlns="urn:test:numbers"><SumResult>6</SumResult>');
        for (let i = 0; i < 17; i++) res.write(`<!--${'x'.repeat(1024 * 1024)}-->`);
        return void res.end('</SumResponse></s:Body></s:Envelope>');
      }
      res.end(now.body);
    });
  });
  bridge = await startSoapBridge({ wsdl: NUMBERS_WSDL, backendUrl: backend.origin, name: 'numbers', expose: { rest: true }, endpoint: { timeout: { ms: 300 }, suspension: { initialMs: 0 } } }); // no suspension: every case stands alone
});

afterAll(async () => {
  await bridge?.close();
  await backend?.close();
});

const sum = (): ReturnType<typeof postJson> => postJson(`${bridge.apiUrl}/sum`, { values: [1, 2, 3] });

/** After each case the backend answers well again and so does the bridge. */
afterEach(async () => {
  answer = { status: 200, type: 'text/xml; charset=utf-8', body: GOOD };
  const ok = await sum();
  expect({ status: ok.status, body: ok.body }).toEqual({ status: 200, body: { SumResult: 6 } });
});

const deep = (n: number): string => `${'<x>'.repeat(n)}1${'</x>'.repeat(n)}`;

test.each<[string, Answer]>([
  ['malformed XML', { status: 200, type: 'text/xml', body: GOOD.slice(0, -30) }],
  ['mismatched tags', { status: 200, type: 'text/xml', body: GOOD.replace('</SumResult>', '</SumResul>') }],
  ['an HTML error page (500 text/html)', { status: 500, type: 'text/html', body: '<html><head><title>500 Internal Server Error</title></head><body><h1>Oops</h1><br></body></html>' }],
  ['an HTML page with 200', { status: 200, type: 'text/html', body: '<!DOCTYPE html><html><body><p>Maintenance</p></body></html>' }],
  ['an empty 500', { status: 500, type: 'text/xml', body: '' }],
  ['non-Envelope XML', { status: 200, type: 'text/xml', body: '<?xml version="1.0"?><SumResponse xmlns="urn:test:numbers"><SumResult>6</SumResult></SumResponse>' }],
  ['an Envelope without Body', { status: 200, type: 'text/xml', body: '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>' }],
  ['JSON', { status: 200, type: 'application/json', body: '{"SumResult":6}' }],
  ['a 500 without a Fault', { status: 500, type: 'text/xml', body: GOOD }],
  ['a DOCTYPE with entities', { status: 200, type: 'text/xml', body: `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${GOOD.replace('6</SumResult>', '&lol2;</SumResult>')}` }],
])('%s → 502 BACKEND_RESPONSE_INVALID with detail', async (_label, bad) => {
  answer = bad;
  const p = expectProblem(await sum(), 502, 'BACKEND_RESPONSE_INVALID');
  expect(typeof p['detail']).toBe('string');
  expect(String(p['detail']).length).toBeGreaterThan(0);
});

/* Regressions: an empty 200 once answered 204, undeclared entities and illegal character references once passed as text. */
test.each<[string, Answer]>([
  ['an empty 200', { status: 200, type: 'text/xml', body: '' }],
  ['an empty 200 without content type', { status: 200, body: '' }],
  ['an undefined entity', { status: 200, type: 'text/xml', body: GOOD.replace('6</SumResult>', '&nope;</SumResult>') }],
  ['a reference to an illegal character', { status: 200, type: 'text/xml', body: GOOD.replace('6</SumResult>', '&#0;</SumResult>') }],
])('%s → 502 BACKEND_RESPONSE_INVALID', async (_label, bad) => {
  answer = bad;
  expectProblem(await sum(), 502, 'BACKEND_RESPONSE_INVALID');
});

test('a Server Fault → 502 BACKEND_SERVER_FAULT keeping faultcode, faultstring and detail', async () => {
  answer = {
    status: 500,
    type: 'text/xml',
    body: envelope('1.1', '<s:Fault xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>s:Server</faultcode><faultstring>database down</faultstring><detail><reason>maintenance</reason></detail></s:Fault>'),
  };
  const p = expectProblem(await sum(), 502, 'BACKEND_SERVER_FAULT');
  expect(p).toMatchObject({ faultcode: 's:Server', faultstring: 'database down', detail: 'database down' });
  expect(JSON.stringify(p['faultdetail'])).toContain('maintenance');
});

test.each<[string, string, (xml: string) => Buffer]>([
  ['charset=ISO-8859-1 in Content-Type', 'text/xml; charset=ISO-8859-1', (xml) => Buffer.from(xml, 'latin1')],
  ['only the XML declaration saying windows-1252', 'text/xml', (xml) => Buffer.from(`<?xml version="1.0" encoding="windows-1252"?>${xml}`, 'latin1')],
  ['UTF-16 with a byte order mark', 'text/xml', (xml) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${xml}`, 'utf16le')])],
])('an answer in another encoding (%s) is decoded as it says', async (_label, type, encode) => {
  const fault = '<s:Fault xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>s:Server</faultcode><faultstring>base de données indisponible</faultstring></s:Fault>';
  answer = { status: 500, type, body: encode(envelope('1.1', fault).replace(/^<\?xml[^>]*>/, '')) };
  expect(expectProblem(await sum(), 502, 'BACKEND_SERVER_FAULT')).toMatchObject({ faultstring: 'base de données indisponible' });
});

test('a response nested 100000 elements deep → 502 (nesting limit), no stack overflow', async () => {
  answer = { status: 200, type: 'text/xml', body: envelope('1.1', `<SumResponse xmlns="urn:test:numbers"><SumResult>6</SumResult>${deep(100_000)}</SumResponse>`) };
  const p = expectProblem(await sum(), 502, 'BACKEND_RESPONSE_INVALID');
  expect(String(p['detail'])).toMatch(/nested/);
});

test.each<[string, Answer['misbehave'], number, string]>([
  ['never answers', 'hang', 504, 'ENDPOINT_TIMEOUT'],
  ['closes the connection', 'reset', 502, 'ENDPOINT_UNREACHABLE'],
  ['answers 17 MB (over the 16 MB response limit)', 'huge', 502, 'BACKEND_RESPONSE_INVALID'],
])('a backend that %s (%s) → %d %s problem+json', async (_label, misbehave, status, code) => {
  answer = { status: 200, type: 'text/xml', body: '', misbehave };
  expectProblem(await sum(), status, code);
});

test('a value that does not fit its type stays a string (lenient responses)', async () => {
  answer = { status: 200, type: 'text/xml', body: GOOD.replace('>6<', '>six<') };
  const r = await sum();
  expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { SumResult: 'six' } });
});
