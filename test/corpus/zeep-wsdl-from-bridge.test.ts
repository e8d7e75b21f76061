import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { compareViews, type ClientView } from './client-views';
import { offlineSets, useImportedCorpus } from './imported-corpus';
import { PYTHON } from '../interop/python';
import { CORPUS } from '../unit/wsdl/helpers';

/**
 * "Existing SOAP clients change only their endpoint URL", checked with a real client on every
 * offline WSDL 1.1 set of the corpus, imported with `soapbridge import`: python zeep loads each
 * description twice, from the original files and from the bridge's `?wsdl` alone (every import
 * through `?wsdl=N` / `?xsd=N`), and must see the
 * same services, ports, operations and message signatures, with the SOAP addresses pointing at
 * the bridge. Sets zeep itself cannot load from the files are counted, not compared.
 */
interface ZeepView {
  ports: Record<string, { address: string | null; operations: Record<string, string> }>;
}
type Described = { set: string } & ClientView<ZeepView>;

const ZEEP_SCRIPT = path.join(__dirname, 'zeep_describe.py');
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));
const corpus = useImportedCorpus(sets);

/** One python process for all jobs: zeep_describe.py prints a line per set. */
function zeep(jobs: { set: string; wsdl: string }[]): Promise<Map<string, Described>> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [ZEEP_SCRIPT], { timeout: 600_000, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`zeep_describe.py: ${stderr || err.message}`));
      const out = new Map<string, Described>();
      for (const line of stdout.split('\n').filter(Boolean)) {
        const d = JSON.parse(line) as Described;
        out.set(d.set, d);
      }
      resolve(out);
    });
    child.stdin?.end(JSON.stringify(jobs));
  });
}

test('zeep sees the same description from the bridge as from the files', async () => {
  const base = corpus().bridge.urls.http!;
  const [direct, viaBridge] = await Promise.all([
    zeep(sets.map((s) => ({ set: s.set, wsdl: path.join(CORPUS, s.set, s.entry) }))),
    zeep(sets.map((s) => ({ set: s.set, wsdl: `${base}/${s.set}/v1?wsdl` }))),
  ]);
  let operations = 0;
  const ops = (v: ZeepView): Record<string, Record<string, string>> => Object.fromEntries(Object.entries(v.ports).map(([k, p]) => [k, p.operations]));
  const { compared, cannot, differences } = compareViews<ZeepView>(sets, direct, viaBridge, (d, b, set) => {
    operations += Object.values(d.ports).reduce((n, p) => n + Object.keys(p.operations).length, 0);
    const out: string[] = [];
    if (JSON.stringify(ops(b)) !== JSON.stringify(ops(d))) out.push('operations or signatures differ');
    for (const [port, p] of Object.entries(b.ports)) {
      // Every port is served by the bridge; an HTTP port whose operation locations are relative
      // gets the API URL with a trailing "/" (so address + location lands below it).
      const api = `${base}/${set}/v1`;
      if (d.ports[port]?.address && p.address !== api && p.address !== `${api}/`) out.push(`${port} address ${p.address} (expected the bridge)`);
    }
    return out;
  });
  // Printed so a CI log shows what was covered.
  console.log(`zeep compared ${compared.length} sets (${operations} operations); zeep cannot load ${cannot.length} from the files:\n  ${cannot.join('\n  ')}`);
  expect(differences).toEqual([]);
  expect(compared.length).toBeGreaterThanOrEqual(40);
  expect(operations).toBeGreaterThanOrEqual(1000);
}, 600_000);
