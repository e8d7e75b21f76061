import * as path from 'node:path';
import * as soap from 'soap';
import { CORPUS } from '../unit/wsdl/helpers';
import { offlineSets, useImportedCorpus } from './imported-corpus';

/**
 * The other client the issue names: the `soap` package loads every offline WSDL 1.1 set of the
 * corpus (imported with `soapbridge import`) from the original files and from the bridge's
 * `?wsdl` alone, and `describe()` (services, ports, operations, input/output shapes) must be the
 * same. Sets the package cannot load from the files are counted, not compared.
 */
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));
const corpus = useImportedCorpus(sets);

async function describe(url: string): Promise<{ described: string } | { error: string }> {
  try {
    const client = await soap.createClientAsync(url, { disableCache: true });
    return { described: JSON.stringify(client.describe()) };
  } catch (e) {
    return { error: e instanceof Error ? e.message.slice(0, 200) : String(e) };
  }
}

test('the soap package sees the same description from the bridge as from the files', async () => {
  const base = corpus().bridge.urls.http!;
  const compared: string[] = [];
  const cannot: string[] = [];
  const differences: string[] = [];
  for (const s of sets) {
    const direct = await describe(path.join(CORPUS, s.set, s.entry));
    if ('error' in direct) {
      cannot.push(`${s.set}: ${direct.error}`);
      continue;
    }
    const viaBridge = await describe(`${base}/${s.set}/v1?wsdl`);
    if ('error' in viaBridge) differences.push(`${s.set}: loads from the files, but from the bridge: ${viaBridge.error}`);
    else if (viaBridge.described !== direct.described) differences.push(`${s.set}: describe() differs`);
    else compared.push(s.set);
  }
  console.log(`soap package compared ${compared.length} sets; it cannot load ${cannot.length} from the files:\n  ${cannot.join('\n  ')}`);
  expect(differences).toEqual([]);
  expect(compared.length).toBeGreaterThanOrEqual(40);
}, 600_000);
