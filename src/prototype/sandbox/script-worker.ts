import { parentPort } from 'node:worker_threads';
import { quickJS } from './quickjs-module';
import { runScript, type ScriptInput, type ScriptLimits, type ScriptOutcome } from './run-script';

/**
 * Body of a sandbox worker thread: runs one job at a time with QuickJS (module loaded once per
 * worker) and posts the outcome back. See worker-pool.ts for why scripts run off the main thread.
 */
export interface ScriptJob {
  readonly id: number;
  readonly source: string;
  readonly input: ScriptInput;
  readonly limits: ScriptLimits;
}

/** `id` 0 announces a worker whose QuickJS module is loaded. */
export interface ScriptReply {
  readonly id: number;
  readonly outcome: ScriptOutcome;
  readonly logs: readonly string[];
}

const port = parentPort;
if (port) {
  port.on('message', (job: ScriptJob) => {
    const logs: string[] = [];
    void runScript(job.source, job.input, job.limits, (line) => logs.push(line)).then(
      (outcome) => port.postMessage({ id: job.id, outcome, logs } satisfies ScriptReply),
      (e: unknown) => port.postMessage({ id: job.id, outcome: { ok: false, kind: 'error', message: `the sandbox failed: ${String(e)}`, ms: 0 }, logs } satisfies ScriptReply),
    );
  });
  // Loads the WebAssembly module before the first job, so job time is script time only.
  // A first run also warms the WebAssembly code, so the first real job is not slowed by it.
  void quickJS()
    .then(() => runScript('mc.setPayloadJSON({ warm: true })', { kind: 'text', body: '', props: {}, headers: {} }, { timeoutMs: 5000, memoryBytes: 8 << 20, stackBytes: 256 << 10 }, () => undefined))
    .then(
    () => port.postMessage({ id: 0, outcome: { ok: true, output: { kind: 'text', text: '', props: {}, headers: {} }, ms: 0 }, logs: [] } satisfies ScriptReply),
    (e: unknown) => {
      throw e;
    },
  );
}
