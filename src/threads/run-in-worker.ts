import { availableParallelism } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { BridgeError } from '../errors/bridge-error';
import type { ErrorCode } from '../errors/codes';
import { WsdlImportError } from '../wsdl/errors';
import { startModuleWorker } from './module-worker';

/**
 * One job on a fresh worker thread, for CPU-heavy work that must not stall a serving event loop
 * (compiling a large WSDL takes 100 ms and more). The worker module calls `serveOneJob`; the
 * caller awaits `runInWorker`. A thread per job: jobs are rare (imports, reloads after a WSDL
 * changed), and a fresh heap per job cannot leak into the next one.
 *
 * Errors cross the thread boundary as data and come back as the same class (WsdlImportError,
 * BridgeError with its code and status), so the caller renders them exactly as if the work had
 * run in-thread.
 */
type WireError =
  | { kind: 'wsdl'; file: string; reason: string }
  | { kind: 'bridge'; code: ErrorCode; detail: string; status: number }
  | { kind: 'other'; message: string };

type Reply<R> = { type: 'progress'; msg: string } | { type: 'done'; result: R } | { type: 'failed'; error: WireError };

/**
 * Threads at once: a reload after many WSDLs changed would otherwise start one per API, each with
 * its own heap holding a whole document tree. Jobs beyond this wait their turn.
 */
const MAX_THREADS = Math.max(1, Math.min(4, availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];

/**
 * A job thread's heap limit (V8's old generation). A document that needs more is refused rather
 * than growing the process until the system kills it; the bridge's own heap is not touched.
 * The largest corpus WSDL (3 MB) imports within a 64 MB heap.
 */
export const WORKER_HEAP_MB = 1024;

export interface WorkerJobOptions {
  onProgress?: (msg: string) => void;
  /** The WSDL the job works on: running out of memory is then that WSDL's WsdlImportError. */
  file?: string;
  /** Heap limit in MB (default WORKER_HEAP_MB). */
  maxHeapMb?: number;
}

export async function runInWorker<J, R>(entry: string, job: J, opts: WorkerJobOptions = {}): Promise<R> {
  if (running >= MAX_THREADS) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await runOnThread<J, R>(entry, job, opts);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runOnThread<J, R>(entry: string, job: J, { onProgress, file, maxHeapMb = WORKER_HEAP_MB }: WorkerJobOptions): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const worker = startModuleWorker(entry, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      worker.removeAllListeners();
      void worker.terminate();
      fn();
    };
    worker.on('message', (m: Reply<R>) => {
      if (m.type === 'progress') onProgress?.(m.msg);
      else if (m.type === 'done') settle(() => resolve(m.result));
      else settle(() => reject(revive(m.error)));
    });
    // Out of memory, a crash in the module: the thread is gone, the caller gets an error.
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY' && file !== undefined) settle(() => reject(new WsdlImportError(file, `importing it needs more than the ${maxHeapMb} MB of memory an import may use`)));
      else settle(() => reject(new Error(`worker thread failed: ${e.message}`, { cause: e })));
    });
    worker.on('exit', (code) => settle(() => reject(new Error(`worker thread exited (code ${code}) before answering`))));
    worker.postMessage(job);
  });
}

/** The worker side: runs `handler` on the one job it is sent and posts the outcome. */
export function serveOneJob<J, R>(handler: (job: J, progress: (msg: string) => void) => Promise<R> | R): void {
  const port = parentPort;
  if (!port) return;
  port.once('message', (job: J) => {
    const progress = (msg: string): void => port.postMessage({ type: 'progress', msg } satisfies Reply<R>);
    Promise.resolve()
      .then(() => handler(job, progress))
      .then(
        (result) => port.postMessage({ type: 'done', result } satisfies Reply<R>),
        (e: unknown) => port.postMessage({ type: 'failed', error: wire(e) } satisfies Reply<R>),
      );
  });
}

function wire(e: unknown): WireError {
  if (e instanceof WsdlImportError) return { kind: 'wsdl', file: e.file, reason: e.reason };
  if (e instanceof BridgeError) return { kind: 'bridge', code: e.code, detail: e.message, status: e.status };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

function revive(e: WireError): Error {
  if (e.kind === 'wsdl') return new WsdlImportError(e.file, e.reason);
  if (e.kind === 'bridge') return new BridgeError(e.code, e.detail, { status: e.status });
  return new Error(e.message);
}
