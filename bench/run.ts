import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHAOS_DEFAULTS, runChaos } from './chaos';
import { killAllNow } from './lib/children';
import { groupCpuMs } from './lib/cpu';
import { fmtMs, fmtRatio, fmtRps, mark } from './lib/format';
import { loadGenerator, measure, WRK, type LoadRequest, type LoadResult } from './lib/load';
import { SCENARIOS, type Scenario, type TargetId } from './scenarios';
import { BackendPool, NGINX, TARGETS, type RunContext, type Started } from './targets';

/**
 * `npm run bench`: one backend (own process), then per scenario every target started in its own
 * process side by side, warmed up, and measured with wrk (autocannon when wrk is missing) in
 * interleaved rounds; load generator and servers pinned to separate cores. Prints one Markdown
 * table per scenario and the issue's targets.
 *
 * Options: --warmup S (2) --duration S per round (3) --rounds N (3) --connections N (32)
 *          --scenario ID|GROUP,... (groups: core, issue4, issue5, issue6; `chaos` is issue 5's
 *          kill-and-restart run) --target ID,...
 */

interface Row {
  readonly target: TargetId;
  readonly label: string;
  readonly result?: LoadResult;
  /** Lowest and highest req/s over the rounds. */
  readonly spread?: readonly [number, number];
  /** Median CPU time (user + system) of the server process group per request, µs. */
  readonly cpuUs?: number;
  /** The same for the scenario's backends together. */
  readonly backendCpuUs?: number;
  readonly skipped?: string;
}

const { values: opts } = parseArgs({
  options: {
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    scenario: { type: 'string' },
    target: { type: 'string' },
  },
  strict: true,
});
const WARMUP_S = Number(opts.warmup);
const DURATION_S = Number(opts.duration);
const ROUNDS = Math.max(1, Number(opts.rounds));
const CONNECTIONS = Number(opts.connections);
const onlyScenarios = opts.scenario?.split(',');
const onlyTargets = opts.target?.split(',');
const CHAOS_GROUP = 'issue5';
const runChaosToo = !onlyScenarios || onlyScenarios.includes('chaos') || onlyScenarios.includes(CHAOS_GROUP);
{
  const known = new Set(['chaos', ...SCENARIOS.flatMap((s) => [s.id, s.group])]);
  const unknown = (onlyScenarios ?? []).filter((x) => !known.has(x));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown --scenario ${unknown.join(', ')} (known: ${[...known].join(', ')})\n`);
    process.exit(2);
  }
}

const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'soapbridge-bench-'));
let cleaned = false;
function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  killAllNow();
  rmSync(tmpDir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    process.stderr.write(`\nbench: ${sig}, stopping children\n`);
    cleanup();
    process.exit(130);
  });
}

/** Load generator on CPU 0, every server on CPU 1 (the machine this was written for has 2). */
function pinning(): { load?: string; servers?: string; text: string } {
  const n = os.cpus().length;
  let taskset = false;
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    taskset = true;
  } catch {
    // no taskset
  }
  if (!taskset) return { text: 'none (taskset not available)' };
  if (n < 2) return { text: `none (${n} CPU)` };
  return { load: '0', servers: `1`, text: `taskset: load generator on CPU 0, backends + server under test on CPU 1 (of ${n})` };
}

/** First line a tool prints about its version (wrk exits 1 on --version, nginx -v writes stderr). */
function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]!.trim() || 'unknown';
}


const fmtUs = (n: number | undefined): string => (n === undefined ? '–' : `${n.toFixed(0)} µs`);
const median = (xs: readonly number[]): number | undefined => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length > 0 ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};
const sumCpuMs = (pgids: readonly number[]): number | undefined => {
  let total = 0;
  for (const g of pgids) {
    const ms = groupCpuMs(g);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
};

function table(s: Scenario, rows: readonly Row[]): string {
  const direct = rows.find((r) => r.target === 'direct')?.result;
  const nginx = rows.find((r) => r.target === 'nginx')?.result;
  // The × columns only where the scenario has their base.
  const bases = [...(s.targets.includes('direct') ? [{ name: 'direct', r: direct }] : []), ...(s.targets.includes('nginx') ? [{ name: 'nginx', r: nginx }] : [])];
  const out = [
    `### ${s.title}`,
    '',
    `${s.method} ${s.path}${s.body ? `, body ${Buffer.byteLength(s.body)} B` : ''}; ${CONNECTIONS} keep-alive connections; median of ${ROUNDS} rounds of ${DURATION_S} s`,
    '',
    `| scenario | req/s | p50 | p99 | ${bases.map((b) => `× ${b.name} | `).join('')}req/s min–max | server CPU/req | backend CPU/req | errors |`,
    `| --- | ---: | ---: | ---: | ${bases.map(() => '---: | ').join('')}---: | ---: | ---: | ---: |`,
  ];
  for (const r of rows) {
    if (!r.result) {
      out.push(`| ${r.label} | skipped: ${r.skipped ?? '?'} | | | ${bases.map(() => ' | ').join('')}| | | |`);
      continue;
    }
    const x = r.result;
    out.push(
      `| ${r.label} | ${fmtRps(x.rps)} | ${fmtMs(x.p50Ms)} | ${fmtMs(x.p99Ms)} | ${bases.map((b) => `${fmtRatio(b.r && x.rps / b.r.rps)} | `).join('')}${r.spread ? `${fmtRps(r.spread[0])}–${fmtRps(r.spread[1])}` : ''} | ${fmtUs(r.cpuUs)} | ${fmtUs(r.backendCpuUs)} | ${x.errors} |`,
    );
  }
  return out.join('\n');
}

function targetChecks(s: Scenario, rows: readonly Row[]): string | undefined {
  if (!s.checks) return undefined;
  const get = (id: TargetId): LoadResult | undefined => rows.find((r) => r.target === id)?.result;
  const lines = [`Targets on "${s.id}" (${s.checks.title}):`, '', `| target (${s.checks.title}) | measured | result |`, '| --- | --- | --- |'];
  for (const c of s.checks.run(get)) lines.push(`| ${c.label} | ${c.measured} | ${mark(c.ok)} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const pin = pinning();
  const scenarios = SCENARIOS.filter((s) => !onlyScenarios || onlyScenarios.includes(s.id) || onlyScenarios.includes(s.group));
  const runs = scenarios.reduce((n, s) => n + s.targets.filter((t) => !onlyTargets || onlyTargets.includes(t)).length, 0);
  const perTargetS = WARMUP_S + ROUNDS * DURATION_S;
  // Never hang: the whole run gets its expected time plus a margin, then everything is killed.
  const chaosS = runChaosToo ? CHAOS_DEFAULTS.durationS + 20 : 0;
  const budgetMs = (runs * (perTargetS + 2 * ROUNDS + 6) + chaosS) * 1000 + 60_000;
  setTimeout(() => {
    process.stderr.write(`bench: overall timeout (${Math.round(budgetMs / 1000)} s) exceeded, killing children\n`);
    cleanup();
    process.exit(2);
  }, budgetMs).unref();

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const [load1] = os.loadavg();
  console.log('## soapbridge bench\n');
  console.log(`- machine: ${os.cpus().length} CPUs (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; load average at start ${load1!.toFixed(2)}`);
  console.log(`- node ${process.version}; load generator: ${loadGenerator() === 'wrk' ? `${version(WRK, ['--version'])} (-t1)` : 'autocannon (wrk not found)'}`);
  console.log(`- nginx: ${TARGETS.nginx.unavailable() ?? version(NGINX, ['-v'])}`);
  console.log(`- pinning: ${pin.text}`);
  console.log(
    `- method: per scenario all targets run side by side; each is warmed up ${WARMUP_S} s, then measured in ${ROUNDS} interleaved rounds of ${DURATION_S} s ` +
      `(round-robin over the targets, so a burst of other load on the machine hits every target alike); the table shows the round with the median req/s and the min–max over rounds; ` +
      `"server CPU/req" is the user+system CPU time of the server's process group (backend excluded) per request, the figure least disturbed by other load; ` +
      `"backend CPU/req" the same for the scenario's backends together (2 in "loadbalance", Digest verification in "digest")`,
  );
  console.log(`- ${runs} targets${runChaosToo ? ' + the chaos run' : ''}, about ${Math.round((runs * (perTargetS + 1.5) + (runChaosToo ? CHAOS_DEFAULTS.durationS + 5 : 0)) / 60)} min\n`);
  if (load1! > 0.5) console.log(`> warning: load average ${load1!.toFixed(2)} before the bench: other processes share the CPUs, numbers will be noisy\n`);

  const pool = new BackendPool(tmpDir, pin.servers);
  const load = { connections: CONNECTIONS, cpus: pin.load, tmpDir };
  const tables: string[] = [];
  for (const s of scenarios) {
    const modes = s.backends ?? ['plain'];
    const backends = await pool.get(modes);
    const ctx: RunContext = { tmpDir, backendUrls: backends.urls, backendModes: modes, ...(backends.pgid !== undefined ? { backendPgid: backends.pgid } : {}), ...(pin.servers ? { serverCpus: pin.servers } : {}) };
    const slots: { id: TargetId; label: string; started?: Started; rounds: LoadResult[]; cpuUs: number[]; backendCpuUs: number[]; skipped?: string }[] = [];
    try {
      for (const id of s.targets) {
        if (onlyTargets && !onlyTargets.includes(id)) continue;
        const target = TARGETS[id];
        const why = target.unavailable();
        const slot: (typeof slots)[number] = { id, label: s.labels?.[id] ?? target.label, rounds: [], cpuUs: [], backendCpuUs: [], ...(why ? { skipped: why } : {}) };
        slots.push(slot);
        if (why) {
          process.stderr.write(`  ${s.id} / ${id}: skipped (${why})\n`);
          continue;
        }
        try {
          slot.started = await target.start(ctx, s);
          if (WARMUP_S > 0) await measure(request(s, slot.started), { ...load, durationS: WARMUP_S });
        } catch (e) {
          slot.skipped = `failed: ${firstLine(e)}`;
          process.stderr.write(`  ${s.id} / ${id}: FAILED ${firstLine(e)}\n`);
        }
      }
      for (let round = 1; round <= ROUNDS; round++) {
        for (const slot of slots) {
          if (!slot.started || slot.skipped) continue;
          try {
            const pgid = slot.started.pgid;
            const cpu0 = pgid === undefined ? undefined : groupCpuMs(pgid);
            const back0 = sumCpuMs(backends.pgids);
            const r = await measure(request(s, slot.started), { ...load, durationS: DURATION_S });
            const cpu1 = pgid === undefined ? undefined : groupCpuMs(pgid);
            const back1 = sumCpuMs(backends.pgids);
            slot.rounds.push(r);
            if (cpu0 !== undefined && cpu1 !== undefined && r.requests > 0) slot.cpuUs.push(((cpu1 - cpu0) * 1000) / r.requests);
            if (back0 !== undefined && back1 !== undefined && r.requests > 0) slot.backendCpuUs.push(((back1 - back0) * 1000) / r.requests);
            process.stderr.write(`  ${s.id} / ${slot.id} round ${round}: ${fmtRps(r.rps)} req/s, p99 ${fmtMs(r.p99Ms)}${r.errors ? `, ${r.errors} ERRORS` : ''}\n`);
          } catch (e) {
            slot.skipped = `failed: ${firstLine(e)}`;
            process.stderr.write(`  ${s.id} / ${slot.id}: FAILED ${firstLine(e)}\n`);
          }
        }
      }
    } finally {
      await Promise.all(slots.map((x) => x.started?.stop()));
    }
    const rows: Row[] = slots.map((x) => {
      if (x.skipped || x.rounds.length === 0) return { target: x.id, label: x.label, skipped: x.skipped ?? 'no result' };
      const sorted = [...x.rounds].sort((a, b) => a.rps - b.rps);
      const cpu = median(x.cpuUs);
      const backendCpu = median(x.backendCpuUs);
      return {
        target: x.id,
        label: x.label,
        result: sorted[Math.floor((sorted.length - 1) / 2)]!,
        spread: [sorted[0]!.rps, sorted[sorted.length - 1]!.rps] as const,
        ...(cpu !== undefined ? { cpuUs: cpu } : {}),
        ...(backendCpu !== undefined ? { backendCpuUs: backendCpu } : {}),
      };
    });
    tables.push(table(s, rows));
    const checks = targetChecks(s, rows);
    if (checks) tables.push(checks);
  }
  await pool.stopAll();
  if (runChaosToo) {
    process.stderr.write(`  chaos: ${CHAOS_DEFAULTS.durationS} s of load, kill -9 at ${CHAOS_DEFAULTS.killAtS} s, restart at ${CHAOS_DEFAULTS.restartAtS} s\n`);
    try {
      tables.push(await runChaos({ tmpDir, ...(pin.servers ? { serverCpus: pin.servers } : {}), ...(pin.load ? { loadCpus: pin.load } : {}), connections: CONNECTIONS, ...CHAOS_DEFAULTS }));
    } catch (e) {
      tables.push(`### Chaos\n\nFAILED: ${firstLine(e)}`);
      process.stderr.write(`  chaos: FAILED ${firstLine(e)}\n`);
    }
  }
  console.log(`\n${tables.join('\n\n')}`);
  console.log(`\nload average at the end: ${os.loadavg()[0]!.toFixed(2)}`);
}

function request(s: Scenario, started: Started): LoadRequest {
  return { url: started.url, method: s.method, body: s.body, headers: s.headers };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    cleanup();
    process.exit(1);
  },
);
