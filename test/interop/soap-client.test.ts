import path from 'node:path';
import * as soap from 'soap';
import {
  CALCULATOR_WSDL,
  envelope,
  FIXTURES,
  startLoopback,
  startSoapBridge,
  useCalculatorBridge,
  type LoopbackServer,
  type SoapTestBridge,
} from '../utils/soap-bridge';

/**
 * The `soap` package's client, pointed only at the bridge's `?wsdl`: it takes the service address
 * from the rewritten WSDL (the bridge) and calls the `soap` package server behind it.
 */
type CalcResult = Record<string, number | string>;
type AsyncOp = (args: Record<string, unknown>) => Promise<[CalcResult, string, unknown, string]>;

const calc = useCalculatorBridge();

function op(client: soap.Client, name: string): AsyncOp {
  return (client as unknown as Record<string, AsyncOp>)[`${name}Async`]!.bind(client);
}

/** The SOAP fault a `soap` client call rejected with (its `root.Envelope.Body.Fault`). */
async function faultOf(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const e = (await call.then(
    () => undefined,
    (err: unknown) => err,
  )) as { root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } }; response?: { status?: number } } | undefined;
  expect(e).toBeDefined();
  expect(e!.response?.status).toBe(500);
  const fault = e!.root?.Envelope?.Body?.Fault;
  expect(fault).toBeDefined();
  return fault!;
}

describe.each([
  ['1.1', false],
  ['1.2', true],
] as const)('SOAP %s', (version, forceSoap12Headers) => {
  test('loads ?wsdl from the bridge and calls Add, Multiply and Divide through it', async () => {
    const client = await soap.createClientAsync(`${calc.bridge.apiUrl}?wsdl`, { forceSoap12Headers });
    const direct = await soap.createClientAsync(CALCULATOR_WSDL, { forceSoap12Headers }, calc.backend.url);
    // 1. The address comes from the rewritten WSDL: the bridge, not the backend.
    const ports = client.wsdl.definitions.services['Calculator']!.ports;
    expect([ports['CalculatorSoap']!.location, ports['CalculatorSoap12']!.location]).toEqual([calc.bridge.apiUrl, calc.bridge.apiUrl]);
    // 2. Answers through the bridge equal the backend's own.
    for (const [name, args] of [
      ['Add', { intA: 2, intB: 40 }],
      ['Multiply', { intA: 6, intB: 7 }],
      ['Divide', { intA: 84, intB: 2 }],
    ] as const) {
      const [viaBridge, rawBridge] = await op(client, name)(args);
      const [viaDirect, rawDirect] = await op(direct, name)(args);
      expect(viaBridge).toEqual(viaDirect);
      expect(rawBridge).toBe(rawDirect);
    }
    const [added] = await op(client, 'Add')({ intA: 2, intB: 40 });
    expect(Number(added['AddResult'])).toBe(42);
    // 3. Four calls came through the bridge (it adds x-request-id), in the caller's SOAP version.
    expect(calc.backend.seen.filter((h) => h['x-request-id'])).toHaveLength(4);
    const types = new Set(calc.backend.seen.map((h) => String(h['content-type']).split(';')[0]));
    expect([...types]).toEqual([version === '1.2' ? 'application/soap+xml' : 'text/xml']);
  });

  test('Divide by zero surfaces as a fault in the client', async () => {
    const client = await soap.createClientAsync(`${calc.bridge.apiUrl}?wsdl`, { forceSoap12Headers });
    const fault = await faultOf(op(client, 'Divide')({ intA: 1, intB: 0 }));
    expect(JSON.stringify(fault)).toContain('division by zero');
    expect(calc.backend.hits()).toBe(1);
  });
});

test('a bridge Fault (backend down) surfaces as a fault with the stable code', async () => {
  await calc.backend.close();
  const client = await soap.createClientAsync(`${calc.bridge.apiUrl}?wsdl`);
  const fault = await faultOf(op(client, 'Add')({ intA: 1, intB: 2 }));
  expect(fault['faultcode']).toBe('soap:Server');
  expect(JSON.stringify(fault)).toContain('ENDPOINT_UNREACHABLE');
});

describe('multi-file WSDL loaded from the bridge alone', () => {
  let orders: LoopbackServer;
  let ordersBridge: SoapTestBridge;
  afterEach(async () => {
    await ordersBridge.close();
    await orders.close();
  });

  test('the client resolves every import through the bridge and calls PlaceOrder', async () => {
    // A canned backend: the point is the client building its request from the bridge's documents.
    let received = '';
    orders = await startLoopback((req, res) => {
      req.on('data', (c: Buffer) => (received += c.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(envelope('1.1', '<o:PlaceOrderResponse xmlns:o="urn:example:orders:types"><o:orderId>o-2</o:orderId><o:total>12.50</o:total></o:PlaceOrderResponse>'));
      });
    });
    ordersBridge = await startSoapBridge({ wsdl: path.join(FIXTURES, 'multi-file', 'Orders.wsdl'), backendUrl: `${orders.origin}/orders`, name: 'orders' });
    const client = await soap.createClientAsync(`${ordersBridge.apiUrl}?wsdl`);
    const [res] = await op(client, 'PlaceOrder')({ customer: { name: 'ann' }, line: [{ sku: 'a', quantity: 1, price: '2.50' }, { sku: 'b', quantity: 2, price: '5.00' }] });
    expect(res).toEqual({ orderId: 'o-2', total: '12.50' });
    // Types from common.xsd (Party) and order-parts.xsd (OrderLine) shaped the request.
    expect(received).toMatch(/PlaceOrder[^>]*xmlns(:\w+)?="urn:example:orders:types"/);
    expect(received).toContain('>ann<');
    expect(received.match(/<(\w+:)?sku>/g)).toHaveLength(2);
  });
});
