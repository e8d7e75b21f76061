import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileModel, importCompiled, loadBundle } from '../src/wsdl';
import { expectationOf, type ManifestRow } from './corpus-manifest';

interface SoapModule {
  createClientAsync(url: string): Promise<unknown>;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * Import speed against the `soap` package's createClient on the three largest offline sets
 * (target: >= 10x faster), and a cached start of the largest (target: < 100 ms). The cache goes
 * to a temp folder: the corpus folder is read-only input.
 */
export async function runBenchmark(dir: string, sets: ManifestRow[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const soap = require('soap') as SoapModule;
  const largest = sets
    .filter((s) => expectationOf(s) === 'ok' && !s.features.includes('remote-schemaLocation'))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'soapbridge-corpus-cache-'));
  console.log('\nbenchmark: soapbridge import vs soap.createClient (same process, sequential)');
  try {
    for (const s of largest) {
      const entry = path.join(dir, s.set, s.entry);
      const ours = await time(async () => compileModel(await loadBundle(entry, { remoteImports: 'skip' })));
      let theirs: number | undefined;
      let note = '';
      try {
        theirs = await time(() => soap.createClientAsync(entry));
      } catch (e) {
        note = ` (soap failed: ${e instanceof Error ? e.message.slice(0, 80) : String(e)})`;
      }
      await importCompiled(entry, { remoteImports: 'skip', cacheDir });
      const cached = await time(() => importCompiled(entry, { remoteImports: 'skip', cacheDir }));
      const ratio = theirs === undefined ? 'n/a' : `${(theirs / ours).toFixed(1)}x`;
      console.log(`  ${s.set.padEnd(30)} ${(s.bytes / 1024).toFixed(0).padStart(5)} KiB  soapbridge ${ours.toFixed(0).padStart(5)} ms  soap ${theirs === undefined ? '  n/a' : theirs.toFixed(0).padStart(5)} ms  speedup ${ratio}  cached start ${cached.toFixed(0)} ms${note}`);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
