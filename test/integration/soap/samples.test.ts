import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, metricValue, parseFault, postSoap, soapHeaders, useCalculatorBridge, type SoapVersion } from '../../utils/soap-bridge';

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

const calc = useCalculatorBridge('all');

test.each(cases)('$name', async ({ request, expect: e }) => {
  const hitsBefore = calc.backend.hits();
  const res = await postSoap(calc.bridge.apiUrl, request, soapHeaders(e.version, e.action));
  expect(res.status).toBe(e.status);
  if (e.responseContains) expect(res.body).toContain(e.responseContains);
  if (e.responseLacks) expect(res.body).not.toContain(e.responseLacks);
  if (e.operation) {
    expect(calc.backend.hits()).toBe(hitsBefore + 1);
    expect(await metricValue(calc.bridge.adminUrl, 'soapbridge_soap_operation_requests_total', { api: 'calc', operation: e.operation, status: String(e.status) })).toBeGreaterThan(0);
  }
  if (e.bridgeCode) {
    expect(calc.backend.hits()).toBe(hitsBefore);
    expect(parseFault(res.body)).toMatchObject({ version: e.version, code: e.faultCode, bridgeCode: e.bridgeCode });
  }
});
