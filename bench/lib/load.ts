import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One load-generator measurement. Latencies in milliseconds. */
export interface LoadResult {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Socket errors plus non-2xx/3xx responses: a run with errors is not a valid number. */
  readonly errors: number;
}

export interface LoadRequest {
  readonly url: string;
  readonly method: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationS: number;
  /** CPU list for `taskset -c` of the load generator. */
  readonly cpus?: string;
  /** Directory for generated wrk scripts. */
  readonly tmpDir: string;
}

export const WRK = '/usr/bin/wrk';

export function loadGenerator(): 'wrk' | 'autocannon' {
  return existsSync(WRK) ? 'wrk' : 'autocannon';
}

export async function measure(req: LoadRequest, opts: LoadOptions): Promise<LoadResult> {
  return loadGenerator() === 'wrk' ? runWrk(req, opts) : runAutocannon(req, opts);
}

function luaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** A wrk Lua script setting method, headers and body (GET with no headers needs none). */
export function wrkScript(req: LoadRequest): string | undefined {
  if (req.method === 'GET' && !req.body && !req.headers) return undefined;
  const lines = [`wrk.method = ${luaString(req.method)}`];
  for (const [k, v] of Object.entries(req.headers ?? {})) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (req.body !== undefined) lines.push(`wrk.body = ${luaString(req.body)}`);
  return lines.join('\n') + '\n';
}

async function runWrk(req: LoadRequest, opts: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.durationS}s`, '--latency', '--timeout', '5s'];
  const script = wrkScript(req);
  if (script) {
    const file = path.join(opts.tmpDir, `wrk-${req.method.toLowerCase()}-${Date.now()}.lua`);
    writeFileSync(file, script);
    args.push('-s', file);
  }
  args.push(req.url);
  const out = await run(WRK, args, opts.cpus, (opts.durationS + 30) * 1000);
  return parseWrk(out);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(value: string, unit: string): number {
  const f = UNIT_MS[unit];
  if (f === undefined) throw new Error(`unknown wrk latency unit ${unit}`);
  return Number(value) * f;
}

/** Parses `wrk --latency` output (Requests/sec, Latency Distribution 50%/99%, errors). */
export function parseWrk(out: string): LoadResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  const total = /(\d+) requests in/.exec(out);
  if (!rps || !p50 || !p99 || !total) throw new Error(`cannot parse wrk output:\n${out}`);
  let errors = 0;
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  if (sock) errors += Number(sock[1]) + Number(sock[2]) + Number(sock[3]) + Number(sock[4]);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (non2xx) errors += Number(non2xx[1]);
  return { rps: Number(rps[1]), p50Ms: toMs(p50[1]!, p50[2]!), p99Ms: toMs(p99[1]!, p99[2]!), requests: Number(total[1]), errors };
}

async function runAutocannon(req: LoadRequest, opts: LoadOptions): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [bin, '-j', '-c', String(opts.connections), '-d', String(opts.durationS), '-m', req.method];
  for (const [k, v] of Object.entries(req.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (req.body !== undefined) args.push('-b', req.body);
  args.push(req.url);
  const out = await run(process.execPath, args, opts.cpus, (opts.durationS + 30) * 1000);
  const j = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { rps: j.requests.average, p50Ms: j.latency.p50, p99Ms: j.latency.p99, requests: j.requests.total, errors: j.errors + j.non2xx };
}

function run(cmd: string, args: readonly string[], cpus: string | undefined, timeoutMs: number): Promise<string> {
  const [c, a] = cpus !== undefined ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, [...args]];
  return new Promise((resolve, reject) => {
    execFile(c, a, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
