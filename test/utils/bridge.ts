import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import pino from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load';
import { startBridge, type RunningBridge } from '../../src/main';

/** soapbridge.yaml defaults for tests: loopback listeners on port 0, no demo, quiet logs. */
export function serverYaml(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server: { http: { host: '127.0.0.1', port: 0 }, shutdownGraceMs: 5000 },
    admin: { host: '127.0.0.1', port: 0 },
    apis: 'apis',
    logging: { level: 'silent' },
    ...overrides,
  };
}

/**
 * A REST API file pointing at `url` with a catch-all resource for the usual methods;
 * `endpoint` adds keys to the production endpoint (timeout, suspension...).
 */
export function restApi(name: string, url: string, endpoint: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    context: `/${name}`,
    version: 'v1',
    resources: [{ path: '/*', methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }],
    endpoints: { production: { type: 'http', url, ...endpoint } },
  };
}

/**
 * Writes a config folder (soapbridge.yaml + apis/<name>.yaml) to a fresh temp dir. Values may be
 * objects (serialised as YAML) or raw YAML text. Returns the path of soapbridge.yaml.
 */
export function writeConfigDir(server: Record<string, unknown> | string, apis: Record<string, Record<string, unknown> | string>, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-test-'));
  mkdirSync(path.join(dir, 'apis'));
  const text = (v: Record<string, unknown> | string): string => (typeof v === 'string' ? v : stringify(v));
  writeFileSync(path.join(dir, 'soapbridge.yaml'), text(server));
  for (const [name, api] of Object.entries(apis)) writeFileSync(path.join(dir, 'apis', `${name}.yaml`), text(api));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return path.join(dir, 'soapbridge.yaml');
}

export function removeConfigDir(configFile: string): void {
  rmSync(path.dirname(configFile), { recursive: true, force: true });
}

export interface TestBridge {
  readonly bridge: RunningBridge;
  /** http://127.0.0.1:<port> of the API listener. */
  readonly url: string;
  readonly adminUrl: string;
  close(): Promise<void>;
}

/**
 * Starts an in-process bridge on a temp config. `yaml` overrides top-level keys of
 * soapbridge.yaml (see serverYaml); `logTo` captures pino JSON lines.
 */
export async function startTestBridge(
  apis: Record<string, Record<string, unknown> | string>,
  opts: { yaml?: Record<string, unknown>; logTo?: Writable; env?: NodeJS.ProcessEnv } = {},
): Promise<TestBridge> {
  const file = writeConfigDir(serverYaml(opts.yaml), apis);
  const config = loadConfig(file, opts.env ?? {});
  const log = opts.logTo ? pino({ level: 'info' }, opts.logTo) : pino({ level: 'silent' });
  const bridge = await startBridge(config, { log, defaultMetrics: false });
  return {
    bridge,
    url: bridge.urls.http!,
    adminUrl: bridge.urls.admin!,
    async close() {
      await bridge.close();
      removeConfigDir(file);
    },
  };
}

export interface ChildBridge {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly pid: number;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stderr(): string;
  kill(): void;
}

const LAUNCHER = path.join(__dirname, 'child-bridge.js');

/**
 * Runs `soapbridge start --config <file>` in a child process (sources transpiled on the fly by
 * child-bridge.js) and resolves once its "soapbridge started" log line gives the listener URL.
 * The config's logging level must be info or lower.
 */
export function spawnChildBridge(configFile: string): Promise<ChildBridge> {
  const proc = spawn(process.execPath, [LAUNCHER, 'start', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise<ChildBridge>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer): void => {
      out += c.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('soapbridge started')) continue;
        const { http } = JSON.parse(line) as { http: string };
        proc.stdout!.off('data', onData);
        proc.stdout!.resume();
        resolve({ proc, url: http, pid: proc.pid!, exited, stderr: () => err, kill: () => void proc.kill('SIGKILL') });
        return;
      }
    };
    proc.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`bridge exited (${code}) before starting:\n${err}\n${out}`)));
  });
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}
