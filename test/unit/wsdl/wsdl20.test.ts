import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleDocIndex, compileModel, loadBundle, rewriteDocument, summarize, WsdlImportError, type WsdlModel } from '../../../src/wsdl';
import { fixture } from './helpers';

/** WSDL 2.0 descriptions import into the same model as WSDL 1.1 (src/wsdl/parse/wsdl20-*.ts). */

const O = 'urn:example:orders';
const W = 'urn:example:orders:wsdl';
const B = 'urn:example:base';

let orders: WsdlModel;
beforeAll(async () => {
  orders = compileModel(await loadBundle(fixture('wsdl20', 'orders.wsdl')));
});

describe('the orders fixture (import + include + xs:import, extends, SOAP 1.2/1.1/HTTP bindings)', () => {
  it('is a WSDL 2.0 model with the endpoints of the included service as ports', () => {
    expect(orders.wsdlVersion).toBe('2.0');
    expect(orders.targetNamespace).toBe(W);
    expect(orders.services).toEqual([
      {
        name: `{${W}}OrdersService`,
        ports: [
          { name: 'Soap12Endpoint', binding: `{${W}}OrdersSoap12`, address: 'http://orders.example.com/soap12', protocol: 'soap', soapVersion: '1.2' },
          { name: 'Soap11Endpoint', binding: `{${W}}OrdersSoap11`, address: 'http://orders.example.com/soap11', protocol: 'soap', soapVersion: '1.1' },
          { name: 'HttpEndpoint', binding: `{${W}}OrdersHttp`, address: 'http://orders.example.com/rest/', protocol: 'http', soapVersion: null },
        ],
      },
    ]);
  });

  it('flattens operations per SOAP port, inherited ones included, with actions, versions and elements', () => {
    const rows = orders.operations.map((o) => [o.port, o.name, o.soapVersion, o.soapAction, o.pattern, o.style, o.use, o.wrapped, o.inputElement, o.outputElement, o.safe]);
    expect(rows).toEqual([
      ['Soap12Endpoint', 'GetOrder', '1.2', 'urn:example:orders:GetOrder', 'request-response', 'document', 'literal', true, `{${O}}GetOrder`, `{${O}}GetOrderResponse`, true],
      ['Soap12Endpoint', 'CancelOrder', '1.2', 'urn:example:orders:CancelOrder', 'one-way', 'document', 'literal', true, `{${O}}CancelOrder`, null, false],
      ['Soap12Endpoint', 'Audit', '1.2', '', 'one-way', 'document', 'literal', false, null, null, false],
      // Not listed in OrdersSoap12: a WSDL 2.0 binding covers every interface operation with its defaults.
      ['Soap12Endpoint', 'Ping', '1.2', '', 'request-response', 'document', 'literal', true, `{${B}}Ping`, `{${B}}PingResponse`, false],
      ['Soap11Endpoint', 'GetOrder', '1.1', 'urn:example:orders:GetOrder', 'request-response', 'document', 'literal', true, `{${O}}GetOrder`, `{${O}}GetOrderResponse`, true],
      ['Soap11Endpoint', 'CancelOrder', '1.1', 'urn:example:orders:CancelOrder', 'one-way', 'document', 'literal', true, `{${O}}CancelOrder`, null, false],
      ['Soap11Endpoint', 'Audit', '1.1', '', 'one-way', 'document', 'literal', false, null, null, false],
      ['Soap11Endpoint', 'Ping', '1.1', 'urn:example:base:Ping', 'request-response', 'document', 'literal', true, `{${B}}Ping`, `{${B}}PingResponse`, false],
    ]);
    expect(orders.operations.every((o) => o.service === `{${W}}OrdersService`)).toBe(true);
  });

  it('synthesizes one message per input/output/fault element, its part named after the element', () => {
    const get = orders.operations[0]!;
    expect(get.input).toEqual({ message: `{${W}}OrdersInterface_GetOrder_In`, body: [{ name: 'GetOrder', element: `{${O}}GetOrder`, type: null }], namespace: null, headers: [] });
    expect(get.faults).toEqual([{ name: 'OrderNotFound', message: `{${W}}OrdersInterface_OrderNotFound_Fault`, parts: [{ name: 'OrderNotFound', element: `{${O}}OrderNotFound`, type: null }] }]);
    // The inherited operation's messages are named after the interface that declares it.
    expect(orders.operations[3]?.input?.message).toBe(`{urn:example:base:wsdl}BaseInterface_Ping_In`);
    // #any: a message without parts, reported.
    expect(orders.messages.find((m) => m.name === `{${W}}OrdersInterface_Audit_In`)).toEqual({ name: `{${W}}OrdersInterface_Audit_In`, parts: [] });
    expect(orders.portTypes.map((p) => [p.name, p.operations.map((o) => o.name)])).toEqual([
      [`{${W}}OrdersInterface`, ['GetOrder', 'CancelOrder', 'Audit', 'OrderShipped', 'Ping']],
      [`{urn:example:base:wsdl}BaseInterface`, ['Ping']],
    ]);
  });

  it('records the HTTP binding without operations rows and reports what it does not serve', () => {
    expect(orders.bindings.map((b) => [b.name, b.protocol, b.soapVersion, b.transport])).toEqual([
      [`{${W}}OrdersSoap12`, 'soap', '1.2', 'http://www.w3.org/2003/05/soap/bindings/HTTP/'],
      [`{${W}}OrdersSoap11`, 'soap', '1.1', 'http://www.w3.org/2006/01/soap11/bindings/HTTP/'],
      [`{${W}}OrdersHttp`, 'http', null, null],
    ]);
    expect(orders.operations.some((o) => o.binding === `{${W}}OrdersHttp` || o.name === 'OrderShipped')).toBe(false);
    const constructs = orders.unsupported.map((u) => u.construct);
    expect(constructs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^#any message content/),
        'WSDL 2.0 HTTP binding (not SOAP; its endpoints are not served)',
        'notification operation "OrderShipped" (server-initiated; not served)',
      ]),
    );
  });

  it('summarizes as WSDL 2.0 with endpoints', () => {
    const text = summarize(orders);
    expect(text).toMatch(/^WSDL 2\.0 orders\.wsdl \(targetNamespace urn:example:orders:wsdl\)/);
    expect(text).toContain('services: 1, endpoints: 3, operations: 8, SOAP versions: 1.1, 1.2');
    expect(text).toContain('OrdersService/HttpEndpoint [http] http://orders.example.com/rest/: 0 operations');
  });

  it('?wsdl rewriting: endpoint addresses become the bridge URL, import/include/schema locations bridge URLs', async () => {
    const bundle = await loadBundle(fixture('wsdl20', 'orders.wsdl'));
    const index = bundleDocIndex(bundle);
    const base = 'http://gw:8280/orders/v1';
    const render = (p: string): string => rewriteDocument(bundle.documents.get(p)!, bundle, { baseUrl: base, docUrl: (t) => `${base}?${bundle.documents.get(t)?.kind}=${index.get(t)}` });
    const entry = render('orders.wsdl');
    expect(entry).toContain(`<import namespace="urn:example:base:wsdl" location="${base}?wsdl=${index.get('base.wsdl')}"/>`);
    expect(entry).toContain(`<include location="${base}?wsdl=${index.get('orders-service.wsdl')}"/>`);
    expect(entry).toContain(`schemaLocation="${base}?xsd=${index.get('orders.xsd')}"`);
    const service = render('orders-service.wsdl');
    expect(service.match(/address="[^"]*"/g)).toEqual([`address="${base}"`, `address="${base}"`, `address="${base}"`]);
    expect(service.replace(/address="[^"]*"/g, '')).toBe(bundle.documents.get('orders-service.wsdl')!.text.replace(/address="[^"]*"/g, ''));
  });
});

describe('WSDL 2.0 edge cases', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wsdl20-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const SCHEMA = `<types><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"><xs:element name="Ping" type="xs:string"/><xs:element name="Pong" type="xs:string"/></xs:schema></types>`;
  function description(body: string, extraNs = ''): string {
    return `<description xmlns="http://www.w3.org/ns/wsdl" xmlns:tns="urn:w" xmlns:t="urn:t" xmlns:wsoap="http://www.w3.org/ns/wsdl/soap" ${extraNs} targetNamespace="urn:w">${SCHEMA}${body}</description>`;
  }
  const IFACE = `<interface name="I"><operation name="Ping" pattern="http://www.w3.org/ns/wsdl/in-out"><input element="t:Ping"/><output element="t:Pong"/></operation></interface>`;
  const SERVICE = `<service name="S" interface="tns:I"><endpoint name="E" binding="tns:B" address="http://x/ping"/></service>`;

  async function compile(text: string): Promise<WsdlModel> {
    writeFileSync(path.join(dir, 'svc.wsdl'), text);
    return compileModel(await loadBundle(path.join(dir, 'svc.wsdl')));
  }
  async function refusal(text: string): Promise<WsdlImportError> {
    try {
      await compile(text);
    } catch (e) {
      if (e instanceof WsdlImportError) return e;
      throw e;
    }
    throw new Error('expected a WsdlImportError');
  }

  it('defaults wsoap:version to SOAP 1.2 and takes wsoap:action', async () => {
    const m = await compile(description(`${IFACE}<binding name="B" interface="tns:I" type="http://www.w3.org/ns/wsdl/soap"><operation ref="tns:Ping" wsoap:action="urn:ping"/></binding>${SERVICE}`));
    expect(m.operations.map((o) => [o.port, o.address, o.soapVersion, o.soapAction, o.inputElement, o.wrapped])).toEqual([['E', 'http://x/ping', '1.2', 'urn:ping', '{urn:t}Ping', true]]);
    expect(m.unsupported).toEqual([]);
  });

  it('reads the 2004 draft SOAP 1.2 binding type (Axis2 test files) as SOAP 1.2 and says so', async () => {
    const m = await compile(description(`${IFACE}<binding name="B" interface="tns:I" type="http://www.w3.org/2004/08/wsdl/soap12"/>${SERVICE}`));
    expect(m.operations.map((o) => [o.name, o.soapVersion])).toEqual([['Ping', '1.2']]);
    expect(m.unsupported.map((u) => u.construct)).toEqual(['WSDL 2.0 draft SOAP binding type "http://www.w3.org/2004/08/wsdl/soap12": read as the SOAP 1.2 binding (http://www.w3.org/ns/wsdl/soap)']);
  });

  it('reports an unknown binding type and an unknown wsoap:version, serving neither', async () => {
    const m = await compile(
      description(`${IFACE}<binding name="B" interface="tns:I" type="urn:other"/><binding name="C" interface="tns:I" type="http://www.w3.org/ns/wsdl/soap" wsoap:version="1.3"/>${SERVICE}`),
    );
    expect(m.operations).toEqual([]);
    expect(m.services[0]?.ports[0]).toMatchObject({ protocol: 'other', soapVersion: null });
    expect(m.unsupported.map((u) => u.construct)).toEqual(['non-SOAP binding type "urn:other"', 'wsoap:version "1.3" (only SOAP 1.1 and 1.2 are served)']);
  });

  it('models #none as an empty body and an element in the WSDL namespace by its targetNamespace match', async () => {
    const iface = `<interface name="I"><operation name="Ping" pattern="http://www.w3.org/ns/wsdl/in-out"><input element="#none"/><output element="Pong"/></operation></interface>`;
    const schema = `<types><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:w"><xs:element name="Pong" type="xs:string"/></xs:schema></types>`;
    const text = `<description xmlns="http://www.w3.org/ns/wsdl" xmlns:tns="urn:w" targetNamespace="urn:w">${schema}${iface}<binding name="B" interface="tns:I" type="http://www.w3.org/ns/wsdl/soap"/>${SERVICE}</description>`;
    const m = await compile(text);
    expect(m.operations[0]).toMatchObject({ inputElement: null, outputElement: '{urn:w}Pong', input: { body: [] } });
    expect(m.unsupported.map((u) => u.construct)).toEqual(['reference {http://www.w3.org/ns/wsdl}Pong resolved by local name to {urn:w}Pong']);
  });

  it('an interface-less binding takes the interface of the service that uses it', async () => {
    const m = await compile(description(`${IFACE}<binding name="B" type="http://www.w3.org/ns/wsdl/soap" wsoap:version="1.1"/>${SERVICE}`));
    expect(m.operations.map((o) => [o.port, o.name, o.soapVersion])).toEqual([['E', 'Ping', '1.1']]);
  });

  it('a WSDL 2.0 description imported by a WSDL 1.1 entry is reported and ignored', async () => {
    writeFileSync(path.join(dir, 'two.wsdl'), description(IFACE));
    const m = await compile(`<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:one"><wsdl:import namespace="urn:w" location="two.wsdl"/></wsdl:definitions>`);
    expect(m.wsdlVersion).toBe('1.1');
    expect(m.portTypes).toEqual([]);
    expect(m.unsupported).toEqual([{ construct: 'WSDL 2.0 <description> in a WSDL 1.1 bundle (ignored)', where: 'two.wsdl:1' }]);
  });

  it.each([
    ['an element in a namespace no schema has', `<interface name="I"><operation name="Ping"><input element="t:Nope"/></operation><operation name="X"><input element="tns:Nope"/></operation></interface>`, /interface "I" operation "X" input references unknown element "\{urn:w\}Nope": no schema in the bundle has namespace "urn:w"/],
    ['an unknown base interface', `<interface name="I" extends="tns:Missing"/>`, /interface "I" extends unknown interface "\{urn:w\}Missing"/],
    ['an interface extending itself', `<interface name="I" extends="tns:J"/><interface name="J" extends="tns:I"/>`, /interface "[IJ]" extends itself through "\{urn:w\}[IJ]"/],
    ['a binding of an unknown interface', `${IFACE}<binding name="B" interface="tns:Nope" type="http://www.w3.org/ns/wsdl/soap"/>`, /binding "B" references unknown interface "\{urn:w\}Nope"/],
    ['a binding operation the interface lacks', `${IFACE}<binding name="B" interface="tns:I" type="http://www.w3.org/ns/wsdl/soap"><operation ref="tns:Pong"/></binding>`, /binding "B" operation ref "\{urn:w\}Pong" is not an operation of interface "I"/],
    ['an endpoint of an unknown binding', `${IFACE}${SERVICE}`, /service "S" endpoint "E" references unknown binding "\{urn:w\}B"/],
  ])('refuses %s, naming it', async (_what, body, reason) => {
    const e = await refusal(description(body));
    expect(e.file).toBe('svc.wsdl');
    expect(e.reason).toMatch(reason);
  });
});
