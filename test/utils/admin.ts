import http from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load';
import { startBridge, type RunningBridge } from '../../src/main';
import { serverYaml } from './bridge';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/**
 * A config laid out like the repo's: `<root>/config/soapbridge.yaml`, `<root>/config/apis/`,
 * and `<root>/wsdl/` where imports put their bundles (import writes to `wsdl/` beside the
 * config folder, so the whole tree must live in one temp root).
 */
export interface ConfigTree {
  readonly root: string;
  readonly configFile: string;
  readonly apisDir: string;
  apiFile(name: string): string;
  writeApi(name: string, api: Record<string, unknown> | string): void;
  remove(): void;
}

export function writeConfigTree(server: Record<string, unknown>, apis: Record<string, Record<string, unknown> | string>): ConfigTree {
  const root = mkdtempSync(path.join(tmpdir(), 'soapbridge-admin-'));
  const configDir = path.join(root, 'config');
  const apisDir = path.join(configDir, 'apis');
  mkdirSync(apisDir, { recursive: true });
  writeFileSync(path.join(configDir, 'soapbridge.yaml'), stringify(server));
  const tree: ConfigTree = {
    root,
    configFile: path.join(configDir, 'soapbridge.yaml'),
    apisDir,
    apiFile: (name) => path.join(apisDir, `${name}.yaml`),
    writeApi: (name, api) => writeFileSync(tree.apiFile(name), typeof api === 'string' ? api : stringify(api)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [name, api] of Object.entries(apis)) tree.writeApi(name, api);
  return tree;
}

/** soapbridge.yaml for tests with the admin token set (`token: null` leaves it out). */
export function adminYaml(opts: { token?: string | null; level?: string } = {}): Record<string, unknown> {
  const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
  return serverYaml({
    admin: { host: '127.0.0.1', port: 0, ...(token === null ? {} : { token }) },
    logging: { level: opts.level ?? 'silent' },
  });
}

export type LogLine = Record<string, unknown>;

/** A pino logger whose JSON lines land in `lines` (nothing is printed). */
export function capturedLog(): { log: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      cb();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

export interface AdminBridge {
  readonly bridge: RunningBridge;
  readonly tree: ConfigTree;
  readonly url: string;
  readonly adminUrl: string;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

/** An in-process bridge on a ConfigTree, logs captured, optionally watching the files. */
export async function startAdminBridge(
  apis: Record<string, Record<string, unknown> | string>,
  opts: { token?: string | null; watch?: boolean } = {},
): Promise<AdminBridge> {
  const tree = writeConfigTree(adminYaml({ token: opts.token }), apis);
  const { log, lines } = capturedLog();
  const bridge = await startBridge(loadConfig(tree.configFile, {}), { log, defaultMetrics: false, watch: opts.watch ?? false });
  return {
    bridge,
    tree,
    url: bridge.urls.http!,
    adminUrl: bridge.urls.admin!,
    logs: lines,
    async close() {
      await bridge.close();
      tree.remove();
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * One HTTP exchange on a fresh connection (`agent: false`): under `--workers` every request is
 * a new connection the cluster primary hands to some worker, and a kill never leaves a pooled
 * socket behind to fail the next test.
 */
export function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false, timeout: opts.timeoutMs ?? 10000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs ?? 10000} ms`)));
    req.end(opts.body);
  });
}

/** A call to the admin API with the test token (override with `token`, or `null` for none). */
export function adminCall(adminUrl: string, method: string, p: string, body?: unknown, opts: { token?: string | null; contentType?: string } = {}): Promise<Reply> {
  const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  let payload: string | Buffer | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    headers['content-type'] = opts.contentType ?? 'application/json';
  }
  return send(`${adminUrl}${p}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
}

/** The sha256 an API file stores for a consumer key. */
export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Polls `check` every 25 ms until it returns a value other than undefined; throws after `ms`. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface CliProcess {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** JSON log lines from stdout so far. */
  readonly lines: LogLine[];
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LAUNCHER = path.join(__dirname, 'child-bridge.js');

/**
 * `soapbridge start --config <file> ...args` in a child process (see child-bridge.js); the
 * config's logging level must be info so the "soapbridge started" lines (with their URLs and
 * the worker's pid) are printed. Resolves once `started` of them have been seen.
 */
export async function spawnCli(configFile: string, args: string[] = [], started = 1): Promise<CliProcess> {
  const proc = spawn(process.execPath, [LAUNCHER, 'start', '--config', configFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const l of parts) if (l.startsWith('{')) lines.push(JSON.parse(l) as LogLine);
  });
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const cli: CliProcess = { proc, pid: proc.pid!, lines, stderr: () => err, exited };
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(`${started} "soapbridge started" line(s)`, () => {
    if (gone) throw new Error(`soapbridge exited before starting:\n${err}`);
    return startedLines(cli).length >= started ? true : undefined;
  }, 20000);
  return cli;
}

/** The "soapbridge started" lines, one per (worker) process, with its listener URLs. */
export function startedLines(cli: CliProcess): { http: string; admin?: string }[] {
  return cli.lines.filter((l) => l['msg'] === 'soapbridge started') as unknown as { http: string; admin?: string }[];
}

/** Backend handler answering with its own name, so a test sees which backend served. */
export function answering(name: string): http.RequestListener {
  return (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(name);
    });
  };
}

/**
 * Which of `pids` holds the server side of the TCP connection 127.0.0.1:`serverPort` <-
 * 127.0.0.1:`clientPort` (Linux /proc: the connection's inode in /proc/net/tcp, then the
 * process with an fd on that socket). Tells cluster workers apart without any help from them.
 */
export function socketOwner(serverPort: number, clientPort: number, pids: readonly number[]): number | undefined {
  const hex = (p: number): string => p.toString(16).toUpperCase().padStart(4, '0');
  const row = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1] === `0100007F:${hex(serverPort)}` && f[2] === `0100007F:${hex(clientPort)}`);
  const inode = row?.[9];
  if (!inode || inode === '0') return undefined;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/**
 * A GET on its own keep-alive connection, kept open until the worker that answered it has been
 * found among `pids` (see socketOwner), then closed.
 */
export async function askWorker(url: string, pids: readonly number[]): Promise<{ status: number; text: string; pid: number | undefined }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await new Promise((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          const clientPort = res.socket.localPort!;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const pid = socketOwner(Number(new URL(url).port), clientPort, pids);
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), pid });
          });
        })
        .on('error', reject);
    });
  } finally {
    agent.destroy();
  }
}

/** Child processes of `pid` (Linux /proc/<pid>/task/<tid>/children): a cluster primary's workers. */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}
