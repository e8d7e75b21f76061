import { Readable } from 'node:stream';
import { DynamicEndpoint } from '../../../src/endpoints/dynamic/dynamic';
import { compileRule } from '../../../src/endpoints/dynamic/rules';
import { compileJsonPath, selectJson } from '../../../src/endpoints/dynamic/json-path';
import type { DynamicRuleConfig } from '../../../src/config/endpoint-schema';
import { ctx, request } from '../../utils/backends';
import { FakeLeaf } from './fake-leaf';

const leaf = { type: 'http', url: 'http://x' } as const;
const NS = { soap: 'http://schemas.xmlsoap.org/soap/envelope/', o: 'urn:orders' };
const envelope = (region: string, prefix = 'q'): string =>
  `<s:Envelope xmlns:s="${NS.soap}"><s:Body><${prefix}:Place xmlns:${prefix}="urn:orders"><${prefix}:region> ${region} </${prefix}:region></${prefix}:Place></s:Body></s:Envelope>`;

function dynamic(rules: Omit<DynamicRuleConfig, 'endpoint'>[], withDefault = true): { d: DynamicEndpoint; leaves: FakeLeaf[] } {
  const leaves = rules.map((_, i) => new FakeLeaf(`r${i}`));
  const d = new DynamicEndpoint({
    name: 'd',
    routes: rules.map((r, i) => ({ rule: compileRule({ ...r, endpoint: leaf }, `rules[${i}]`), endpoint: leaves[i]! })),
    fallback: withDefault ? new FakeLeaf('default') : undefined,
    maxReplayBytes: 4096,
  });
  return { d, leaves };
}

describe('DynamicEndpoint', () => {
  it('routes by header, query parameter and URI variable, first matching rule wins', async () => {
    const { d } = dynamic([{ header: 'X-Region', equals: 'eu' }, { query: 'v', matches: '2|3' }, { uriVar: 'city', equals: 'Oslo' }]);
    const to = async (over: Parameters<typeof request>[0]): Promise<string> => (await d.send(request(over), ctx())).endpoint;
    expect(await to({ headers: { 'x-region': 'eu' }, query: 'v=2' })).toBe('r0');
    expect(await to({ query: 'v=3' })).toBe('r1');
    expect(await to({ query: 'v=23' })).toBe('default'); // matches is anchored
    expect(await to({ uriVars: { city: 'Oslo' } })).toBe('r2');
    expect(await to({})).toBe('default');
  });

  it('routes by JSONPath on a buffered JSON body, and the body still reaches the backend', async () => {
    const { d, leaves } = dynamic([{ jsonPath: '$.order.items[1].sku', equals: 'B-2' }]);
    const body = JSON.stringify({ order: { items: [{ sku: 'A-1' }, { sku: 'B-2' }] } });
    const res = await d.send(request({ method: 'POST', body: Readable.from([Buffer.from(body)]) }), ctx());
    expect(res.endpoint).toBe('r0');
    expect(leaves[0]!.received[0]!.body).toBe(body);
    expect((await d.send(request({ method: 'POST', body: Buffer.from('not json') }), ctx())).endpoint).toBe('default');
  });

  it('routes by XPath on a SOAP body by namespace, whatever prefix the client used', async () => {
    const { d } = dynamic([
      { xpath: '/soap:Envelope/soap:Body/o:Place/o:region/text()', namespaces: NS, equals: 'eu' },
      { xpath: '//o:region', namespaces: NS, matches: 'u.' },
    ]);
    const to = async (xml: string): Promise<string> => (await d.send(request({ method: 'POST', body: Buffer.from(xml) }), ctx())).endpoint;
    expect(await to(envelope('eu', 'zz'))).toBe('r0');
    expect(await to(envelope('us'))).toBe('r1');
    expect(await to(envelope('us').replace(/urn:orders/g, 'urn:other'))).toBe('default');
  });

  it('routes by XPath on the root part of an MTOM body (multipart/related), streamed or buffered', async () => {
    const { d, leaves } = dynamic([{ xpath: '//o:region', namespaces: NS, equals: 'eu' }]);
    const mtom = (region: string): Buffer =>
      Buffer.from(
        `--b1\r\nContent-ID: <att>\r\nContent-Type: application/octet-stream\r\n\r\n<o:region xmlns:o="urn:orders">eu</o:region>\r\n` +
          `--b1\r\nContent-ID: <root>\r\nContent-Type: application/xop+xml; type="text/xml"\r\n\r\n${envelope(region)}\r\n--b1--\r\n`,
      );
    const headers = { 'content-type': 'multipart/related; type="application/xop+xml"; start="<root>"; start-info="text/xml"; boundary=b1' };
    expect((await d.send(request({ method: 'POST', headers, body: Readable.from([mtom('eu')]) }), ctx())).endpoint).toBe('r0');
    // The attachment part has a region too: only the root part's envelope counts.
    expect((await d.send(request({ method: 'POST', headers, body: mtom('us') }), ctx())).endpoint).toBe('default');
    expect(leaves[0]?.received[0]?.body).toBe(mtom('eu').toString());
  });

  it('answers ROUTE_NOT_FOUND without a matching rule or default', async () => {
    const { d } = dynamic([{ header: 'x', equals: 'y' }], false);
    await expect(d.send(request(), ctx())).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404 });
  });

  it('rejects rules with no or two sources and undeclared prefixes when compiled', () => {
    expect(() => compileRule({ endpoint: leaf }, 'r')).toThrow(/exactly one/);
    expect(() => compileRule({ header: 'a', query: 'b', endpoint: leaf }, 'r')).toThrow(/exactly one/);
    expect(() => compileRule({ xpath: '//p:x', endpoint: leaf }, 'r')).toThrow(/prefix "p"/);
  });
});

describe('JSONPath subset', () => {
  it.each([
    ['$.a.b[0].c', 1],
    ["$['a']['b'][0]['c']", 1],
    ['$.a.missing', undefined],
    ['$.a.b[5]', undefined],
    ['$.a.constructor', undefined],
  ])('%s', (path, expected) => {
    expect(selectJson({ a: { b: [{ c: 1 }] } }, compileJsonPath(path))).toBe(expected);
  });

  it('refuses what it does not support', () => {
    expect(() => compileJsonPath('$..a')).toThrow();
    expect(() => compileJsonPath('a.b')).toThrow();
  });
});
