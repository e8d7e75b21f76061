import { performance } from 'node:perf_hooks';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';
import { PRELUDE } from './prelude';
import { discardQuickJS, quickJS } from './quickjs-module';

export interface ScriptLimits {
  /** Wall-clock budget of one run (the run is synchronous, so it is also its CPU time). */
  readonly timeoutMs: number;
  readonly memoryBytes: number;
  readonly stackBytes: number;
}

export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = { timeoutMs: 100, memoryBytes: 32 * 1024 * 1024, stackBytes: 256 * 1024 };

export type PayloadKind = 'json' | 'xml' | 'text';

/** What the script sees through `mc`: plain data, serialised into the sandbox. */
export interface ScriptInput {
  readonly kind: PayloadKind;
  readonly body: string;
  /** `uri.var.x`, `query.param.x`, `HTTP_METHOD`, … */
  readonly props: Readonly<Record<string, string>>;
  /** Lower-case request header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ScriptOutput {
  readonly kind: PayloadKind;
  readonly text: string;
  /** Properties the script set (`HTTP_SC`, `CONTENT_TYPE`, …). */
  readonly props: Readonly<Record<string, string>>;
  /** Response headers from `mc.setHeader`. */
  readonly headers: Readonly<Record<string, string>>;
}

export type ScriptFailureKind = 'timeout' | 'memory' | 'stack' | 'error';

export type ScriptOutcome =
  | { readonly ok: true; readonly output: ScriptOutput; readonly ms: number }
  | { readonly ok: false; readonly kind: ScriptFailureKind; readonly message: string; readonly ms: number };

/** Microtasks (promise callbacks) a script may queue; more is treated as a runaway. */
const MAX_PENDING_JOBS = 10_000;

/**
 * Runs one prototype implementation in a fresh QuickJS runtime: its own heap (memory limit),
 * stack limit and an interrupt handler that stops it at the deadline. The run is synchronous on
 * the calling thread, so the event loop is blocked for at most `timeoutMs` (plus the time to
 * tear the runtime down); every other request waits at most that long.
 *
 * Every handle is disposed before the runtime: a leaked handle makes QuickJS abort the whole
 * WebAssembly module on `dispose()`.
 *
 * @example
 *   const r = await runScript("mc.setPayloadJSON({ hi: mc.getProperty('uri.var.name') })",
 *     { kind: 'text', body: '', props: { 'uri.var.name': 'ann' }, headers: {} }, DEFAULT_SCRIPT_LIMITS, () => {});
 *   // r.ok && r.output.text === '{"hi":"ann"}'
 */
export async function runScript(source: string, input: ScriptInput, limits: ScriptLimits, log: (line: string) => void): Promise<ScriptOutcome> {
  const qjs = await quickJS();
  const started = performance.now();
  const deadline = started + limits.timeoutMs;
  let interrupted = false;
  const elapsed = (): number => Math.round(performance.now() - started);
  let rt: QuickJSRuntime | null = null;
  try {
    rt = qjs.newRuntime();
    rt.setMemoryLimit(limits.memoryBytes);
    rt.setMaxStackSize(limits.stackBytes);
    rt.setInterruptHandler(() => {
      if (performance.now() < deadline) return false;
      interrupted = true;
      return true;
    });
    const ctx = rt.newContext();
    try {
      const r = runIn(ctx, rt, source, input, log);
      if (r.ok) return { ok: true, output: r.output, ms: elapsed() };
      const kind: ScriptFailureKind = interrupted ? 'timeout' : r.kind;
      const message = interrupted ? `the script ran longer than ${limits.timeoutMs} ms` : r.message;
      return { ok: false, kind, message, ms: elapsed() };
    } finally {
      ctx.dispose();
    }
  } catch (e) {
    return { ok: false, kind: 'error', message: hostFailure(qjs, e), ms: elapsed() };
  } finally {
    if (rt) disposeRuntime(qjs, rt);
  }
}

type RunResult = { ok: true; output: ScriptOutput } | { ok: false; kind: ScriptFailureKind; message: string };

function runIn(ctx: QuickJSContext, rt: QuickJSRuntime, source: string, input: ScriptInput, log: (line: string) => void): RunResult {
  const collect = setUp(ctx, input, log);
  if (!('handle' in collect)) return collect;
  try {
    const evaluated = ctx.evalCode(source, 'implementation.js', { type: 'global' });
    if (evaluated.error) return failure(ctx, evaluated.error);
    evaluated.value.dispose();
    const jobs = rt.executePendingJobs(MAX_PENDING_JOBS);
    if (jobs.error) return failure(ctx, jobs.error);
    const out = ctx.callFunction(collect.handle, ctx.undefined);
    if (out.error) return failure(ctx, out.error);
    let text: string;
    try {
      text = ctx.getString(out.value);
    } finally {
      out.value.dispose();
    }
    const output = parseOutput(text);
    return output ? { ok: true, output } : { ok: false, kind: 'error', message: 'the script left an unreadable message context' };
  } finally {
    collect.handle.dispose();
  }
}

/** Evaluates the prelude and hands it the input; returns the `collect` function. */
function setUp(ctx: QuickJSContext, input: ScriptInput, log: (line: string) => void): { handle: QuickJSHandle } | RunResult {
  const prelude = ctx.evalCode(PRELUDE, 'prelude.js', { type: 'global' });
  if (prelude.error) return failure(ctx, prelude.error);
  const hostLog = ctx.newFunction('hostLog', (line) => {
    log(ctx.getString(line));
  });
  const inputJson = ctx.newString(JSON.stringify(input));
  try {
    const made = ctx.callFunction(prelude.value, ctx.undefined, inputJson, hostLog);
    if (made.error) return failure(ctx, made.error);
    return { handle: made.value };
  } finally {
    inputJson.dispose();
    hostLog.dispose();
    prelude.value.dispose();
  }
}

/** Reads (and disposes) a thrown value; dumping may itself fail right after an out-of-memory. */
function failure(ctx: QuickJSContext, err: QuickJSHandle): RunResult {
  let message = 'the script failed';
  try {
    const dumped: unknown = ctx.dump(err);
    message = describeThrown(dumped);
  } catch {
    message = 'the script failed (its error could not be read, likely out of memory)';
  } finally {
    err.dispose();
  }
  return { ok: false, kind: classify(message), message };
}

function describeThrown(v: unknown): string {
  if (typeof v === 'object' && v !== null) {
    const name = 'name' in v && typeof v.name === 'string' ? v.name : 'Error';
    const msg = 'message' in v && typeof v.message === 'string' ? v.message : JSON.stringify(v);
    return `${name}: ${msg}`.slice(0, 500);
  }
  return `thrown: ${String(v)}`.slice(0, 500);
}

function classify(message: string): ScriptFailureKind {
  if (/out of memory/i.test(message)) return 'memory';
  if (/stack overflow|call stack size/i.test(message)) return 'stack';
  return 'error';
}

function parseOutput(text: string): ScriptOutput | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const kind = 'kind' in v ? v.kind : undefined;
  const body = 'text' in v ? v.text : undefined;
  if ((kind !== 'json' && kind !== 'xml' && kind !== 'text') || typeof body !== 'string') return null;
  const props = stringRecord('props' in v ? v.props : undefined);
  const headers = stringRecord('headers' in v ? v.headers : undefined);
  if (!props || !headers) return null;
  return { kind, text: body, props, headers };
}

function stringRecord(v: unknown): Record<string, string> | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function disposeRuntime(qjs: QuickJSWASMModule, rt: QuickJSRuntime): void {
  try {
    rt.dispose();
  } catch (e) {
    hostFailure(qjs, e);
  }
}

/** A failure of the sandbox itself (not of the script). A trapped module is replaced. */
function hostFailure(qjs: QuickJSWASMModule, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // WebAssembly.RuntimeError (no DOM/WebAssembly typings here): an abort or trap in the module.
  if (e instanceof Error && (e.name === 'RuntimeError' || /Aborted\(/.test(message))) {
    discardQuickJS(qjs);
    return `the sandbox failed (${message}); it is reloaded for the next request`;
  }
  return `the sandbox failed: ${message}`;
}
