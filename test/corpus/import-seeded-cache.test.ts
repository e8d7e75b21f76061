import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load';
import { importApi } from '../../src/import/import-api';
import { compileModel, importCompiled, loadBundle, SERVED_WSDL_OPTIONS } from '../../src/wsdl';
import { CORPUS } from '../unit/wsdl/helpers';
import { offlineSets } from './imported-corpus';

/**
 * `soapbridge import` stores the model it compiled as the cache of the copy when the copy is the
 * source byte for byte. On every offline set: where it did, the bridge's read of the copy must
 * be a cache hit (the entry is not rewritten) and give exactly what compiling the copy gives.
 */
const sets = offlineSets();
let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'soapbridge-seeded-'));
  mkdirSync(path.join(root, 'config', 'apis'), { recursive: true });
  writeFileSync(path.join(root, 'config', 'soapbridge.yaml'), stringify({ server: { http: { port: 0 } }, apis: 'apis' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a cache written by the import is the model of the stored copy, and the bridge reads it without compiling', async () => {
  const config = loadConfig(path.join(root, 'config', 'soapbridge.yaml'), {});
  const wrong: string[] = [];
  let seeded = 0;
  const unseeded: string[] = [];
  for (const s of sets) {
    const { entry } = await importApi({ source: path.join(CORPUS, s.set, s.entry), name: s.set }, config);
    const dir = path.join(path.dirname(entry), '.soapbridge-cache');
    if (!existsSync(dir)) {
      unseeded.push(s.set);
      continue;
    }
    seeded++;
    const [file] = readdirSync(dir).map((f) => path.join(dir, f));
    const before = readFileSync(file as string);
    const read = JSON.stringify(await importCompiled(entry, SERVED_WSDL_OPTIONS));
    if (!readFileSync(file as string).equals(before)) wrong.push(`${s.set}: not a cache hit`);
    if (read !== JSON.stringify(compileModel(await loadBundle(entry, SERVED_WSDL_OPTIONS)))) wrong.push(`${s.set}: the cached model differs from the copy's`);
  }
  expect(wrong).toEqual([]);
  // Every set is copied byte for byte (import locations that lead to the copy stay as written)
  // but two: one whose imports a JAX-WS catalog redirects (the copy's locations must say where
  // the files are) and one with an import that does not exist.
  expect(unseeded).toEqual(['cxf-catalog-resolved-imports', 'gsoap-autotest-examples']);
  expect(seeded).toBe(sets.length - 2);
}, 300_000);
