import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { gunzipSync } from 'node:zlib';
import { CALCULATOR_WSDL, FIXTURES, docReferences, startSoapBridge, type SoapTestBridge } from '../../utils/soap-bridge';

/**
 * `GET ?wsdl`: addresses point at the bridge (publicUrl when configured, https first), and a
 * multi-file WSDL can be loaded from the bridge alone by following every import location.
 */
const ORDERS_WSDL = path.join(FIXTURES, 'multi-file', 'Orders.wsdl');
// Never contacted: the bridge only serves documents here.
const NOWHERE = 'http://127.0.0.1:9/nowhere';

let bridge: SoapTestBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

async function get(url: string): Promise<{ status: number; contentType: string; body: string }> {
  const res = await request(url);
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: await res.body.text() };
}

/**
 * Loads `?wsdl` and every document it references, recursively, the way a client would.
 * `toListener` maps an advertised URL to one the test can fetch (for publicUrl configs).
 * Returns every document by its advertised URL.
 */
async function crawl(entry: string, toListener: (u: string) => string = (u) => u): Promise<Map<string, string>> {
  const docs = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (docs.has(url)) continue;
    const res = await get(toListener(url));
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    expect(res.contentType).toMatch(/xml/);
    docs.set(url, res.body);
    queue.push(...docReferences(res.body).imports);
  }
  return docs;
}

describe('Calculator ?wsdl', () => {
  test('without publicUrl, addresses follow the Host the WSDL was fetched through', async () => {
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: NOWHERE });
    const res = await get(`${bridge.apiUrl}?wsdl`);
    expect(res.status).toBe(200);
    const refs = docReferences(res.body);
    expect(refs.addresses).toEqual([bridge.apiUrl, bridge.apiUrl]);
    expect(res.body).not.toContain('location="http://127.0.0.1:8290');
  });

  test('publicUrl.http is advertised', async () => {
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: NOWHERE, server: { publicUrl: { http: 'http://soap.example.com:8080' } } });
    const refs = docReferences((await get(`${bridge.apiUrl}?wsdl`)).body);
    expect(refs.addresses).toEqual(['http://soap.example.com:8080/calc/v1', 'http://soap.example.com:8080/calc/v1']);
  });

  test('https wins when both publicUrls are configured', async () => {
    bridge = await startSoapBridge({
      wsdl: CALCULATOR_WSDL,
      backendUrl: NOWHERE,
      server: { publicUrl: { http: 'http://soap.example.com', https: 'https://soap.example.com/' } },
    });
    const refs = docReferences((await get(`${bridge.apiUrl}?wsdl`)).body);
    expect(refs.addresses).toEqual(['https://soap.example.com/calc/v1', 'https://soap.example.com/calc/v1']);
  });

  test('everything but the addresses is the file as written', async () => {
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: NOWHERE });
    const served = (await get(`${bridge.apiUrl}?WSDL`)).body;
    const original = readFileSync(CALCULATOR_WSDL, 'utf8');
    expect(served.split(bridge.apiUrl).join('http://127.0.0.1:8290/calculator')).toBe(original);
  });

  test('gzip when accepted, a 304 for the ETag the client has, another ETag for another rendering', async () => {
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: NOWHERE });
    const url = `${bridge.apiUrl}?wsdl`;
    const plain = await request(url);
    const text = await plain.body.text();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toBe('accept-encoding');
    const etag = String(plain.headers['etag']);
    expect(etag).toMatch(/^"[\w-]+"$/);

    const zipped = await request(url, { headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const gz = Buffer.from(await zipped.body.arrayBuffer());
    expect(gunzipSync(gz).toString('utf8')).toBe(text);
    expect(gz.length).toBeLessThan(Buffer.byteLength(text) / 2);
    const gzEtag = String(zipped.headers['etag']);
    expect(gzEtag).not.toBe(etag);
    // gzip;q=0 means "not gzip".
    expect((await request(url, { headers: { 'accept-encoding': 'gzip;q=0, identity' } })).headers['content-encoding']).toBeUndefined();

    // Revalidation: each representation answers 304 to its own tag, without a body.
    for (const [tag, enc] of [[etag, 'identity'], [gzEtag, 'gzip'], [`W/${etag}`, 'identity']] as const) {
      const again = await request(url, { headers: { 'if-none-match': tag, 'accept-encoding': enc } });
      expect({ tag, status: again.statusCode, body: await again.body.text() }).toEqual({ tag, status: 304, body: '' });
    }
    // A tag of another description, or the other encoding's: the whole document again.
    for (const [tag, enc] of [['"stale"', 'identity'], [etag, 'gzip']] as const) {
      const again = await request(url, { headers: { 'if-none-match': tag, 'accept-encoding': enc } });
      expect(again.statusCode).toBe(200);
      await again.body.dump();
    }
    // Another base URL renders another document (its addresses), so another tag.
    const viaLocalhost = await request(url.replace('127.0.0.1', 'localhost'));
    expect(viaLocalhost.headers['etag']).not.toBe(etag);
    await viaLocalhost.body.dump();
  });

  test.each(['xsd=999', 'wsdl=999', 'xsd=0'])('?%s of a single-file WSDL is 404', async (query) => {
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: NOWHERE });
    expect((await get(`${bridge.apiUrl}?${query}`)).status).toBe(404);
  });
});

describe('a large WSDL (rendered on a worker thread)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wsdl-large-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('is served as written but for its addresses, for each Host it is asked through', async () => {
    // Past the size from which ?wsdl is rewritten off the event loop (256 KiB).
    const original = readFileSync(CALCULATOR_WSDL, 'utf8').replace(/(<wsdl:definitions[^>]*>)/, `$1<wsdl:documentation>${'An operation. '.repeat(24_000)}</wsdl:documentation>`);
    expect(original.length).toBeGreaterThan(300_000);
    const wsdl = path.join(dir, 'Calculator.wsdl');
    writeFileSync(wsdl, original);
    bridge = await startSoapBridge({ wsdl, backendUrl: NOWHERE });
    const served = (await get(`${bridge.apiUrl}?wsdl`)).body;
    expect(served.split(bridge.apiUrl).join('http://127.0.0.1:8290/calculator')).toBe(original);
    const viaLocalhost = bridge.apiUrl.replace('127.0.0.1', 'localhost');
    expect((await get(`${viaLocalhost}?wsdl`)).body).toBe(served.split(bridge.apiUrl).join(viaLocalhost));
  });
});

describe('multi-file WSDL (wsdl:import + xsd:import + xsd:include)', () => {
  test('every document is reachable from ?wsdl and points back at the bridge', async () => {
    bridge = await startSoapBridge({ wsdl: ORDERS_WSDL, backendUrl: NOWHERE, name: 'orders' });
    const apiUrl = bridge.apiUrl;
    const docs = await crawl(`${apiUrl}?wsdl`);
    // Orders.wsdl, abstract/OrdersPortType.wsdl, orders.xsd, order-parts.xsd, common/common.xsd:
    // common.xsd is imported twice (orders.xsd and order-parts.xsd) but served once.
    expect(docs.size).toBe(5);
    for (const [url, body] of docs) {
      expect(url === `${apiUrl}?wsdl` || /\?(wsdl|xsd)=\d+$/.test(url)).toBe(true);
      const refs = docReferences(body);
      for (const ref of [...refs.addresses, ...refs.imports]) expect(ref.startsWith(`${apiUrl}?`) || ref === apiUrl).toBe(true);
    }
    const all = [...docs.values()];
    expect(all.filter((b) => b.includes('<xs:complexType name="Party">'))).toHaveLength(1);
    expect(all.filter((b) => b.includes('<xs:complexType name="OrderLine">'))).toHaveLength(1);
    expect(all.filter((b) => b.includes('name="OrdersPortType"'))).toHaveLength(1);
    const entryRefs = docReferences(docs.get(`${apiUrl}?wsdl`)!);
    expect(entryRefs.addresses).toEqual([apiUrl, apiUrl]);
    expect(entryRefs.imports).toEqual([expect.stringMatching(/\?wsdl=\d+$/)]);
  });

  test('with publicUrl, every import location uses it too', async () => {
    const pub = 'https://gw.example.org/soap';
    bridge = await startSoapBridge({ wsdl: ORDERS_WSDL, backendUrl: NOWHERE, name: 'orders', server: { publicUrl: { https: pub } } });
    const listener = bridge.bridge.urls.http!;
    const docs = await crawl(`${pub}/orders/v1?wsdl`, (u) => {
      expect(u.startsWith(`${pub}/orders/v1?`)).toBe(true);
      return listener + u.slice(pub.length);
    });
    expect(docs.size).toBe(5);
  });

  test('an index past the bundle is 404, and xsd/wsdl kinds are not interchangeable', async () => {
    bridge = await startSoapBridge({ wsdl: ORDERS_WSDL, backendUrl: NOWHERE, name: 'orders' });
    expect((await get(`${bridge.apiUrl}?xsd=999`)).status).toBe(404);
    const docs = await crawl(`${bridge.apiUrl}?wsdl`);
    const wsdlN = [...docs.keys()].find((u) => /\?wsdl=\d+$/.test(u))!;
    expect((await get(wsdlN.replace('?wsdl=', '?xsd='))).status).toBe(404);
  });
});
