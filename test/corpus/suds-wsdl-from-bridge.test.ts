import * as path from 'node:path';
import { compareFilesAndBridge, type ClientView } from './client-views';
import { offlineSets, useImportedCorpus } from './imported-corpus';
import { processJson } from '../interop/json-process';
import { describeWithPython, PYTHON } from '../interop/python';
import { SUDS_NEVER_RETURNS } from './suds';

/**
 * The zeep and PHP checks (zeep-wsdl-from-bridge.test.ts, php-wsdl-from-bridge.test.ts) with a
 * third real client, python suds (Debian python3-suds), still found in many integrations: it
 * loads every offline WSDL 1.1 set of the corpus from the original files and from the bridge's
 * `?wsdl` alone (imports through `?wsdl=N` / `?xsd=N`, which suds resolves against the URL it
 * read them from), and must see the same ports, method signatures and types, with every SOAP
 * address pointing at the bridge. Sets suds cannot load from the files are counted, not compared.
 */
interface SudsView {
  ports: Record<string, { address: string | null; methods: Record<string, string> }>;
  types: string[];
}

const SCRIPT = path.join(__dirname, 'suds_describe.py');
const sets = offlineSets((s) => !s.features.includes('wsdl2.0') && !SUDS_NEVER_RETURNS.has(s.set));
const maybe = describeWithPython('suds', __filename);

/** One python process per WSDL (see suds_describe.py); the largest set takes suds ≈ 2 s. */
function suds(wsdl: string): Promise<ClientView<SudsView>> {
  return processJson<SudsView>(PYTHON, [SCRIPT, wsdl], 20_000);
}

maybe('python suds on the imported corpus', () => {
  const corpus = useImportedCorpus(sets);

  test('sees the same ports, methods and types from the bridge as from the files', async () => {
    const base = corpus().bridge.urls.http!;
    let methods = 0;
    const { compared, cannot, differences } = await compareFilesAndBridge(sets, base, suds, (d, b, set) => {
      methods += Object.values(d.ports).reduce((n, p) => n + Object.keys(p.methods).length, 0);
      const out: string[] = [];
      const signatures = (v: SudsView): string => JSON.stringify(Object.entries(v.ports).map(([port, p]) => [port, p.methods]));
      if (signatures(b) !== signatures(d)) out.push('ports or method signatures differ');
      if (JSON.stringify(b.types) !== JSON.stringify(d.types)) out.push('types differ');
      for (const [port, p] of Object.entries(b.ports)) {
        // suds lists a port's address only for SOAP bindings, which the bridge serves.
        if (d.ports[port]?.address && p.address !== `${base}/${set}/v1`) out.push(`${port} address ${p.address} (expected the bridge)`);
      }
      return out;
    });
    // Printed so a CI log shows what was covered.
    const skipped = [...SUDS_NEVER_RETURNS].map(([set, why]) => `${set}: not tried (${why})`);
    console.log(`suds compared ${compared.length} sets (${methods} methods); it cannot load ${cannot.length + skipped.length} from the files:\n  ${[...cannot, ...skipped].join('\n  ')}`);
    expect(differences).toEqual([]);
    expect(compared.length).toBeGreaterThanOrEqual(40);
    expect(methods).toBeGreaterThanOrEqual(1000);
  }, 600_000);
});
