import path from 'node:path';
import {
  calcBody,
  envelope,
  envelopeVersion,
  FIXTURES,
  metricValue,
  parseFault,
  postSoap,
  soapHeaders,
  startSoapBackend,
  startSoapBridge,
  useCalculatorBridge,
  type SoapBackend,
  type SoapTestBridge,
  type SoapVersion,
} from '../../utils/soap-bridge';

const OPS = 'soapbridge_soap_operation_requests_total';
const VERSIONS: SoapVersion[] = ['1.1', '1.2'];

describe('SOAP pass-through: Calculator (document/literal wrapped, `soap` package backend)', () => {
  const calc = useCalculatorBridge();

  /** Sends the same request to the backend and through the bridge; both answers must be identical. */
  async function sameAsDirect(version: SoapVersion, action: string | null, body: string): Promise<{ status: number; body: string }> {
    const headers = soapHeaders(version, action);
    const direct = await postSoap(calc.backend.url, body, headers);
    const bridged = await postSoap(calc.bridge.apiUrl, body, headers);
    expect(bridged.status).toBe(direct.status);
    expect(bridged.contentType).toBe(direct.contentType);
    expect(bridged.body).toBe(direct.body);
    expect(envelopeVersion(bridged.body)).toBe(version);
    return bridged;
  }

  describe.each(VERSIONS)('SOAP %s', (version) => {
    test('identified by action: the backend envelope comes back byte for byte', async () => {
      const res = await sameAsDirect(version, 'http://tempuri.org/Add', envelope(version, calcBody('Add', 2, 3)));
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/<(\w+:)?AddResult>5<\/(\w+:)?AddResult>/);
      expect(await metricValue(calc.bridge.adminUrl, OPS, { api: 'calc', operation: 'Add', status: '200' })).toBe(1);
    });

    test('identified by the first Body element when the action is empty', async () => {
      const res = await sameAsDirect(version, '', envelope(version, calcBody('Multiply', 6, 7)));
      expect(res.body).toMatch(/<(\w+:)?MultiplyResult>42<\/(\w+:)?MultiplyResult>/);
      expect(await metricValue(calc.bridge.adminUrl, OPS, { api: 'calc', operation: 'Multiply', status: '200' })).toBe(1);
    });

    test('a backend Fault comes back with its status and body', async () => {
      const res = await sameAsDirect(version, 'http://tempuri.org/Divide', envelope(version, calcBody('Divide', 1, 0)));
      expect(res.status).toBe(500);
      expect(parseFault(res.body).reason).toContain('division by zero');
      expect(await metricValue(calc.bridge.adminUrl, OPS, { api: 'calc', operation: 'Divide', status: '500' })).toBe(1);
    });
  });

  test('SOAP 1.1 without any SOAPAction header is identified by the Body element', async () => {
    const res = await sameAsDirect('1.1', null, envelope('1.1', calcBody('Subtract', 10, 4)));
    expect(res.body).toMatch(/<(\w+:)?SubtractResult>6<\/(\w+:)?SubtractResult>/);
    expect(await metricValue(calc.bridge.adminUrl, OPS, { api: 'calc', operation: 'Subtract', status: '200' })).toBe(1);
  });

  test('the action wins over the Body element: an unknown element still reaches the backend under a known action', async () => {
    // The element alone is not in the WSDL (see faults.test.ts: unknown operation); the action
    // names Add, so the bridge lets the backend decide and counts the call as Add.
    const body = envelope('1.1', '<t:NotAnOperation xmlns:t="http://tempuri.org/"/>');
    const res = await postSoap(calc.bridge.apiUrl, body, soapHeaders('1.1', 'http://tempuri.org/Add'));
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('urn:soapbridge:fault'); // the backend's error, not a bridge Fault
    expect(await metricValue(calc.bridge.adminUrl, OPS, { api: 'calc', operation: 'Add', status: '500' })).toBe(1);
  });

  test('metrics count every call per operation and status', async () => {
    for (let i = 0; i < 3; i++) await postSoap(calc.bridge.apiUrl, envelope('1.1', calcBody('Add', i, 1)), soapHeaders('1.1', 'http://tempuri.org/Add'));
    await postSoap(calc.bridge.apiUrl, envelope('1.2', calcBody('Add', 1, 1)), soapHeaders('1.2', ''));
    expect(await metricValue(calc.bridge.adminUrl, OPS, { api: 'calc', operation: 'Add', status: '200' })).toBe(4);
  });
});

describe('SOAP pass-through: Greeter (rpc/literal fixture)', () => {
  const WSDL = path.join(FIXTURES, 'rpc-literal', 'Greeter.wsdl');
  type GreetArgs = { name: string; times: number | string };
  const ops = {
    Greet: (a: GreetArgs) => ({ greeting: `hello ${a.name}`.repeat(Number(a.times)) }),
    Concat: (a: { a: string; b: string }) => ({ result: `${a.a}${a.b}` }),
  };
  let backend: SoapBackend;
  let bridge: SoapTestBridge;

  beforeEach(async () => {
    backend = await startSoapBackend('/greeter', () => ({ Greeter: { GreeterSoap: ops, GreeterSoap12: ops } }), WSDL);
    bridge = await startSoapBridge({ wsdl: WSDL, backendUrl: backend.url, name: 'greeter' });
  });

  afterEach(async () => {
    await bridge.close();
    await backend.close();
  });

  const greet = (version: SoapVersion): string =>
    envelope(version, '<g:Greet xmlns:g="urn:example:greeter"><name>ann</name><times>2</times></g:Greet>');

  test.each([
    ['1.1', 'urn:example:greeter#Greet'],
    ['1.1', ''],
    ['1.2', 'urn:example:greeter#Greet'],
    ['1.2', ''],
  ] as const)('SOAP %s, action "%s": same answer as the backend, counted as Greet', async (version, action) => {
    const headers = soapHeaders(version, action);
    const direct = await postSoap(backend.url, greet(version), headers);
    const bridged = await postSoap(bridge.apiUrl, greet(version), headers);
    expect(direct.status).toBe(200);
    expect(direct.body).toContain('hello annhello ann');
    expect(bridged).toEqual(direct);
    expect(await metricValue(bridge.adminUrl, OPS, { api: 'greeter', operation: 'Greet', status: '200' })).toBe(1);
  });

  test('an rpc wrapper in another namespace is the operation of that name (the backend judges the namespace); an unknown name is refused', async () => {
    // The `soap` package writes rpc wrappers in the target namespace, not soap:body's: the bridge
    // passes such a call on as Greet rather than answering for the backend.
    const other = envelope('1.1', '<g:Greet xmlns:g="urn:other"><name>x</name></g:Greet>');
    const greets = async (): Promise<number> =>
      (await metricValue(bridge.adminUrl, OPS, { api: 'greeter', operation: 'Greet', status: '200' })) + (await metricValue(bridge.adminUrl, OPS, { api: 'greeter', operation: 'Greet', status: '500' }));
    const before = await greets();
    const passed = await postSoap(bridge.apiUrl, other, soapHeaders('1.1', ''));
    expect(passed.body).toBe((await postSoap(backend.url, other, soapHeaders('1.1', ''))).body);
    expect(await greets()).toBe(before + 1);
    const unknown = await postSoap(bridge.apiUrl, envelope('1.1', '<g:Nope xmlns:g="urn:other"><name>x</name></g:Nope>'), soapHeaders('1.1', ''));
    expect(unknown.status).toBe(500);
    expect(parseFault(unknown.body)).toMatchObject({ code: 'Client', bridgeCode: 'SOAP_UNKNOWN_OPERATION' });
  });
});
