import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CALCULATOR_WSDL,
  FIXTURES,
  metricValue,
  parseFault,
  postSoap,
  soapHeaders,
  startCalculatorBackend,
  startSoapBridge,
  type SoapBackend,
  type SoapTestBridge,
  type SoapVersion,
} from '../../utils/soap-bridge';

/**
 * Request/expectation pairs against the Calculator, one folder each in
 * test/fixtures/soap/samples/<case>/ (request.xml + expect.json). Add a case by adding a folder.
 */
interface Expectation {
  version: SoapVersion;
  action: string;
  status: number;
  /** Passed through: the operation the metric must count. */
  operation?: string;
  /** Refused by the bridge: the Fault it must answer. */
  faultCode?: string;
  bridgeCode?: string;
  responseContains?: string;
  responseLacks?: string;
}

const SAMPLES = path.join(FIXTURES, 'samples');
const cases = readdirSync(SAMPLES).map((name) => ({
  name,
  request: readFileSync(path.join(SAMPLES, name, 'request.xml')),
  expect: JSON.parse(readFileSync(path.join(SAMPLES, name, 'expect.json'), 'utf8')) as Expectation,
}));

let backend: SoapBackend;
let bridge: SoapTestBridge;

beforeAll(async () => {
  backend = await startCalculatorBackend();
  bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: backend.url });
});

afterAll(async () => {
  await bridge.close();
  await backend.close();
});

test.each(cases)('$name', async ({ request, expect: e }) => {
  const hitsBefore = backend.hits();
  const res = await postSoap(bridge.apiUrl, request, soapHeaders(e.version, e.action));
  expect(res.status).toBe(e.status);
  if (e.responseContains) expect(res.body).toContain(e.responseContains);
  if (e.responseLacks) expect(res.body).not.toContain(e.responseLacks);
  if (e.operation) {
    expect(backend.hits()).toBe(hitsBefore + 1);
    expect(await metricValue(bridge.adminUrl, 'soapbridge_soap_operation_requests_total', { api: 'calc', operation: e.operation, status: String(e.status) })).toBeGreaterThan(0);
  }
  if (e.bridgeCode) {
    expect(backend.hits()).toBe(hitsBefore);
    expect(parseFault(res.body)).toMatchObject({ version: e.version, code: e.faultCode, bridgeCode: e.bridgeCode });
  }
});
