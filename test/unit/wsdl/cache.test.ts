import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileModel, importCompiled, loadBundle, sourceFilesOf } from '../../../src/wsdl';
import { pingSchema, wsdl, xsd } from '../../fixtures/import/wsdl-gen';
import { cacheBytes, parseCache } from '../../../src/wsdl/cache-file';
import { fixture, useFixtureCopy } from './helpers';

describe('importCompiled', () => {
  const folder = useFixtureCopy('multi', 'wsdl-cache-');
  let dir: string;
  beforeEach(() => (dir = folder()));

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
    const cached = parseCache(readFileSync(cachePath))!;
    writeFileSync(cachePath, cacheBytes({ ...cached, model: { ...cached.model, targetNamespace: 'from-cache' } }));
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

  it('an import that was missing makes the entry stale once the file is there, and is watched', async () => {
    const entry = path.join(dir, 'lacking.wsdl');
    writeFileSync(entry, wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:u" schemaLocation="extra/gone.xsd"/></xs:schema>` }));
    const before = await importCompiled(entry);
    expect(before.unsupported.map((u) => u.construct)).toEqual(['missing import: "extra/gone.xsd" not found']);
    expect(sourceFilesOf(before)).toEqual([entry, path.join(dir, 'extra', 'gone.xsd')]);
    // Still missing: a hit, in memory and on disk.
    expect(await importCompiled(entry)).toBe(before);
    const otherDir = path.join(dir, 'other-cache');
    cpSync(path.join(dir, '.soapbridge-cache'), otherDir, { recursive: true });
    expect((await importCompiled(entry, { cacheDir: otherDir })).unsupported).toEqual(before.unsupported);
    // The file the report asked for is put there: compiled again, in memory and from disk.
    mkdirSync(path.join(dir, 'extra'));
    writeFileSync(path.join(dir, 'extra', 'gone.xsd'), xsd('urn:u', 'Extra'));
    for (const opts of [{}, { cacheDir: otherDir }]) {
      const after = await importCompiled(entry, opts);
      expect(after.unsupported).toEqual([]);
      expect(Object.keys(after.schema.elements)).toContain('{urn:u}Extra');
    }
  });

  it('an edit of the JAX-WS catalog that resolved the imports makes the entry stale', async () => {
    const entry = path.join(dir, 'svc', 'catalogued.wsdl');
    mkdirSync(path.join(dir, 'svc', 'META-INF'), { recursive: true });
    mkdirSync(path.join(dir, 'svc', 'v1'));
    mkdirSync(path.join(dir, 'svc', 'v2'));
    writeFileSync(path.join(dir, 'svc', 'v1', 'u.xsd'), xsd('urn:u', 'One'));
    writeFileSync(path.join(dir, 'svc', 'v2', 'u.xsd'), xsd('urn:u', 'Two'));
    const catalog = (to: string): string => `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><rewriteSystem systemIdStartString="http://example.invalid/u/" rewritePrefix="${to}"/></catalog>`;
    const catalogFile = path.join(dir, 'svc', 'META-INF', 'jax-ws-catalog.xml');
    writeFileSync(catalogFile, catalog('../v1/')); // catalog-relative, as JAX-WS writes them
    writeFileSync(entry, wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:u" schemaLocation="http://example.invalid/u/u.xsd"/></xs:schema>` }));
    const before = await importCompiled(entry);
    expect(Object.keys(before.schema.elements)).toContain('{urn:u}One');
    expect(sourceFilesOf(before)).toContain(catalogFile);
    expect(await importCompiled(entry)).toBe(before);
    writeFileSync(catalogFile, catalog('../v2/'));
    expect(Object.keys((await importCompiled(entry)).schema.elements)).toContain('{urn:u}Two');
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
    for (const f of readdirSync(cacheDir)) expect(parseCache(readFileSync(path.join(cacheDir, f)))?.model).toEqual(m);
  });

  it('compiles again over a cache file of the earlier one-document format or a truncated one', async () => {
    const entry = path.join(dir, 'main.wsdl');
    const compiled = await importCompiled(entry);
    const cacheDir = path.join(dir, '.soapbridge-cache');
    const [file] = readdirSync(cacheDir);
    const cacheFile = path.join(cacheDir, file as string);
    const current = parseCache(readFileSync(cacheFile))!;
    const otherDir = path.join(dir, 'other-cache');
    for (const text of [JSON.stringify({ formatVersion: compiled.formatVersion, ...current, model: { ...compiled, targetNamespace: 'stale' } }), cacheBytes(current).subarray(0, -1)]) {
      rmSync(otherDir, { recursive: true, force: true });
      cpSync(cacheDir, otherDir, { recursive: true });
      writeFileSync(path.join(otherDir, file as string), text);
      const m = await importCompiled(entry, { cacheDir: otherDir });
      expect(m.targetNamespace).toBe(compiled.targetNamespace);
      expect(m).toEqual(compiled);
    }
  });
});

describe('the cache file', () => {
  it('gives back the model it was written from, parsing the large sections only when read', async () => {
    const model = compileModel(await loadBundle(fixture('multi', 'main.wsdl')));
    const bytes = cacheBytes({ key: 'k', files: [{ file: '/x/main.wsdl', sha256: 'ab' }], model });
    const entry = parseCache(bytes)!;
    expect({ ...entry, model: undefined }).toEqual({ key: 'k', files: [{ file: '/x/main.wsdl', sha256: 'ab' }], model: undefined });
    expect(Object.keys(entry.model)).toEqual(Object.keys(model));
    expect(JSON.stringify(entry.model)).toBe(JSON.stringify(model));
    expect(entry.model).toEqual(model);
    // A schema section damaged by hand (same length): the header and the operations still read, the schema says where it broke.
    const damagedBytes = Buffer.from(bytes);
    damagedBytes[bytes.indexOf('{"namespaces"')] = 0x5b; // '{' → '['
    const damaged = parseCache(damagedBytes, '/c/main.model.json')!;
    expect(damaged.model.operations).toEqual(model.operations);
    expect(() => damaged.model.schema).toThrow('/c/main.model.json: the cached model\'s "schema" is damaged (delete the file to compile again)');
  });
});
