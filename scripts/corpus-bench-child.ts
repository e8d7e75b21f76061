/**
 * Times imports in a fresh process and prints `{"ms": [N, ...]}`: `soapbridge` (loadBundle +
 * compileModel), `soap` (the soap package's createClientAsync, its WSDL cache off), `cached`
 * (importCompiled on a warm cache folder: what a SOAP pass-through API reads at start) or
 * `cached-full` (the same, then every section of the model read, as the REST facade does).
 * Modules are loaded before the clock starts, so both sides are timed on the same footing: a
 * new process doing its first import, as `soapbridge import` or a client starting up does. With `runs` > 1 the same import is repeated in the same
 * process (the steady state of a long-running process that imports again and again).
 * Usage: node dist/scripts/corpus-bench-child.js soapbridge|soap|cached|cached-full <entry> <cacheDir> [runs]
 */
import { compileModel, importCompiled, loadBundle } from '../src/wsdl';

interface SoapModule {
  createClientAsync(url: string, opts: { disableCache: boolean }): Promise<unknown>;
}

async function main(): Promise<void> {
  const [tool, entry, cacheDir, runsArg] = process.argv.slice(2);
  if (!entry || !['soapbridge', 'soap', 'cached', 'cached-full'].includes(tool ?? '')) throw new Error('usage: corpus-bench-child soapbridge|soap|cached|cached-full <entry> <cacheDir> [runs]');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const soap = tool === 'soap' ? (require('soap') as SoapModule) : undefined;
  const ms: number[] = [];
  for (let i = 0; i < Number(runsArg ?? 1); i++) {
    const started = process.hrtime.bigint();
    // The soap package keeps every WSDL it parsed; a repeat must parse again, as ours does.
    if (soap) await soap.createClientAsync(entry, { disableCache: true });
    else if (tool === 'cached') await importCompiled(entry, { remoteImports: 'skip', cacheDir });
    else if (tool === 'cached-full') {
      const model = await importCompiled(entry, { remoteImports: 'skip', cacheDir });
      for (const k of Object.keys(model)) void (model as unknown as Record<string, unknown>)[k];
    }
    else compileModel(await loadBundle(entry, { remoteImports: 'skip' }));
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
