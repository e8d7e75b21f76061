import { buildFacade, sampleInput, type Facade, type FacadeOperation } from '../../../src/facade';
import { requestToJson } from '../../../src/facade/facade';
import { fixture, rejects, validateBody } from './helpers';

let shop: Facade;
let schema: string;
let place: FacadeOperation;

const order = {
  '@currency': 'EUR',
  id: 9007199254740993n.toString(), // beyond 2^53: travels as a string
  customer: 'Ada & <Co>',
  items: [{ sku: 'ABC-1234', qty: 2 }],
  status: 'PAID',
  created: '2024-05-01T10:00:00Z',
  price: 12.5,
  flag: false,
};

beforeAll(async () => {
  const f = await fixture('shop.wsdl');
  shop = buildFacade(f.model, { maxArrayItems: 5, maxDepth: 8 });
  schema = f.schema as string;
  place = shop.find('placeOrder') as FacadeOperation;
});

function roundTrip(op: FacadeOperation, input: Record<string, unknown>): { xml: string; back: unknown } {
  const xml = op.toEnvelope(input);
  return { xml, back: requestToJson(shop, op, xml) };
}


describe('JSON → XML → JSON round trips (validated by xmllint)', () => {
  test('operations use the WSO2 path segment and know their SOAP details', () => {
    expect(shop.operations().map((o) => o.segment)).toEqual(['placeOrder', 'getQuote']);
    expect(place.soapAction).toBe('urn:shop/PlaceOrder');
    expect(place.requestHeaders).toEqual({ 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:shop/PlaceOrder"' });
    expect(place.backendHeaders(12)).toEqual({ 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:shop/PlaceOrder"', 'content-length': '12', accept: 'text/xml, application/soap+xml' });
  });

  test('sample input of every operation survives the trip and is schema-valid', () => {
    for (const op of shop.operations()) {
      const sample = sampleInput(shop.view, op.input) as Record<string, unknown>;
      const { xml, back } = roundTrip(op, sample);
      expect(validateBody(schema, xml)).toEqual([]);
      expect(back).toEqual(sample);
    }
  });

  test('element order comes from the schema, never from the JSON', () => {
    const reversed = Object.fromEntries(Object.entries(order).reverse());
    const { xml, back } = roundTrip(place, { payment: { cash: 3 }, order: reversed });
    expect(xml.indexOf('<ns1:order')).toBeLessThan(xml.indexOf('<ns1:payment>'));
    expect(xml.indexOf('<ns1:id>')).toBeLessThan(xml.indexOf('<ns1:customer>'));
    expect(validateBody(schema, xml)).toEqual([]);
    expect(back).toEqual({ order, payment: { cash: 3 } });
  });

  test('text is escaped; a long beyond 2^53 stays a string; a single item is still an array', () => {
    const { xml, back } = roundTrip(place, { order, payment: { cash: 1 } });
    expect(xml).toContain('<ns1:customer>Ada &amp; &lt;Co&gt;</ns1:customer>');
    expect(xml).toContain('<ns1:id>9007199254740993</ns1:id>');
    expect((back as { order: { items: unknown[] } }).order.items).toHaveLength(1);
  });

  test('nil vs empty vs absent', () => {
    const nil = roundTrip(place, { order: { ...order, note: null }, payment: { cash: 1 } });
    expect(nil.xml).toContain('<ns1:note xsi:nil="true"/>');
    expect(validateBody(schema, nil.xml)).toEqual([]);
    expect((nil.back as { order: { note: unknown } }).order.note).toBeNull();
    const empty = roundTrip(place, { order: { ...order, note: '' }, payment: { cash: 1 } });
    expect((empty.back as { order: { note: unknown } }).order.note).toBe('');
    const absent = roundTrip(place, { order, payment: { cash: 1 } });
    expect(absent.xml).not.toContain('note');
    expect(rejects(place, { order: { ...order, customer: null }, payment: { cash: 1 } }).message).toMatch(/\$\.order\.customer: expected a value \(customer is not nillable\)/);
  });

  test('attributes are @name keys; simpleContent is $value; unqualified locals have no prefix', () => {
    const input = { order: { ...order, '@version': 3, items: [{ sku: 'ABC-1234', qty: 1, comment: 'x' }] }, payment: { cash: 1 }, amount: { '@currency': 'USD', $value: 9.99 } };
    const { xml, back } = roundTrip(place, input);
    expect(xml).toContain('<ns1:order currency="EUR" version="3">');
    expect(xml).toContain('<ns1:amount currency="USD">9.99</ns1:amount>');
    expect(xml).toContain('<comment>x</comment>');
    expect(validateBody(schema, xml)).toEqual([]);
    expect(back).toEqual(input);
  });

  test('choice: one branch is written, two are refused, none is refused', () => {
    const { xml } = roundTrip(place, { order, payment: { card: { number: '4111' } } });
    expect(validateBody(schema, xml)).toEqual([]);
    expect(rejects(place, { order, payment: { card: { number: '1' }, cash: 1 } }).message).toMatch(/\$\.payment: expected only one of card, cash \(xsd:choice\)/);
    expect(rejects(place, { order, payment: {} }).message).toMatch(/\$\.payment: expected one of the fields card, cash/);
  });

  test('extension via $type ↔ xsi:type; an abstract type needs $type', () => {
    const input = { order, payment: { cash: 1 }, pet: { $type: 'Cat', name: 'Tom', lives: 9 } };
    const { xml, back } = roundTrip(place, input);
    expect(xml).toContain('<ns1:pet xsi:type="ns1:Cat">');
    expect(validateBody(schema, xml)).toEqual([]);
    expect(back).toEqual(input);
    expect(rejects(place, { order, payment: { cash: 1 }, pet: { name: 'x' } }).path).toBe('$.pet.$type');
    expect(rejects(place, { order, payment: { cash: 1 }, pet: { $type: 'Cow', name: 'x' } }).message).toMatch(/expected one of Animal, Dog, Cat/);
  });

  test('xs:any: raw XML passes through as $any; malformed raw XML is refused', () => {
    const raw = '<m:meta xmlns:m="urn:meta" a="1">v</m:meta>';
    const input = { order, payment: { cash: 1 }, extra: { $any: [raw] } };
    const { xml, back } = roundTrip(place, input);
    expect(xml).toContain(raw);
    expect(validateBody(schema, xml)).toEqual([]);
    expect(back).toEqual(input);
    expect(rejects(place, { order, payment: { cash: 1 }, extra: { $any: ['<a><b></a>'] } }).path).toBe('$.extra.$any[0]');
  });

  test('recursion, lists, base64 and headers round-trip', () => {
    const input = {
      order: { ...order, payload: 'SGVsbG8=', tags: ['a', 'b'], ratio: 0.25 },
      payment: { cash: 1 },
      tree: { value: 'root', child: [{ value: 'a', child: [{ value: 'a1' }] }, { value: 'b' }] },
      big: '18446744073709551615',
      $headers: { auth: { user: 'u', token: 't' } },
    };
    const { xml, back } = roundTrip(place, input);
    expect(xml).toMatch(/<soap:Header><ns1:Auth><ns1:user>u<\/ns1:user>/);
    expect(xml).toContain('<ns1:tags>a b</ns1:tags>');
    expect(validateBody(schema, xml)).toEqual([]);
    expect(back).toEqual(input);
  });
});

describe('request validation: 400 naming the JSON path and what was expected', () => {
  test.each([
    [{ order: { ...order, items: [{ sku: 'ABC-1234', qty: 'two' }] }, payment: { cash: 1 } }, '$.order.items[0].qty', /expected an integer \(xsd:int\), got "two"/],
    [{ order: { ...order, items: [{ sku: 'ABC-1234', qty: 1000 }] }, payment: { cash: 1 } }, '$.order.items[0].qty', /expected a number <= 999/],
    [{ order: { ...order, items: [{ sku: 'abc', qty: 1 }] }, payment: { cash: 1 } }, '$.order.items[0].sku', /matching the pattern/],
    [{ order: { ...order, status: 'LOST' }, payment: { cash: 1 } }, '$.order.status', /one of "NEW", "PAID"/],
    [{ order: { ...order, created: 'yesterday' }, payment: { cash: 1 } }, '$.order.created', /xsd:dateTime form/],
    [{ order: { ...order, flag: 'yes' }, payment: { cash: 1 } }, '$.order.flag', /a boolean/],
    [{ order: { ...order, payload: 'not base64!' }, payment: { cash: 1 } }, '$.order.payload', /base64/],
    [{ order: { ...order, items: { sku: 'ABC-1234', qty: 1 } }, payment: { cash: 1 } }, '$.order.items', /expected an array/],
    [{ order: { ...order, customer: undefined }, payment: { cash: 1 } }, '$.order.customer', /required/],
    [{ order: { ...order, '@currency': undefined }, payment: { cash: 1 } }, '$.order.@currency', /required attribute currency/],
    [{ order: { ...order, surprise: 1 }, payment: { cash: 1 } }, '$.order.surprise', /unknown field "surprise"/],
    [{ order, payment: { cash: 1 }, $headers: { nope: 1 } }, '$.$headers.nope', /unknown field "nope"/],
    [{ order: { ...order, items: Array.from({ length: 6 }, () => ({ sku: 'ABC-1234', qty: 1 })) }, payment: { cash: 1 } }, '$.order.items', /at most 5 items/],
  ])('%#: %s', (input, path, message) => {
    const r = rejects(place, input);
    expect(r.path).toBe(path);
    expect(r.message).toMatch(message);
  });

  test('deep nesting past maxDepth is refused', () => {
    let tree: Record<string, unknown> = { value: 'leaf' };
    for (let i = 0; i < 10; i++) tree = { value: String(i), child: [tree] };
    expect(rejects(place, { order, payment: { cash: 1 }, tree }).message).toMatch(/nesting at most 8 levels/);
  });

  test('a body that is not an object is refused at $', () => {
    expect(rejects(place, [1, 2]).path).toBe('$');
    expect(rejects(place, 'x').path).toBe('$');
  });
});

describe('GET with query parameters', () => {
  test('only operations whose inputs are all simple allow GET; values are typed from the schema', () => {
    const quote = shop.find('getQuote') as FacadeOperation;
    expect(quote.allowsGet).toBe(true);
    expect(place.allowsGet).toBe(false);
    const input = quote.fromQuery({ symbol: 'IBM', count: '3', day: ['2024-01-01', '2024-01-02'] });
    expect(input).toEqual({ symbol: 'IBM', count: 3, day: ['2024-01-01', '2024-01-02'] });
    expect(requestToJson(shop, quote, quote.toEnvelope(input))).toEqual(input);
    expect(rejects(quote, quote.fromQuery({ symbol: 'IBM', count: 'x' })).path).toBe('$.count');
    expect(rejects(quote, quote.fromQuery({ symbol: 'IBM', other: '1' })).message).toMatch(/unknown field "other"/);
  });
});
