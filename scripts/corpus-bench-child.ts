/**
 * Times one import in a fresh process and prints `{"ms": N}`: `soapbridge` (loadBundle +
 * compileModel), `soap` (the soap package's createClientAsync) or `cached` (importCompiled on a
 * warm cache folder). Modules are loaded before the clock starts, so both sides are timed on
 * the same footing: a new process doing its first import, as `soapbridge import` or a client
 * starting up does.
 * Usage: node dist/scripts/corpus-bench-child.js soapbridge|soap|cached <entry> [cacheDir]
 */
import { compileModel, importCompiled, loadBundle } from '../src/wsdl';

interface SoapModule {
  createClientAsync(url: string): Promise<unknown>;
}

async function main(): Promise<void> {
  const [tool, entry, cacheDir] = process.argv.slice(2);
  if (!entry || (tool !== 'soapbridge' && tool !== 'soap' && tool !== 'cached')) throw new Error('usage: corpus-bench-child soapbridge|soap|cached <entry> [cacheDir]');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const soap = tool === 'soap' ? (require('soap') as SoapModule) : undefined;
  const started = process.hrtime.bigint();
  if (soap) await soap.createClientAsync(entry);
  else if (tool === 'cached') await importCompiled(entry, { remoteImports: 'skip', cacheDir });
  else compileModel(await loadBundle(entry, { remoteImports: 'skip' }));
  process.stdout.write(`${JSON.stringify({ ms: Number(process.hrtime.bigint() - started) / 1e6 })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
