import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import net from 'node:net';

/**
 * Every process the bench starts goes through here, so one `killAll()` (end of run, error,
 * SIGINT, overall timeout) ends all of them. Each child leads its own process group, so nginx's
 * workers and anything a child forks die with it.
 */
const live = new Set<ChildProcess>();

export interface SpawnedChild {
  readonly proc: ChildProcess;
  /** Resolves when the child exits (never rejects). */
  readonly exited: Promise<number | null>;
  /** SIGTERM the group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** `kill -9` the group at once (the chaos run) and wait for the exit. */
  killNow(): Promise<void>;
}

export interface StartOptions {
  /** CPU list for `taskset -c`, or undefined for no pinning. */
  readonly cpus?: string;
  /** File that receives the child's stdout and stderr (so a chatty child never blocks on a pipe). */
  readonly logFile: string;
  /** Open an IPC channel (node children report their URL with `process.send`). */
  readonly ipc?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export function startChild(command: string, args: readonly string[], opts: StartOptions): SpawnedChild {
  const fd = openSync(opts.logFile, 'a');
  const stdio: SpawnOptions['stdio'] = opts.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd];
  // taskset execs the command: same pid, so the IPC channel and the process group carry over.
  const [cmd, argv] = opts.cpus !== undefined ? ['taskset', ['-c', opts.cpus, command, ...args]] : [command, [...args]];
  const proc = spawn(cmd, argv, { stdio, detached: true, env: opts.env ?? process.env });
  closeSync(fd);
  live.add(proc);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    });
    proc.once('error', () => {
      live.delete(proc);
      resolve(null);
    });
  });
  return {
    proc,
    exited,
    async stop(graceMs = 3000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      signalGroup(proc, 'SIGTERM');
      const t = setTimeout(() => signalGroup(proc, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
      // A worker of the group could outlive its leader (nginx); make sure the group is gone.
      signalGroup(proc, 'SIGKILL');
    },
    async killNow() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      signalGroup(proc, 'SIGKILL');
      await exited;
    },
  };
}

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // group already gone
  }
}

/** Last-resort, synchronous: used from exit and signal handlers. */
export function killAllNow(): void {
  for (const p of live) signalGroup(p, 'SIGKILL');
  live.clear();
}

/** Waits for the first IPC message `{ url }` from a node child. */
export function waitForUrl(child: SpawnedChild, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not report ready within ${timeoutMs} ms`)), timeoutMs);
    child.proc.once('message', (m: unknown) => {
      clearTimeout(t);
      if (typeof m === 'object' && m !== null && 'url' in m && typeof m.url === 'string') resolve(m.url);
      else reject(new Error(`${what} sent an unexpected message: ${JSON.stringify(m)}`));
    });
    void child.exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`${what} exited (code ${code}) before it was ready`));
    });
  });
}

/** Polls a TCP port until it accepts connections (for non-node servers such as nginx). */
export async function waitForPort(port: number, timeoutMs: number, what: string, child?: SpawnedChild): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void child?.exited.then(() => (dead = true));
  for (;;) {
    if (dead) throw new Error(`${what} exited before it listened on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free loopback port (listen on 0, close). Racy in theory, fine for a bench. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
