/**
 * Imports one corpus set and prints one JSON line. Runs in its own process (spawned by
 * corpus.ts) so a crash, an OOM or a hang in one set is reported instead of ending the run.
 * Usage: node dist/scripts/corpus-child.js <entry-file>
 */
import { compileModel, loadBundle, isWsdlImportError } from '../src/wsdl';

export interface ChildResult {
  result: 'ok' | 'refused';
  reason?: string;
  services?: number;
  ports?: number;
  operations?: number;
  unsupported?: number;
  skippedRemote?: number;
  ms: number;
  peakMB: number;
}

async function main(): Promise<void> {
  const entry = process.argv[2];
  if (!entry) throw new Error('usage: corpus-child <entry>');
  const start = process.hrtime.bigint();
  let out: Omit<ChildResult, 'ms' | 'peakMB'>;
  try {
    // Offline run: remote imports are skipped (recorded, references into them opaque), never fetched.
    const bundle = await loadBundle(entry, { remoteImports: 'skip' });
    const model = compileModel(bundle);
    out = {
      result: 'ok',
      services: model.services.length,
      ports: model.services.reduce((n, s) => n + s.ports.length, 0),
      operations: model.operations.length,
      unsupported: model.unsupported.length,
      skippedRemote: bundle.skipped.length,
    };
  } catch (e) {
    if (!isWsdlImportError(e)) throw e;
    out = { result: 'refused', reason: e.message };
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peakMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...out, ms, peakMB })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
