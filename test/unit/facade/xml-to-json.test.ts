import { buildFacade, sampleInput, type Facade, type FacadeOperation } from '../../../src/facade';
import { requestToJson } from '../../../src/facade/facade';
import { BridgeError } from '../../../src/errors/bridge-error';
import { fixture } from './helpers';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const env = (body: string, ns = S11, extra = ''): string => `<?xml version="1.0"?><e:Envelope xmlns:e="${ns}"${extra}><e:Body>${body}</e:Body></e:Envelope>`;

let shop: Facade;
let place: FacadeOperation;
let rpc: Facade;

beforeAll(async () => {
  shop = buildFacade((await fixture('shop.wsdl')).model, { faultStatus: { client: 422 } });
  place = shop.find('placeOrder') as FacadeOperation;
  rpc = buildFacade((await fixture('rpc-encoded.wsdl')).model, {});
});

function invalidResponse(op: FacadeOperation, xml: string, status = 200): string {
  try {
    op.fromEnvelope(xml, status);
  } catch (e) {
    expect(e).toBeInstanceOf(BridgeError);
    expect((e as BridgeError).code).toBe('BACKEND_RESPONSE_INVALID');
    expect((e as BridgeError).status).toBe(502);
    return (e as BridgeError).message;
  }
  throw new Error('expected BACKEND_RESPONSE_INVALID');
}

describe('responses → JSON by the schema', () => {
  test('one repeated item is an array, numbers are numbers, any prefix works', () => {
    const r = place.fromEnvelope(env('<x:PlaceOrderResponse xmlns:x="urn:shop"><x:orderId>42</x:orderId><x:lines><x:sku>ABC-1234</x:sku><x:qty>1</x:qty></x:lines></x:PlaceOrderResponse>'), 200);
    expect(r).toEqual({ status: 200, problem: false, body: { orderId: 42, lines: [{ sku: 'ABC-1234', qty: 1 }] } });
  });

  test('default namespace, CDATA and entities', () => {
    const r = place.fromEnvelope(env('<PlaceOrderResponse xmlns="urn:shop"><orderId>1</orderId><lines><sku><![CDATA[A<B]]></sku><qty>2</qty><comment xmlns="">x &amp; &#65;</comment></lines></PlaceOrderResponse>'), 200);
    expect(r.body).toEqual({ orderId: 1, lines: [{ sku: 'A<B', qty: 2, comment: 'x & A' }] });
  });

  test('elements the schema does not know are kept, generically', () => {
    const r = place.fromEnvelope(env('<x:PlaceOrderResponse xmlns:x="urn:shop"><x:orderId>1</x:orderId><x:new a="1"><x:v>2</x:v></x:new></x:PlaceOrderResponse>'), 200);
    expect(r.body).toEqual({ orderId: 1, new: { '@a': '1', v: '2' } });
  });

  test('a SOAP 1.2 response is read the same way', () => {
    const r = place.fromEnvelope(env('<x:PlaceOrderResponse xmlns:x="urn:shop"><x:orderId>7</x:orderId></x:PlaceOrderResponse>', S12), 200);
    expect(r.body).toEqual({ orderId: 7 });
  });
});

describe('SOAP Faults → problem+json', () => {
  test('1.1 client fault with a typed detail: configured status, faultcode, faultstring, faultdetail', () => {
    const xml = env('<e:Fault><faultcode>e:Client</faultcode><faultstring>bad order</faultstring><faultactor>urn:a</faultactor><detail><x:OrderFault xmlns:x="urn:shop"><x:reason>qty</x:reason><x:code>17</x:code></x:OrderFault></detail></e:Fault>');
    const r = place.fromEnvelope(xml, 500);
    expect(r.status).toBe(422);
    expect(r.problem).toBe(true);
    expect(r.body).toMatchObject({ status: 422, code: 'BACKEND_CLIENT_FAULT', faultcode: 'e:Client', faultstring: 'bad order', faultactor: 'urn:a', detail: 'bad order', faultdetail: { OrderFault: { reason: 'qty', code: 17 } } });
  });

  test('1.1 server fault → 502 by default', () => {
    const r = place.fromEnvelope(env('<e:Fault><faultcode>e:Server</faultcode><faultstring>db down</faultstring></e:Fault>'), 500);
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ code: 'BACKEND_SERVER_FAULT', faultcode: 'e:Server', faultstring: 'db down' });
  });

  test('1.2 Sender fault with subcode and Reason', () => {
    const xml = env('<e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>x:Invalid</e:Value></e:Subcode></e:Code><e:Reason><e:Text xml:lang="de">schlecht</e:Text><e:Text xml:lang="en">bad</e:Text></e:Reason><e:Detail><info>i</info></e:Detail></e:Fault>', S12, ' xmlns:x="urn:x"');
    const r = place.fromEnvelope(xml, 400);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ faultcode: 'e:Sender', subcodes: ['x:Invalid'], faultstring: 'bad', faultdetail: { info: 'i' } });
  });
});

describe('bad backend answers → 502 BACKEND_RESPONSE_INVALID', () => {
  test.each([
    ['malformed XML', env('<x:A xmlns:x="urn:shop"><x:orderId>1</x:A>'), /not well-formed/],
    ['an HTML error page', '<html><body><h1>502 Bad Gateway</h1></body></html>', /HTML page/],
    ['plain text', 'Internal Server Error', /not XML/],
    ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', /DOCTYPE/],
    ['XML that is not an Envelope', '<x:A xmlns:x="urn:shop"/>', /not a SOAP Envelope/],
    ['an undeclared prefix', env('<y:A/>'), /undeclared namespace prefix "y"/],
  ])('%s', (_name, xml, message) => {
    expect(invalidResponse(place, xml)).toMatch(message);
  });

  test('an error status without a Fault', () => {
    expect(invalidResponse(place, env('<x:PlaceOrderResponse xmlns:x="urn:shop"/>'), 500)).toMatch(/HTTP 500/);
  });
});

describe('rpc/encoded', () => {
  test('soapenc:Array ↔ JSON array, xsi:type on every value, round trip', () => {
    const sum = rpc.find('sum') as FacadeOperation;
    const input = { values: [1, 2, 3], label: 'x' };
    const xml = sum.toEnvelope(input);
    expect(xml).toContain('soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"');
    expect(xml).toContain('<values xsi:type="soapenc:Array" soapenc:arrayType="xsd:int[3]"><item xsi:type="xsd:int">1</item>');
    expect(xml).toContain('<label xsi:type="xsd:string">x</label>');
    expect(requestToJson(rpc, sum, xml)).toEqual(input);
    expect(requestToJson(rpc, sum, sum.toEnvelope(sampleInput(rpc.view, sum.input)))).toEqual(sampleInput(rpc.view, sum.input));
  });

  test('Axis-style multiRef responses are followed; the return accessor may have any name', () => {
    const sum = rpc.find('sum') as FacadeOperation;
    const xml = env(
      '<ns1:SumResponse xmlns:ns1="urn:calc"><result href="#id0"/></ns1:SumResponse>' +
        '<multiRef id="id0" xsi:type="ns2:Stats" xmlns:ns2="urn:calc"><sum xsi:type="xsd:int">6</sum><label xsi:type="xsd:string">x</label></multiRef>',
      S11,
      ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
    );
    expect(sum.fromEnvelope(xml, 200).body).toEqual({ return: { sum: 6, label: 'x' } });
  });
});
