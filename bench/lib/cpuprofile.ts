import { readFileSync } from 'node:fs';

/** The parts of V8's `.cpuprofile` JSON (as written by `node --cpu-prof`) the analyser reads. */
interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Module groups the summary reports on. */
export type Group = 'node internals' | 'native/V8' | 'gc' | 'idle' | 'program' | 'undici' | 'pino' | 'prom-client' | 'express' | 'fast-gateway' | 'soapbridge src/' | 'bench' | string;

const EXPRESS = [
  'express', 'router', 'body-parser', 'finalhandler', 'send', 'serve-static', 'path-to-regexp', 'qs', 'parseurl', 'encodeurl', 'escape-html',
  'on-finished', 'type-is', 'accepts', 'content-type', 'mime-types', 'mime-db', 'negotiator', 'fresh', 'etag', 'proxy-addr', 'forwarded',
  'ipaddr.js', 'range-parser', 'vary', 'depd', 'debug', 'ms', 'statuses', 'http-errors', 'merge-descriptors', 'cookie', 'cookie-signature',
  'content-disposition', 'is-promise', 'once', 'wrappy', 'setprototypeof', 'inherits', 'toidentifier', 'side-channel', 'call-bound',
];
const PINO = ['pino', 'pino-std-serializers', 'sonic-boom', 'thread-stream', 'fast-redact', 'quick-format-unescaped', 'on-exit-leak-free', 'atomic-sleep', 'fast-safe-stringify', 'safe-stable-stringify'];
const PROM = ['prom-client', 'tdigest', 'bintrees'];
const FAST_GATEWAY = ['fast-gateway', 'restana', 'fast-proxy-lite', 'find-my-way', '0http', 'trouter', 'micromatch', 'lru-cache', 'tiny-lru'];

export function groupOf(f: CallFrame): Group {
  const { url, functionName } = f;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)' || functionName === '(root)') return 'program';
    return 'native/V8';
  }
  if (url.startsWith('node:')) return 'node internals';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.slice(url.lastIndexOf('node_modules/')));
  if (m) {
    const pkg = m[1]!;
    if (pkg === 'undici') return 'undici';
    if (PINO.includes(pkg)) return 'pino';
    if (PROM.includes(pkg)) return 'prom-client';
    if (EXPRESS.includes(pkg)) return 'express';
    if (FAST_GATEWAY.includes(pkg)) return 'fast-gateway';
    return pkg;
  }
  if (/\/src\//.test(url)) return 'soapbridge src/';
  if (/\/bench\//.test(url)) return 'bench';
  return url;
}

/** Groups that only execute work someone else asked for: charged to their caller in `attributed`. */
const SERVICE = new Set<Group>(['node internals', 'native/V8']);

export interface FunctionCost {
  readonly group: Group;
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

export interface ProfileSummary {
  readonly wallMs: number;
  readonly busyMs: number;
  /** Self time per module group. */
  readonly selfByGroup: ReadonlyMap<Group, number>;
  /** Node-internal and native time charged to the nearest library or app frame above it. */
  readonly attributedByGroup: ReadonlyMap<Group, number>;
  readonly functions: readonly FunctionCost[];
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length);
  const dist = url.search(/\/(dist|\.bench-exp)\/(src|bench)\//);
  if (dist !== -1) return url.slice(url.indexOf('/', dist + 1) + 1);
  return url.replace(/^file:\/\//, '');
}

/** A .cpuprofile with its nodes by id and each node's parent (V8 stores only children). */
function loadProfile(file: string): { p: CpuProfile; byId: Map<number, ProfileNode>; parent: Map<number, number> } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  return { p, byId, parent };
}

/** Self time per sample: V8 records the time since the previous sample in timeDeltas[i]. */
export function analyse(file: string): ProfileSummary {
  const { p, byId, parent } = loadProfile(file);
  const selfByGroup = new Map<Group, number>();
  const attributedByGroup = new Map<Group, number>();
  const fn = new Map<string, { group: Group; name: string; where: string; self: number; total: number }>();
  const key = (f: CallFrame): string => `${f.url}\u0000${f.functionName}\u0000${f.lineNumber}`;
  const entry = (f: CallFrame): { group: Group; name: string; where: string; self: number; total: number } => {
    const k = key(f);
    let e = fn.get(k);
    if (!e) {
      e = { group: groupOf(f), name: f.functionName || '(anonymous)', where: f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '', self: 0, total: 0 };
      fn.set(k, e);
    }
    return e;
  };
  let wall = 0;
  let idle = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0) / 1000;
    wall += dt;
    const leaf = byId.get(p.samples[i]!);
    if (!leaf) continue;
    const g = groupOf(leaf.callFrame);
    if (g === 'idle') {
      idle += dt;
      continue;
    }
    selfByGroup.set(g, (selfByGroup.get(g) ?? 0) + dt);
    entry(leaf.callFrame).self += dt;
    // Walk up once: inclusive time per function (each once per sample) and attribution.
    let owner: Group | undefined = SERVICE.has(g) ? undefined : g;
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      const k = key(f);
      if (!seen.has(k)) {
        seen.add(k);
        if (f.functionName !== '(root)') entry(f).total += dt;
      }
      if (owner === undefined) {
        const fg = groupOf(f);
        if (!SERVICE.has(fg) && fg !== 'program') owner = fg;
      }
    }
    const charged = owner ?? g;
    attributedByGroup.set(charged, (attributedByGroup.get(charged) ?? 0) + dt);
  }
  const functions = [...fn.values()].map((e) => ({ group: e.group, name: e.name, where: e.where, selfMs: e.self, totalMs: e.total }));
  return { wallMs: wall, busyMs: wall - idle, selfByGroup, attributedByGroup, functions };
}

const pct = (x: number, of: number): string => `${((100 * x) / of).toFixed(1)} %`;

/** Markdown: self and attributed time by group, top functions by self time, top app functions by total time. */
export function formatSummary(s: ProfileSummary, topN = 25): string {
  const out: string[] = [];
  out.push(`Sampled ${(s.wallMs / 1000).toFixed(1)} s, busy (not idle) ${(s.busyMs / 1000).toFixed(1)} s. Percentages are of busy time.`, '');
  out.push('| module group | self | attributed (internals charged to nearest caller) |', '| --- | ---: | ---: |');
  const groups = [...new Set([...s.selfByGroup.keys(), ...s.attributedByGroup.keys()])].sort(
    (a, b) => (s.attributedByGroup.get(b) ?? 0) + (s.selfByGroup.get(b) ?? 0) - (s.attributedByGroup.get(a) ?? 0) - (s.selfByGroup.get(a) ?? 0),
  );
  // Packages that only ran at startup (config, zod, yaml...) fold into one line.
  const small = (g: Group): boolean => (s.attributedByGroup.get(g) ?? 0) < 0.003 * s.busyMs && (s.selfByGroup.get(g) ?? 0) < 0.003 * s.busyMs;
  for (const g of groups.filter((g) => !small(g))) out.push(`| ${g} | ${pct(s.selfByGroup.get(g) ?? 0, s.busyMs)} | ${pct(s.attributedByGroup.get(g) ?? 0, s.busyMs)} |`);
  const rest = groups.filter(small);
  if (rest.length > 0) {
    const sum = (m: ReadonlyMap<Group, number>): number => rest.reduce((n, g) => n + (m.get(g) ?? 0), 0);
    out.push(`| ${rest.length} other packages (< 0.3 % each: ${rest.slice(0, 4).join(', ')}…) | ${pct(sum(s.selfByGroup), s.busyMs)} | ${pct(sum(s.attributedByGroup), s.busyMs)} |`);
  }
  out.push('', `Top ${topN} functions by self time:`, '', '| self | group | function | where |', '| ---: | --- | --- | --- |');
  for (const f of [...s.functions].filter((f) => f.group !== 'idle').sort((a, b) => b.selfMs - a.selfMs).slice(0, topN)) {
    out.push(`| ${pct(f.selfMs, s.busyMs)} | ${f.group} | ${f.name} | ${f.where} |`);
  }
  const app = s.functions.filter((f) => f.group === 'soapbridge src/' || f.group === 'bench').sort((a, b) => b.totalMs - a.totalMs).slice(0, 15);
  if (app.length > 0) {
    out.push('', 'Our code, by total (inclusive) time:', '', '| total | self | function | where |', '| ---: | ---: | --- | --- |');
    for (const f of app) out.push(`| ${pct(f.totalMs, s.busyMs)} | ${pct(f.selfMs, s.busyMs)} | ${f.name} | ${f.where} |`);
  }
  return out.join('\n');
}

/** Bottom-up view of one function: its most expensive caller chains (self time of `name`). */
export function callersOf(file: string, name: string, depth = 8, top = 6): string {
  const { p, byId, parent } = loadProfile(file);
  const chains = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const leaf = byId.get(p.samples[i]!);
    if (!leaf || leaf.callFrame.functionName !== name) continue;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    all += dt;
    const names: string[] = [];
    for (let id = parent.get(leaf.id); id !== undefined && names.length < depth; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (f.functionName === '(root)') break;
      names.push(`${f.functionName || '(anonymous)'} (${shortUrl(f.url)}:${f.lineNumber + 1})`);
    }
    const k = names.join(' ← ');
    chains.set(k, (chains.get(k) ?? 0) + dt);
  }
  const out = [`${name}: ${all.toFixed(0)} ms self in total; heaviest caller chains:`];
  for (const [k, ms] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${ms.toFixed(0)} ms  ← ${k}`);
  return out.join('\n');
}
