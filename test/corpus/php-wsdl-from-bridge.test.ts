import * as path from 'node:path';
import { offlineSets, useImportedCorpus } from './imported-corpus';
import { describeWithPhpSoap, phpJson } from '../interop/php';
import { CORPUS } from '../unit/wsdl/helpers';

/**
 * The zeep check (zeep-wsdl-from-bridge.test.ts) with a second real client: PHP's SoapClient
 * loads every offline WSDL 1.1 set of the corpus from the original files and from the bridge's
 * `?wsdl` alone (imports through `?wsdl=N` / `?xsd=N`), and must list the same operations and
 * types. Sets PHP cannot load from the files are counted, not compared.
 */
interface Described {
  set: string;
  functions?: string[];
  types?: string[];
  error?: string;
}

const SCRIPT = path.join(__dirname, 'php_describe.php');
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));
const maybe = describeWithPhpSoap(__filename);

/** One PHP process per WSDL (see php_describe.php): a crash is that WSDL's outcome. */
function describeWsdl(wsdl: string): Promise<Omit<Described, 'set'>> {
  return phpJson<Omit<Described, 'set'>>(SCRIPT, [wsdl], 60_000);
}

/** Describes every job, two PHP processes at a time. */
async function php(jobs: { set: string; wsdl: string }[]): Promise<Map<string, Described>> {
  const out = new Map<string, Described>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      out.set(job.set, { set: job.set, ...(await describeWsdl(job.wsdl)) });
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

maybe('PHP SoapClient on the imported corpus', () => {
  const corpus = useImportedCorpus(sets);

  test('sees the same operations and types from the bridge as from the files', async () => {
    const base = corpus().bridge.urls.http!;
    const direct = await php(sets.map((s) => ({ set: s.set, wsdl: path.join(CORPUS, s.set, s.entry) })));
    const viaBridge = await php(sets.map((s) => ({ set: s.set, wsdl: `${base}/${s.set}/v1?wsdl` })));
    const differences: string[] = [];
    const phpCannot: string[] = [];
    let compared = 0;
    let functions = 0;
    for (const s of sets) {
      const d = direct.get(s.set);
      const b = viaBridge.get(s.set);
      if (!d?.functions) {
        phpCannot.push(`${s.set}: ${d?.error ?? 'no answer'}${b?.functions ? ' (but it loads from the bridge)' : ''}`);
        continue;
      }
      if (!b?.functions) {
        differences.push(`${s.set}: loads from the files, but from the bridge: ${b?.error ?? 'no answer'}`);
        continue;
      }
      compared++;
      functions += d.functions.length;
      if (JSON.stringify(b.functions) !== JSON.stringify(d.functions)) differences.push(`${s.set}: operations differ`);
      if (JSON.stringify(b.types) !== JSON.stringify(d.types)) differences.push(`${s.set}: types differ`);
    }
    // Printed so a CI log shows what was covered.
    console.log(`PHP SoapClient compared ${compared} sets (${functions} operations); it cannot load ${phpCannot.length} from the files:\n  ${phpCannot.join('\n  ')}`);
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(functions).toBeGreaterThanOrEqual(1000);
  }, 600_000);
});
