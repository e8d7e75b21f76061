import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importCompiled } from '../../../src/wsdl';
import { fixture } from './helpers';

describe('importCompiled', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wsdl-cache-'));
    cpSync(fixture('multi'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('caches the compiled model beside the WSDL and reuses it until a file changes', async () => {
    const entry = path.join(dir, 'main.wsdl');
    const first = await importCompiled(entry);
    const cacheDir = path.join(dir, '.soapbridge-cache');
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(/^main\.wsdl\.[0-9a-f]{12}\.model\.json$/);

    // 1. In the same process an unchanged WSDL gives back the very model already in memory.
    expect(await importCompiled(entry)).toBe(first);

    // 2. A hit on disk returns the cached JSON: prove it by planting a marker in a copy of the
    //    cache file in another cache folder (this process holds no model for that one).
    const otherDir = path.join(dir, 'other-cache');
    cpSync(cacheDir, otherDir, { recursive: true });
    const cachePath = path.join(otherDir, file as string);
    const cached = JSON.parse(readFileSync(cachePath, 'utf8')) as { model: { targetNamespace: string } };
    cached.model.targetNamespace = 'from-cache';
    writeFileSync(cachePath, JSON.stringify(cached));
    const fromDisk = await importCompiled(entry, { cacheDir: otherDir });
    expect(fromDisk.targetNamespace).toBe('from-cache');
    expect(await importCompiled(entry, { cacheDir: otherDir })).toBe(fromDisk);

    // 3. Changing an imported schema invalidates the entry, on disk and in memory.
    const xsd = path.join(dir, 'schemas', 'chameleon.xsd');
    writeFileSync(xsd, readFileSync(xsd, 'utf8').replace('maxLength value="20"', 'maxLength value="30"'));
    for (const opts of [{}, { cacheDir: otherDir }]) {
      const again = await importCompiled(entry, opts);
      expect(again).not.toBe(first);
      expect(again.targetNamespace).toBe(first.targetNamespace);
      expect(again.schema.types['{urn:orders:types}Sku']).toEqual(expect.objectContaining({ facets: expect.objectContaining({ maxLength: 30 }) }));
    }
  });

  it('falls back to compiling when the cache is corrupt', async () => {
    const entry = path.join(dir, 'main.wsdl');
    await importCompiled(entry);
    // A copy in another folder: this process holds no model for it, so the file is read.
    const cacheDir = path.join(dir, 'corrupt-cache');
    cpSync(path.join(dir, '.soapbridge-cache'), cacheDir, { recursive: true });
    for (const f of readdirSync(cacheDir)) writeFileSync(path.join(cacheDir, f), '{not json');
    const m = await importCompiled(entry, { cacheDir });
    expect(m.operations).toHaveLength(1);
    // …and the entry is written again, whole.
    for (const f of readdirSync(cacheDir)) expect(() => JSON.parse(readFileSync(path.join(cacheDir, f), 'utf8'))).not.toThrow();
  });
});
