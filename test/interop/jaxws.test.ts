import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { useCalculatorBridge } from '../utils/soap-bridge';

/**
 * Java's JAX-WS RI (Debian jaxws, with the JDK's javac): wsimport generates the Calculator client
 * from the bridge's `?wsdl` alone (`-extension` for the SOAP 1.2 port), javac compiles a small
 * client against it, and it calls through the bridge on both ports; answers and Faults equal to
 * the same client calling the backend directly.
 */
const run = promisify(execFile);
/** jaxws-rt.jar names the rest of the runtime in its manifest Class-Path. */
const RUNTIME = '/usr/share/java/jaxws-rt.jar';
const ready = ['wsimport', 'javac', 'java'].every((c) => spawnSync(c, ['-version'], { stdio: 'ignore' }).status === 0);
if (!ready) console.warn(`SKIPPED ${__filename}: wsimport, javac or java is missing (install the jaxws and default-jdk-headless Debian packages)`);
const maybe = ready ? describe : describe.skip;

interface Calls {
  Add: number;
  Multiply: number;
  DivideByZero: string | null;
}

maybe('JAX-WS RI through the bridge', () => {
  const calc = useCalculatorBridge('all');
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jaxws-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a client generated from ?wsdl calls both ports through the bridge, as it calls the backend', async () => {
    const wsdl = `${calc.bridge.apiUrl}?wsdl`;
    await run('wsimport', ['-quiet', '-extension', '-d', dir, '-p', 'calc', wsdl], { timeout: 60_000 });
    await run('javac', ['-cp', `${dir}:${RUNTIME}`, '-d', dir, path.join(__dirname, 'JaxwsCalculator.java')], { timeout: 60_000 });
    const before = calc.backend.seen.length;
    const { stdout } = await run('java', ['-cp', `${dir}:${RUNTIME}`, 'JaxwsCalculator', wsdl, calc.backend.url], { timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, { address: string; viaBridge: Calls; direct: Calls }>;
    for (const [port, contentType] of [['CalculatorSoap', 'text/xml'], ['CalculatorSoap12', 'application/soap+xml']] as const) {
      expect(out[port]!.address).toBe(calc.bridge.apiUrl);
      expect(out[port]!.viaBridge).toEqual({ Add: 42, Multiply: 42, DivideByZero: expect.stringContaining('division by zero') });
      expect(out[port]!.viaBridge).toEqual(out[port]!.direct);
      // Three calls of this port came through the bridge (x-request-id), with its content type.
      const bridged = calc.backend.seen.slice(before).filter((h) => h['x-request-id'] && String(h['content-type']).startsWith(contentType));
      expect(bridged).toHaveLength(3);
    }
  }, 120_000);
});
