import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importCompiled } from '../src/wsdl';
import { expectationOf, type ManifestRow } from './corpus-manifest';

const ROUNDS = 3;
type Tool = 'soapbridge' | 'soap' | 'cached' | 'cached-full';

/** `runs` imports in one fresh process (corpus-bench-child.ts): milliseconds each, or the error it printed. */
function timeChild(tool: Tool, entry: string, cacheDir: string, runs = 1): Promise<number[] | Error> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(__dirname, 'corpus-bench-child.js'), tool, entry, cacheDir, String(runs)], { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) resolve(new Error((stderr.trim() || err.message).split('\n')[0]?.slice(0, 80)));
      else resolve((JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ms: number[] }).ms);
    });
  });
}

/** Steady state: WARM_UP imports, then the median of the next WARM_RUNS, all in one process. */
const WARM_UP = 3;
const WARM_RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Import speed against the `soap` package's createClient on the three largest offline sets
 * (target: >= 10x faster), and a cached start of the largest (target: < 100 ms). Every import runs
 * in its own fresh process with modules already loaded (in one shared process the second tool
 * would inherit the first one's grown heap and warmed-up JIT), in alternating order, median of
 * ROUNDS. The steady state (each tool repeating the import in its own process) shows how much of
 * the gap is start-up: what a running bridge pays for an import through the admin API.
 * The cached start is shown twice: a bridge serving the WSDL as SOAP pass-through reads only the
 * model's services and operations at start, the REST facade and prototypes read it all.
 * The cache goes to a temp folder: the corpus folder is read-only input.
 */
export async function runBenchmark(dir: string, sets: ManifestRow[]): Promise<void> {
  const largest = sets
    .filter((s) => expectationOf(s) === 'ok' && !s.features.includes('remote-schemaLocation'))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'soapbridge-corpus-cache-'));
  console.log(`\nbenchmark: soapbridge import vs soap.createClient. First import: each in a fresh process, modules preloaded, median of ${ROUNDS}, alternating order. Steady state: one process per tool repeating the import, median of ${WARM_RUNS} after ${WARM_UP} warm-ups.`);
  console.log('| set | size | first import: soapbridge | soap createClient | speedup | steady state: soapbridge | soap createClient | speedup | cached start: pass-through | speedup | cached start: whole model | speedup |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  try {
    for (const s of largest) {
      const entry = path.join(dir, s.set, s.entry);
      await importCompiled(entry, { remoteImports: 'skip', cacheDir }); // fills the cache for the `cached` rows
      const times: Record<Tool, number[]> = { soapbridge: [], soap: [], cached: [], 'cached-full': [] };
      let soapError: Error | undefined;
      for (let r = 0; r < ROUNDS; r++) {
        const order: Tool[] = r % 2 === 0 ? ['soapbridge', 'soap', 'cached', 'cached-full'] : ['cached-full', 'soap', 'cached', 'soapbridge'];
        for (const tool of order) {
          const t = await timeChild(tool, entry, cacheDir);
          if (t instanceof Error) {
            if (tool !== 'soap') throw new Error(`${s.set}: ${tool} failed: ${t.message}`);
            soapError = t;
          } else times[tool].push(...t);
        }
      }
      const warm = { soapbridge: await timeChild('soapbridge', entry, cacheDir, WARM_UP + WARM_RUNS), soap: await timeChild('soap', entry, cacheDir, WARM_UP + WARM_RUNS) };
      if (warm.soapbridge instanceof Error) throw new Error(`${s.set}: soapbridge failed: ${warm.soapbridge.message}`);
      const steady = (t: number[] | Error): number | undefined => (t instanceof Error ? undefined : median(t.slice(WARM_UP)));
      const ours = median(times.soapbridge);
      const theirs = times.soap.length > 0 ? median(times.soap) : undefined;
      const [oursWarm, theirsWarm] = [steady(warm.soapbridge), steady(warm.soap)];
      const ms = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(0)} ms`);
      const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? `n/a${soapError ? ` (soap failed: ${soapError.message})` : ''}` : `${(b / a).toFixed(1)}x`);
      console.log(`| ${s.set} | ${(s.bytes / 1024).toFixed(0)} KiB | ${ms(ours)} | ${ms(theirs)} | ${ratio(ours, theirs)} | ${ms(oursWarm)} | ${ms(theirsWarm)} | ${ratio(oursWarm, theirsWarm)} | ${ms(median(times.cached))} | ${ratio(median(times.cached), theirs)} | ${ms(median(times['cached-full']))} | ${ratio(median(times['cached-full']), theirs)} |`);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
