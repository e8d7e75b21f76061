import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
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

    // 1. A hit returns the cached JSON: prove it by planting a marker in the cached model.
    const cachePath = path.join(cacheDir, file as string);
    const cached = JSON.parse(readFileSync(cachePath, 'utf8')) as { model: { targetNamespace: string } };
    cached.model.targetNamespace = 'from-cache';
    writeFileSync(cachePath, JSON.stringify(cached));
    expect((await importCompiled(entry)).targetNamespace).toBe('from-cache');

    // 2. Changing an imported schema invalidates the entry.
    const xsd = path.join(dir, 'schemas', 'chameleon.xsd');
    writeFileSync(xsd, readFileSync(xsd, 'utf8').replace('maxLength value="20"', 'maxLength value="30"'));
    const again = await importCompiled(entry);
    expect(again.targetNamespace).toBe(first.targetNamespace);
    expect(again.schema.types['{urn:orders:types}Sku']).toEqual(expect.objectContaining({ facets: expect.objectContaining({ maxLength: 30 }) }));
  });

  it('falls back to compiling when the cache is corrupt', async () => {
    const entry = path.join(dir, 'main.wsdl');
    await importCompiled(entry);
    const cacheDir = path.join(dir, '.soapbridge-cache');
    for (const f of readdirSync(cacheDir)) writeFileSync(path.join(cacheDir, f), '{not json');
    const m = await importCompiled(entry);
    expect(m.operations).toHaveLength(1);
    expect(existsSync(cacheDir)).toBe(true);
  });
});
