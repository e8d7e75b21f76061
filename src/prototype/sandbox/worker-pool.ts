import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { moduleEntry, startModuleWorker } from '../../threads/module-worker';
import type { ScriptInput, ScriptLimits, ScriptOutcome } from './run-script';
import type { ScriptJob, ScriptReply } from './script-worker';

/**
 * Runs prototype scripts on worker threads.
 *
 * QuickJS stops a runaway script through its interrupt handler, but the handler is only polled
 * between bytecodes: one long native call (`new Array(1e6).fill(1)` near the memory limit spends
 * seconds inside the allocator and never returns to the interpreter) would block whatever thread
 * runs it. So scripts never run on the event loop: each job goes to a worker, and a worker that
 * has not answered by `timeoutMs + hardKillGraceMs` is terminated (V8 can stop WebAssembly at any
 * point) and replaced. The interrupt handler still ends ordinary endless loops at `timeoutMs`
 * without losing the worker.
 */
export interface PoolOptions {
  /** Worker threads; default min(4, max(2, cores / 2)). */
  readonly size?: number;
  /** Extra time after `timeoutMs` before a silent worker is killed; default 250 ms. */
  readonly hardKillGraceMs?: number;
}

export interface PoolResult {
  readonly outcome: ScriptOutcome;
  readonly logs: readonly string[];
}

interface Pending {
  readonly job: ScriptJob;
  readonly resolve: (r: PoolResult) => void;
  readonly started: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

const ENTRY = moduleEntry(__dirname, __filename, 'script-worker');

export class ScriptPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly graceMs: number;

  constructor(opts: PoolOptions = {}) {
    const size = opts.size ?? Math.min(4, Math.max(2, Math.floor(availableParallelism() / 2)));
    this.graceMs = opts.hardKillGraceMs ?? 250;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run(source: string, input: ScriptInput, limits: ScriptLimits): Promise<PoolResult> {
    if (this.closed) return Promise.resolve(failed('the sandbox pool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ job: { id: this.nextId++, source, input, limits }, resolve, started: Date.now() });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve(failed('the sandbox pool is closed'));
    await Promise.all(
      this.slots.map((s) => {
        if (s.timer) clearTimeout(s.timer);
        s.busy?.resolve(failed('the sandbox pool is closed'));
        s.busy = null;
        return s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = startModuleWorker(ENTRY);
    worker.unref();
    const slot: Slot = { worker, ready: false, busy: null, timer: null };
    worker.on('message', (reply: ScriptReply) => {
      if (reply.id === 0) {
        slot.ready = true;
        this.dispatch();
        return;
      }
      const p = slot.busy;
      if (!p || p.job.id !== reply.id) return;
      this.finish(slot, { outcome: reply.outcome, logs: reply.logs });
    });
    worker.on('error', (e) => this.replace(slot, `the sandbox worker failed: ${e.message}`));
    worker.on('exit', () => this.replace(slot, 'the sandbox worker exited'));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || !slot.ready) continue;
      const next = this.queue.shift();
      if (!next) return;
      slot.busy = next;
      slot.timer = setTimeout(() => this.kill(slot), next.job.limits.timeoutMs + this.graceMs);
      slot.worker.postMessage(next.job);
    }
  }

  private finish(slot: Slot, r: PoolResult): void {
    const p = slot.busy;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
    p?.resolve(r);
    this.dispatch();
  }

  /** The script is stuck in native code: answer now, kill the thread, start a fresh one. */
  private kill(slot: Slot): void {
    const p = slot.busy;
    if (!p) return;
    const limit = p.job.limits.timeoutMs;
    this.replace(slot, null, { outcome: { ok: false, kind: 'timeout', message: `the script ran longer than ${limit} ms`, ms: Date.now() - p.started }, logs: [] });
  }

  private replace(slot: Slot, why: string | null, result?: PoolResult): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already replaced
    const p = slot.busy;
    if (slot.timer) clearTimeout(slot.timer);
    slot.busy = null;
    slot.timer = null;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.closed) {
      this.slots.splice(index, 1);
      p?.resolve(result ?? failed(why ?? 'the sandbox pool is closed'));
      return;
    }
    this.slots[index] = this.spawn();
    p?.resolve(result ?? failed(why ?? 'the sandbox worker failed'));
    this.dispatch();
  }
}

function failed(message: string): PoolResult {
  return { outcome: { ok: false, kind: 'error', message, ms: 0 }, logs: [] };
}

let shared: { pool: ScriptPool; users: number } | null = null;

/**
 * The process-wide pool, shared by every prototype endpoint (workers and their QuickJS modules
 * are created once, not per API); `release` closes it when the last endpoint is closed.
 */
export function acquireSharedPool(): { pool: ScriptPool; release: () => Promise<void> } {
  shared ??= { pool: new ScriptPool(), users: 0 };
  const entry = shared;
  entry.users++;
  let released = false;
  return {
    pool: entry.pool,
    release: async () => {
      if (released) return;
      released = true;
      entry.users--;
      if (entry.users === 0 && shared === entry) {
        shared = null;
        await entry.pool.close();
      }
    },
  };
}
