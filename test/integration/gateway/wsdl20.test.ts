import path from 'node:path';
import { request } from 'undici';
import { SaxesParser } from 'saxes';
import { envelope, postSoap, soapHeaders, startLoopback, startSoapBridge, type LoopbackServer, type SoapTestBridge } from '../../utils/soap-bridge';
import { postJson } from '../facade-gateway/rest';

/**
 * A WSDL 2.0 SOAP API (test/fixtures/wsdl/wsdl20/orders.wsdl: import + include + xs:import) on a
 * real bridge and a loopback backend: SOAP 1.2 pass-through, `?wsdl` with every endpoint address
 * pointing at the bridge, and the REST facade on the SOAP 1.2 endpoint.
 */
const ORDERS_WSDL = path.join(__dirname, '..', '..', 'fixtures', 'wsdl', 'wsdl20', 'orders.wsdl');
const WSDL20_NS = 'http://www.w3.org/ns/wsdl';
const RESPONSE = envelope('1.2', '<o:GetOrderResponse xmlns:o="urn:example:orders"><o:id>7</o:id><o:item>tea</o:item><o:item>cups</o:item></o:GetOrderResponse>');

interface Seen {
  url: string;
  contentType: string;
  body: string;
}
let seen: Seen[] = [];
let backend: LoopbackServer;
let bridge: SoapTestBridge;

beforeAll(async () => {
  backend = await startLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8' });
      res.end(RESPONSE);
    });
  });
  bridge = await startSoapBridge({
    wsdl: ORDERS_WSDL,
    backendUrl: `${backend.origin}/orders/soap12`,
    name: 'orders',
    expose: { soap: true, rest: true },
    api: { facade: { port: 'Soap12Endpoint' } },
  });
});

afterAll(async () => {
  await bridge?.close();
  await backend?.close();
});

beforeEach(() => {
  seen = [];
});

/** Endpoint addresses and import/include locations of a WSDL 2.0 document, by namespace. */
function wsdl20References(text: string): { addresses: string[]; imports: string[] } {
  const out = { addresses: [] as string[], imports: [] as string[] };
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (t) => {
    const attr = (n: string): string => {
      const a = t.attributes[n];
      return typeof a === 'string' ? a : (a?.value ?? '');
    };
    if (t.uri === WSDL20_NS && t.local === 'endpoint') out.addresses.push(attr('address'));
    else if (t.uri === WSDL20_NS && (t.local === 'import' || t.local === 'include')) out.imports.push(attr('location'));
    else if (t.uri === 'http://www.w3.org/2001/XMLSchema' && t.local === 'import') out.imports.push(attr('schemaLocation'));
  });
  parser.write(text).close();
  return out;
}

describe('WSDL 2.0 SOAP API', () => {
  test('passes a SOAP 1.2 request through byte for byte and returns the backend answer', async () => {
    const req = envelope('1.2', '<o:GetOrder xmlns:o="urn:example:orders"><o:id>7</o:id></o:GetOrder>');
    const res = await postSoap(bridge.apiUrl, req, soapHeaders('1.2', 'urn:example:orders:GetOrder'));
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/soap\+xml/);
    expect(res.body).toBe(RESPONSE);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: '/orders/soap12', body: req });
    expect(seen[0]?.contentType).toMatch(/^application\/soap\+xml.*action="urn:example:orders:GetOrder"/);
  });

  test('finds an inherited operation (imported base interface) by its body element when there is no action', async () => {
    const req = envelope('1.2', '<b:Ping xmlns:b="urn:example:base"><b:text>hi</b:text></b:Ping>');
    const res = await postSoap(bridge.apiUrl, req, soapHeaders('1.2', null));
    expect(res.status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual([req]);
  });

  test('refuses an operation the description does not have, without calling the backend', async () => {
    const res = await postSoap(bridge.apiUrl, envelope('1.2', '<o:Nope xmlns:o="urn:example:orders"/>'), soapHeaders('1.2', 'urn:nope'));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).toContain('SOAP_UNKNOWN_OPERATION');
    expect(seen).toEqual([]);
  });

  test('?wsdl: every endpoint address is the bridge, and the imported/included documents load from it', async () => {
    const entry = await request(`${bridge.apiUrl}?wsdl`);
    expect(entry.statusCode).toBe(200);
    const text = await entry.body.text();
    expect(text).toContain('<description xmlns="http://www.w3.org/ns/wsdl"');
    const refs = wsdl20References(text);
    expect(refs.imports).toHaveLength(3);
    const docs = await Promise.all(
      refs.imports.map(async (u) => {
        expect(u.startsWith(`${bridge.apiUrl}?`)).toBe(true);
        const r = await request(u);
        expect(r.statusCode).toBe(200);
        return r.body.text();
      }),
    );
    const addresses = docs.flatMap((d) => wsdl20References(d).addresses);
    expect(addresses).toEqual([bridge.apiUrl, bridge.apiUrl, bridge.apiUrl]);
    expect(docs.join('\n')).not.toContain('orders.example.com');
  });

  test('REST facade: JSON in, a SOAP 1.2 envelope to the backend, JSON out', async () => {
    const r = await postJson(`${bridge.apiUrl}/getOrder`, { id: 7 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 7, item: ['tea', 'cups'] });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.contentType).toMatch(/^application\/soap\+xml.*action="urn:example:orders:GetOrder"/);
    expect(seen[0]?.body).toContain('<soap:Envelope xmlns:ns1="urn:example:orders" xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns1:GetOrder><ns1:id>7</ns1:id></ns1:GetOrder></soap:Body>');
  });
});
