import * as path from 'node:path';
import { compileModel, loadBundle, type WsdlModel } from '../../src/wsdl';
import { CORPUS } from '../unit/wsdl/helpers';
import { offlineSets, useImportedCorpus } from './imported-corpus';

/**
 * Our own importer as the client, so WSDL 2.0 sets and those zeep or the `soap` package cannot
 * read are covered too: every offline set, imported with `soapbridge import`, is imported again
 * from the bridge's `?wsdl` (every document through `?wsdl=N` / `?xsd=N`); the model must be the
 * original one but for what the bridge is meant to change (addresses) and where documents came
 * from (file names).
 */
const sets = offlineSets();
const corpus = useImportedCorpus(sets);

/** The model without document locations and port addresses. */
function comparable(m: WsdlModel): string {
  return JSON.stringify({
    ...m,
    entry: undefined,
    unsupported: m.unsupported.map((u) => u.construct),
    services: m.services.map((s) => ({ ...s, ports: s.ports.map((p) => ({ ...p, address: p.address === null ? null : 'address' })) })),
    operations: m.operations.map((o) => ({ ...o, address: o.address === null ? null : 'address' })),
  }, (k, v: unknown) => (k === 'where' || k === 'file' || k === 'line' ? undefined : v));
}

test('importing the bridge\'s ?wsdl gives the model of the original files', async () => {
  const base = corpus().bridge.urls.http!;
  const differences: string[] = [];
  for (const s of sets) {
    const original = compileModel(await loadBundle(path.join(CORPUS, s.set, s.entry), { remoteImports: 'skip' }));
    let served: WsdlModel;
    try {
      served = compileModel(await loadBundle(`${base}/${s.set}/v1?wsdl`, { remoteImports: 'skip' }));
    } catch (e) {
      differences.push(`${s.set}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const [a, b] = [comparable(original), comparable(served)];
    if (a !== b) {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      differences.push(`${s.set}: first difference at ${i}: files …${a.slice(Math.max(0, i - 80), i + 120)}… bridge …${b.slice(Math.max(0, i - 80), i + 120)}…`);
    }
  }
  expect(differences).toEqual([]);
}, 300_000);
