/**
 * `npm run corpus [DIR]`: imports every set of the WSDL conformance corpus (default
 * ../shared/wsdl-corpus) and prints one row per set. Each set runs in its own child process
 * (corpus-child.ts) with a timeout and a heap cap, so a crash, OOM or hang is a FAIL row, not
 * the end of the run. Exit status 1 when a well-formed set fails, a broken set is accepted, or
 * any set crashes or times out.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runBenchmark } from './corpus-bench';
import { runFacadeCorpus } from './corpus-facade';
import type { ChildResult } from './corpus-child';
import { expectationOf, parseManifest, type ManifestRow } from './corpus-manifest';

const TIMEOUT_MS = 30_000;
const CONCURRENCY = 2;

interface Row {
  set: ManifestRow;
  outcome: ChildResult | (Omit<ChildResult, 'result'> & { result: 'FAIL'; reason: string });
  verdict: 'pass' | 'FAIL';
  note: string;
}

function runChild(entry: string): Promise<Row['outcome']> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--max-old-space-size=768', path.join(__dirname, 'corpus-child.js'), entry], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) {
        resolve(JSON.parse(line) as ChildResult);
        return;
      }
      const why = signal === 'SIGKILL' && ms >= TIMEOUT_MS ? `timed out after ${TIMEOUT_MS} ms` : `crashed (${signal ?? `exit ${code}`}): ${err.trim().split('\n')[0] ?? ''}`;
      resolve({ result: 'FAIL', reason: why, ms, peakMB: 0 });
    });
  });
}

async function main(): Promise<void> {
  const dir = path.resolve(process.cwd(), process.argv[2] ?? '../shared/wsdl-corpus');
  const sets = parseManifest(readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8'));
  const rows: Row[] = new Array<Row>(sets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sets.length) {
      const i = next++;
      const set = sets[i] as ManifestRow;
      const outcome = await runChild(path.join(dir, set.set, set.entry));
      rows[i] = judge(set, outcome);
      process.stderr.write('.');
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  process.stderr.write('\n');
  printTable(rows);
  const fails = rows.filter((r) => r.verdict === 'FAIL');
  const count = (k: string): number => rows.filter((r) => r.outcome.result === k).length;
  const slowest = [...rows].sort((a, b) => b.outcome.ms - a.outcome.ms)[0];
  const peak = [...rows].sort((a, b) => b.outcome.peakMB - a.outcome.peakMB)[0];
  console.log(`\n${rows.length} sets: ${count('ok')} ok, ${count('refused')} refused, ${count('FAIL')} crashed/timed out; ${fails.length} verdict failures; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (slowest && peak) console.log(`slowest: ${slowest.set.set} ${slowest.outcome.ms.toFixed(0)} ms; peak memory: ${peak.set.set} ${peak.outcome.peakMB.toFixed(0)} MB`);
  for (const f of fails) console.log(`FAIL ${f.set.set}: ${f.note}`);
  if (!process.env.CORPUS_NO_BENCH) await runBenchmark(dir, sets).catch((e: unknown) => console.log(`benchmark skipped: ${e instanceof Error ? e.message : String(e)}`));
  // Issue 4: every operation's JSON -> XML (xmllint-validated) -> JSON round trip; fails when an
  // operation listed in scripts/facade-passing.json regresses.
  const facade = await runFacadeCorpus(dir);
  console.log(`\n## REST facade conformance\n\n${facade.table}`);
  process.exitCode = fails.length > 0 || !facade.ok ? 1 : 0;
}

function judge(set: ManifestRow, outcome: Row['outcome']): Row {
  const expected = expectationOf(set);
  if (outcome.result === 'FAIL') return { set, outcome, verdict: 'FAIL', note: outcome.reason ?? 'crashed' };
  if (expected === 'refuse' && outcome.result === 'ok') return { set, outcome, verdict: 'FAIL', note: 'broken set was accepted' };
  if (expected === 'ok' && outcome.result === 'refused') return { set, outcome, verdict: 'FAIL', note: `well-formed set refused: ${outcome.reason ?? ''}` };
  return { set, outcome, verdict: 'pass', note: '' };
}

function printTable(rows: Row[]): void {
  const header = ['set', 'result', 'svc', 'ports', 'ops', 'unsup', 'ms', 'peak MB'];
  const lines = rows.map((r) => {
    const o = r.outcome;
    const result = o.result === 'ok' ? `ok${o.skippedRemote ? ` (${o.skippedRemote} remote skipped)` : ''}` : `${o.result}: ${(o.reason ?? '').slice(0, 110)}`;
    const n = (v: number | undefined): string => (v === undefined ? '-' : String(v));
    return [`${r.verdict === 'FAIL' ? '!' : ' '}${r.set.set}`, result, n(o.services), n(o.ports), n(o.operations), n(o.unsupported), o.ms.toFixed(0), o.peakMB.toFixed(0)];
  });
  const widths = header.map((h, c) => Math.min(c === 1 ? 120 : 40, Math.max(h.length, ...lines.map((l) => (l[c] ?? '').length))));
  const fmt = (cells: string[]): string => cells.map((c, k) => (k >= 2 ? c.padStart(widths[k] ?? 0) : c.padEnd(widths[k] ?? 0))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
