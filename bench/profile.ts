import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { killAllNow } from './lib/children';
import { measure } from './lib/load';
import { analyse, callersOf, formatSummary } from './lib/cpuprofile';
import { SCENARIOS, type TargetId } from './scenarios';
import { BackendPool, TARGETS } from './targets';

/**
 * `node dist/bench/profile.js [--target bridge] [--scenario get-json] [--duration 10] [--dir /tmp/prof]`
 * Runs the target under `node --cpu-prof` while wrk loads it, stops it (the profile is written
 * on exit), and prints self time grouped by module. `node dist/bench/profile.js --analyse FILE`
 * only summarises an existing .cpuprofile; `--callers NAME` (repeatable) adds the heaviest caller
 * chains of a function (bottom-up), e.g. `--callers writeLatin1String`.
 */
const { values: opts } = parseArgs({
  options: {
    target: { type: 'string', default: 'bridge' },
    scenario: { type: 'string', default: 'get-json' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    dir: { type: 'string', default: '/tmp/prof' },
    analyse: { type: 'string' },
    top: { type: 'string', default: '25' },
    callers: { type: 'string', multiple: true },
  },
  strict: true,
});

async function main(): Promise<void> {
  if (opts.analyse) {
    console.log(formatSummary(analyse(opts.analyse), Number(opts.top)));
    for (const name of opts.callers ?? []) console.log('\n' + callersOf(opts.analyse, name));
    return;
  }
  const target = TARGETS[opts.target as TargetId];
  if (!target || opts.target === 'direct' || opts.target === 'nginx') throw new Error(`--target must be a node server: bridge, bridge-logs, bridge-noauth, fast-gateway, express+undici, node+undici, soap-client, express+fxp`);
  const scenario = SCENARIOS.find((s) => s.id === opts.scenario);
  if (!scenario) throw new Error(`unknown scenario ${opts.scenario}`);
  const profDir = path.resolve(opts.dir, `${opts.target.replace(/[^a-z0-9]+/gi, '-')}-${scenario.id}-${Date.now()}`);
  mkdirSync(profDir, { recursive: true });
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'soapbridge-prof-'));
  const cleanup = (): void => {
    killAllNow();
    rmSync(tmpDir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  process.once('SIGINT', () => process.exit(130));
  setTimeout(() => {
    process.stderr.write('profile: overall timeout, killing children\n');
    process.exit(2);
  }, (Number(opts.duration) + Number(opts.warmup) + 60) * 1000).unref();

  const servers = os.cpus().length >= 2 ? '1' : undefined;
  const pool = new BackendPool(tmpDir, servers);
  const modes = scenario.backends ?? ['plain'];
  const backends = await pool.get(modes);
  const started = await target.start(
    { tmpDir, backendUrls: backends.urls, backendModes: modes, ...(servers ? { serverCpus: servers } : {}), nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] },
    scenario,
  );
  const req = { url: started.url, method: scenario.method, body: scenario.body, headers: scenario.headers };
  const load = { connections: 32, cpus: servers ? '0' : undefined, tmpDir };
  await measure(req, { ...load, durationS: Number(opts.warmup) });
  const r = await measure(req, { ...load, durationS: Number(opts.duration) });
  await started.stop();
  await pool.stopAll();
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${profDir}`);
  const file = path.join(profDir, files.sort((a, b) => statSync(path.join(profDir, b)).mtimeMs - statSync(path.join(profDir, a)).mtimeMs)[0]!);
  console.log(`## CPU profile: ${target.label}, ${scenario.title}\n`);
  console.log(`Under load (profiler on): ${Math.round(r.rps)} req/s, p99 ${r.p99Ms.toFixed(2)} ms. Profile: ${file}\n`);
  console.log(formatSummary(analyse(file), Number(opts.top)));
  for (const name of opts.callers ?? []) console.log('\n' + callersOf(file, name));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`profile failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
