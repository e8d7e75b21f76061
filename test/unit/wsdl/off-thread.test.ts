import { cpSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { compileModel, importCompiled, importCompiledOffThread, loadBundle } from '../../../src/wsdl';
import { WsdlImportError } from '../../../src/wsdl/errors';
import { fixture, useFixtureCopy } from './helpers';

/** importCompiledOffThread: the compile runs on a worker thread; the answer is the same. */
describe('importCompiledOffThread', () => {
  const folder = useFixtureCopy('multi', 'wsdl-off-thread-');
  let dir: string;
  beforeEach(() => (dir = folder()));

  it('gives the model an in-thread compile gives, writes the cache, and holds the model for the next call', async () => {
    const entry = path.join(dir, 'main.wsdl');
    const model = await importCompiledOffThread(entry);
    expect(model).toEqual(compileModel(await loadBundle(entry)));
    expect(readdirSync(path.join(dir, '.soapbridge-cache'))).toEqual([expect.stringMatching(/^main\.wsdl\.[0-9a-f]{12}\.model\.json$/)]);
    // The worker's result is the model this process now holds: no second compile, no re-read.
    expect(await importCompiled(entry)).toBe(model);
    expect(await importCompiledOffThread(entry)).toBe(model);
  });

  it('rejects with the WsdlImportError an in-thread compile throws', async () => {
    // One refused by the schema/WSDL checks, one by the XML parser. (A worker per case: slow under ts-jest.)
    for (const bad of ['broken-ref.wsdl', 'doctype.wsdl']) {
      const file = path.join(dir, bad);
      cpSync(fixture(`bad/${bad}`), file);
      const inThread = await failureOf(importCompiled(file, { cacheDir: false }));
      const offThread = await failureOf(importCompiledOffThread(file));
      expect(offThread).toBeInstanceOf(WsdlImportError);
      expect({ file: offThread.file, reason: offThread.reason }).toEqual({ file: inThread.file, reason: inThread.reason });
    }
  });
});

async function failureOf(p: Promise<unknown>): Promise<WsdlImportError> {
  const e = await p.then(
    () => new Error('expected the import to be refused'),
    (err: unknown) => err,
  );
  if (!(e instanceof WsdlImportError)) throw e;
  return e;
}
