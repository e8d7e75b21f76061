import * as path from 'node:path';
import { compareFilesAndBridge, type ClientView } from './client-views';
import { offlineSets, useImportedCorpus } from './imported-corpus';
import { describeWithPhpSoap, phpJson } from '../interop/php';

/**
 * The zeep check (zeep-wsdl-from-bridge.test.ts) with a second real client: PHP's SoapClient
 * loads every offline WSDL 1.1 set of the corpus from the original files and from the bridge's
 * `?wsdl` alone (imports through `?wsdl=N` / `?xsd=N`), and must list the same operations and
 * types. Sets PHP cannot load from the files are counted, not compared.
 */
interface PhpView {
  functions: string[];
  types: string[];
}

const SCRIPT = path.join(__dirname, 'php_describe.php');
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));
const maybe = describeWithPhpSoap(__filename);

/** One PHP process per WSDL (see php_describe.php): a crash is that WSDL's outcome. */
function php(wsdl: string): Promise<ClientView<PhpView>> {
  return phpJson<PhpView>(SCRIPT, [wsdl], 60_000);
}

maybe('PHP SoapClient on the imported corpus', () => {
  const corpus = useImportedCorpus(sets);

  test('sees the same operations and types from the bridge as from the files', async () => {
    const base = corpus().bridge.urls.http!;
    let functions = 0;
    const { compared, cannot, differences } = await compareFilesAndBridge(sets, base, php, (d, b) => {
      functions += d.functions.length;
      const out: string[] = [];
      if (JSON.stringify(b.functions) !== JSON.stringify(d.functions)) out.push('operations differ');
      if (JSON.stringify(b.types) !== JSON.stringify(d.types)) out.push('types differ');
      return out;
    });
    // Printed so a CI log shows what was covered.
    console.log(`PHP SoapClient compared ${compared.length} sets (${functions} operations); it cannot load ${cannot.length} from the files:\n  ${cannot.join('\n  ')}`);
    expect(differences).toEqual([]);
    expect(compared.length).toBeGreaterThanOrEqual(40);
    expect(functions).toBeGreaterThanOrEqual(1000);
  }, 600_000);
});
