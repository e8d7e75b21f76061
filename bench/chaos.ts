import path from 'node:path';
import type { SpawnedChild } from './lib/children';
import { fmtMs, fmtRps, mark } from './lib/format';
import { measure, type LoadResult } from './lib/load';
import { PREFIX, httpLeaf, restApi } from './scenarios';
import { startBackend, startBridgeProcess, writeBridgeFiles, type RunContext } from './targets';

/**
 * Issue 5's chaos run: a loadbalance group (roundRobin) of 3 backends behind the bridge, each
 * member with `suspension: { initialMs: 1000 }`; constant GET load (idempotent, so the bridge may
 * re-send) for `durationS`; backend 2 is killed with SIGKILL at `killAtS` and restarted on the
 * same port at `restartAtS`. Prints requests, failures (non-2xx + socket errors, as wrk counts
 * them) and p99; target: 0 failed. Every process it starts is stopped before it returns.
 */
export interface ChaosOptions {
  readonly tmpDir: string;
  readonly serverCpus?: string;
  readonly loadCpus?: string;
  readonly connections: number;
  readonly durationS: number;
  readonly killAtS: number;
  readonly restartAtS: number;
}

export const CHAOS_DEFAULTS = { durationS: 10, killAtS: 3, restartAtS: 6 } as const;
const MEMBERS = 3;
const VICTIM = 1; // index: backend b2

async function servedBy(url: string): Promise<number | undefined> {
  try {
    const r = await fetch(`${url}/__stats`, { signal: AbortSignal.timeout(2000) });
    const j = (await r.json()) as { requests?: unknown };
    return typeof j.requests === 'number' ? j.requests : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runChaos(o: ChaosOptions): Promise<string> {
  const backends: { child: SpawnedChild; url: string }[] = [];
  let bridge: SpawnedChild | undefined;
  const events: string[] = [];
  try {
    for (let i = 0; i < MEMBERS; i++) backends.push(await startBackend(o.tmpDir, o.serverCpus, 'plain', 0, `chaos-b${i + 1}`));
    const urls = backends.map((b) => b.url);
    const api = restApi('bench', [{ path: '/items/{id}', methods: ['GET'] }], {
      type: 'loadbalance',
      algorithm: 'roundRobin',
      members: urls.map((u, i) => httpLeaf(u, { name: `b${i + 1}`, suspension: { initialMs: 1000 } })),
    });
    const file = writeBridgeFiles(path.join(o.tmpDir, 'bridge-chaos'), api, { level: 'warn', requests: false });
    const ctx: RunContext = { tmpDir: o.tmpDir, backendUrls: urls, backendModes: urls.map(() => 'plain'), ...(o.serverCpus ? { serverCpus: o.serverCpus } : {}) };
    const started = await startBridgeProcess(ctx, 'bridge-chaos', file);
    bridge = started.child;
    const req = { url: `${started.url}${PREFIX}/items/42`, method: 'GET' };
    const load = { connections: o.connections, cpus: o.loadCpus, tmpDir: o.tmpDir };
    await measure(req, { ...load, durationS: 1 }); // warm-up: pools open, JIT warm

    const before = await Promise.all(urls.map(servedBy));
    const t0 = Date.now();
    const run = measure(req, { ...load, durationS: o.durationS });
    const at = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    await sleep(o.killAtS * 1000 - (Date.now() - t0));
    const victimBefore = await servedBy(urls[VICTIM]!);
    await backends[VICTIM]!.child.killNow();
    events.push(`${at()}: kill -9 b2 (${urls[VICTIM]})`);
    await sleep(o.restartAtS * 1000 - (Date.now() - t0));
    const port = Number(new URL(urls[VICTIM]!).port);
    backends[VICTIM] = await startBackend(o.tmpDir, o.serverCpus, 'plain', port, 'chaos-b2-restarted');
    events.push(`${at()}: b2 listening again on port ${port}`);
    const r: LoadResult = await run;
    events.push(`${at()}: load ended`);
    const after = await Promise.all(urls.map(servedBy));
    const served = urls.map((_, i) => {
      const a = after[i];
      const b = i === VICTIM ? 0 : before[i];
      return a === undefined || b === undefined ? undefined : a - b;
    });
    const rejoined = (served[VICTIM] ?? 0) > 0;

    const out = [
      `### Chaos: loadbalance roundRobin over 3 backends (suspension initialMs 1000), b2 killed at ${o.killAtS} s and restarted at ${o.restartAtS} s`,
      '',
      `GET ${PREFIX}/items/42 (idempotent); ${o.connections} keep-alive connections; ${o.durationS} s of constant load; wrk counts failures as non-2xx answers + socket errors (connect/read/write/timeout)`,
      '',
      '| requests completed | failed | req/s | p50 | p99 |',
      '| ---: | ---: | ---: | ---: | ---: |',
      `| ${r.requests.toLocaleString('en-US')} | ${r.errors} | ${fmtRps(r.rps)} | ${fmtMs(r.p50Ms)} | ${fmtMs(r.p99Ms)} |`,
      '',
      `Timeline: ${events.join('; ')}.`,
      `Requests served during the load: b1 ${served[0] ?? '?'}, b2 ${victimBefore === undefined || before[VICTIM] === undefined ? '?' : victimBefore - before[VICTIM]} before the kill + ${served[VICTIM] ?? '?'} after its restart, b3 ${served[2] ?? '?'}.`,
      '',
      'Targets on "chaos" (issue 5):',
      '',
      '| target (issue 5) | measured | result |',
      '| --- | --- | --- |',
      `| 0 failed requests while a member is killed and restarted | ${r.errors} failed of ${r.requests.toLocaleString('en-US')} | ${mark(r.errors === 0)} |`,
      `| (info) the restarted member gets traffic again before the end (suspension probes 1, 2, 4 s after failures with the default progressionFactor 2) | ${served[VICTIM] ?? '?'} requests after the restart | ${rejoined ? 'yes' : 'no'} |`,
    ];
    return out.join('\n');
  } finally {
    await Promise.all([bridge?.stop(5000), ...backends.map((b) => b.child.stop())]);
  }
}
