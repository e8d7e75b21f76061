import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { useCalculatorBridge } from '../utils/soap-bridge';
import { describeWithPhpSoap, PHP } from './php';

/**
 * PHP's SoapClient (Debian php-soap, installed by CI), one of the most used SOAP clients, loads
 * `?wsdl` from the bridge and calls the Calculator through it over SOAP 1.1 and SOAP 1.2; the
 * answers, faults included, must equal the same client calling the backend directly.
 */
const SCRIPT = path.join(__dirname, 'php_calculator.php');
const maybe = describeWithPhpSoap(__filename);

interface Calls {
  Add: number;
  Multiply: number;
  DivideByZero: { fault: string; code: string } | null;
  requestHeaders: string;
}

maybe('PHP SoapClient through the bridge', () => {
  const calc = useCalculatorBridge('all');

  test.each([
    ['1.1', 'text/xml', 'Client'],
    ['1.2', 'application/soap+xml', 'Sender'],
  ] as const)('SOAP %s', async (version, contentType, faultCode) => {
    const before = calc.backend.seen.length;
    const { stdout } = await promisify(execFile)(PHP, [SCRIPT, `${calc.bridge.apiUrl}?wsdl`, version, calc.backend.url], { timeout: 20_000 });
    const { viaBridge, direct } = JSON.parse(stdout) as { viaBridge: Calls; direct: Calls };
    // 1. PHP called the address of the bridge's WSDL, in the version asked for.
    expect(viaBridge.requestHeaders).toMatch(new RegExp(`^POST ${new URL(calc.bridge.apiUrl).pathname} HTTP/1.1\\r\\nHost: ${new URL(calc.bridge.apiUrl).host}\\r\\n`));
    expect(viaBridge.requestHeaders).toContain(`Content-Type: ${contentType}`);
    // 2. Through the bridge, the same answers as from the backend, faults included.
    const { requestHeaders: _b, ...bridged } = viaBridge;
    const { requestHeaders: _d, ...fromBackend } = direct;
    expect(bridged).toEqual(fromBackend);
    expect(bridged.Add).toBe(42);
    expect(bridged.Multiply).toBe(42);
    expect(bridged.DivideByZero?.fault).toContain('division by zero');
    expect(bridged.DivideByZero?.code).toContain(faultCode);
    // 3. Three of the backend's six calls came through the bridge (x-request-id).
    const seen = calc.backend.seen.slice(before);
    expect(seen).toHaveLength(6);
    expect(seen.filter((h) => h['x-request-id'])).toHaveLength(3);
    for (const h of seen) expect(String(h['content-type'])).toContain(contentType);
  }, 30_000);
});
