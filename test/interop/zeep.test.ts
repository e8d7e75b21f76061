import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { useCalculatorBridge } from '../utils/soap-bridge';
import { describeWithPython, PYTHON } from './python';

/**
 * python zeep (Debian python3-zeep, installed by CI) loads `?wsdl` from the bridge and calls the
 * Calculator through it on the SOAP 1.1 and SOAP 1.2 ports; answers must equal zeep calling the
 * backend directly with the same binding.
 */
const SCRIPT = path.join(__dirname, 'zeep_calculator.py');
const maybe = describeWithPython('zeep', __filename);

interface Calls {
  Add: number;
  Multiply: number;
  DivideByZero: { fault: string; code: string } | null;
}
interface ZeepResult {
  address: string;
  soapVersion: '1.1' | '1.2';
  viaBridge: Calls;
  direct: Calls;
}

maybe('python zeep through the bridge', () => {
  const calc = useCalculatorBridge('all');

  test.each([
    ['CalculatorSoap', '1.1', 'text/xml'],
    ['CalculatorSoap12', '1.2', 'application/soap+xml'],
  ] as const)('port %s (SOAP %s)', async (port, version, contentType) => {
    const before = calc.backend.seen.length;
    const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, `${calc.bridge.apiUrl}?wsdl`, port, calc.backend.url], { timeout: 20_000 });
    const result = JSON.parse(stdout) as ZeepResult;
    // 1. zeep took the address from the bridge's WSDL and spoke the port's SOAP version.
    expect(result.address).toBe(calc.bridge.apiUrl);
    expect(result.soapVersion).toBe(version);
    // 2. Through the bridge, the same answers as from the backend, faults included.
    expect(result.viaBridge).toEqual(result.direct);
    expect(result.viaBridge.Add).toBe(42);
    expect(result.viaBridge.Multiply).toBe(42);
    expect(result.viaBridge.DivideByZero?.fault).toContain('division by zero');
    // 3. Three calls came through the bridge (x-request-id) with the port's content type.
    const bridged = calc.backend.seen.slice(before).filter((h) => h['x-request-id']);
    expect(bridged).toHaveLength(3);
    for (const h of bridged) expect(String(h['content-type'])).toContain(contentType);
  }, 30_000);
});
