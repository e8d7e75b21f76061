/**
 * Facade conformance on the WSDL corpus: for every operation of every well-formed set, a sample
 * JSON input generated from the schema is mapped to a SOAP envelope, its Body element is
 * validated with xmllint against the set's own XSD (when that schema compiles), mapped back to
 * JSON and compared with the input. Prints passed/failed per set with the failing construct.
 *
 * `scripts/facade-passing.json` lists the operations that passed; the run fails when one of them
 * regresses (`--update` rewrites the list). Usage: `node dist/scripts/corpus-facade.js [DIR] [--update]`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildFacade, sampleInput } from '../src/facade';
import { requestToJson } from '../src/facade/facade';
import { compileModel, loadBundle } from '../src/wsdl';
import { parseManifest } from './corpus-manifest';
import { standaloneBodyChildren, writeSchemaSet, xmllint } from './facade-xsd';

export interface OperationResult {
  op: string;
  ok: boolean;
  /** What failed: the mapping step and the construct/path. */
  why: string;
}

export interface SetResult {
  set: string;
  status: 'ok' | 'import-failed' | 'no-operations';
  /** Whether xmllint could compile the set's schema (validation is skipped when not). */
  schema: 'validated' | 'not validatable' | 'none';
  schemaNote: string;
  ops: OperationResult[];
  ms: number;
}

const SET_BUDGET_MS = 60_000;

/** Runs one set; never throws. */
export async function runSet(dir: string, set: string, entry: string): Promise<SetResult> {
  const started = Date.now();
  const res: SetResult = { set, status: 'ok', schema: 'none', schemaNote: '', ops: [], ms: 0 };
  let bundle;
  let model;
  try {
    bundle = await loadBundle(path.join(dir, set, entry), { remoteImports: 'skip' });
    model = compileModel(bundle);
  } catch (e) {
    res.status = 'import-failed';
    res.schemaNote = (e instanceof Error ? e.message : String(e)).slice(0, 200);
    res.ms = Date.now() - started;
    return res;
  }
  const facade = buildFacade(model);
  const ops = facade.operations();
  if (ops.length === 0) res.status = 'no-operations';
  const work = mkdtempSync(path.join(tmpdir(), `facade-corpus-${set}-`));
  try {
    const schema = writeSchemaSet(bundle, path.join(work, 'xsd'));
    const pending: { op: OperationResult; files: string[] }[] = [];
    for (const op of ops) {
      const r: OperationResult = { op: op.name, ok: false, why: '' };
      res.ops.push(r);
      if (Date.now() - started > SET_BUDGET_MS) {
        r.why = 'time budget of the set exhausted';
        continue;
      }
      let xml: string;
      let sample: unknown;
      try {
        sample = sampleInput(facade.view, op.input) ?? {};
        xml = op.toEnvelope(sample);
      } catch (e) {
        r.why = `json→xml: ${e instanceof Error ? e.message : String(e)}`;
        continue;
      }
      try {
        const back = requestToJson(facade, op, xml);
        const diff = firstDifference(sample, back, '$');
        if (diff) {
          r.why = `xml→json: ${diff}`;
          continue;
        }
      } catch (e) {
        r.why = `xml→json: ${e instanceof Error ? e.message : String(e)}`;
        continue;
      }
      r.ok = true;
      // rpc bodies are wrappers no schema declares: only document-style bodies are validated.
      if (schema && op.input && !(op.input.kind === 'parts' && op.input.rpc)) {
        const files = standaloneBodyChildren(xml).map((body, i) => {
          const f = path.join(work, `${pending.length}-${i}.xml`);
          writeFileSync(f, body);
          return f;
        });
        pending.push({ op: r, files });
      }
    }
    if (schema && pending.length > 0) {
      const lint = xmllint(schema, pending.flatMap((p) => p.files), Math.max(5_000, SET_BUDGET_MS - (Date.now() - started)));
      if (!lint.schemaOk) {
        res.schema = 'not validatable';
        res.schemaNote = lint.schemaError;
      } else {
        res.schema = 'validated';
        for (const p of pending) {
          const err = p.files.map((f) => lint.results.get(f)).find((e) => e !== null && e !== undefined);
          // The set's XSD does not declare the body element (its schema was remote/skipped): nothing to validate against.
          if (err && /No matching global declaration available for the validation root/.test(err)) {
            p.op.why = 'xmllint: body element not declared by the shipped XSD (not validated)';
          } else if (err) {
            p.op.ok = false;
            p.op.why = `xmllint: ${err.trim()}`;
          }
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  res.ms = Date.now() - started;
  return res;
}

/** The first place two JSON values differ, as `path: a vs b`, or null. */
export function firstDifference(a: unknown, b: unknown, p: string): string | null {
  if (a === b) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${p}: ${a.length} items sent, ${b.length} read back`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${p}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      const d = firstDifference(ao[k], bo[k], `${p}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return `${p}: sent ${JSON.stringify(a)?.slice(0, 60)}, read back ${JSON.stringify(b)?.slice(0, 60)}`;
}

type PassingList = Record<string, string[]>;

function passingListPath(): string {
  // The checked-in list lives beside this file in the source tree; compiled, this file runs from dist/scripts.
  const inDist = path.basename(path.dirname(__dirname)) === 'dist';
  return inDist ? path.join(__dirname, '..', '..', 'scripts', 'facade-passing.json') : path.join(__dirname, 'facade-passing.json');
}

/**
 * Runs every well-formed set of the corpus in `dir`. `ok` is false when an operation of the
 * checked-in passing list no longer passes. `update` rewrites the list from this run.
 */
export async function runFacadeCorpus(dir: string, opts: { update?: boolean; only?: string[] } = {}): Promise<{ ok: boolean; table: string; results: SetResult[] }> {
  const rows = parseManifest(readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8')).filter((r) => r.wellFormed && !r.features.includes('broken') && (!opts.only || opts.only.includes(r.set)));
  const results: SetResult[] = [];
  const started = Date.now();
  for (const row of rows) results.push(await runSet(dir, row.set, row.entry));
  const listFile = passingListPath();
  const previous: PassingList = existsSync(listFile) ? (JSON.parse(readFileSync(listFile, 'utf8')) as PassingList) : {};
  const regressions: string[] = [];
  for (const [set, ops] of Object.entries(previous)) {
    const r = results.find((x) => x.set === set);
    if (!r) continue; // not run (filtered, or the set left the corpus)
    for (const op of ops) {
      const now = r.ops.find((o) => o.op === op);
      if (!now?.ok) regressions.push(`${set} ${op}: ${now ? now.why : 'operation no longer found'}`);
    }
  }
  if (opts.update) {
    const next: PassingList = {};
    for (const r of results) {
      const ok = r.ops.filter((o) => o.ok).map((o) => o.op);
      if (ok.length > 0) next[r.set] = ok;
    }
    writeFileSync(listFile, `${JSON.stringify(next, null, 1)}\n`);
  }
  const lines: string[] = [];
  const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
  lines.push(`${pad('set', 40)} ${pad('passed', 7)} ${pad('failed', 7)} ${pad('xsd', 16)} note`);
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    const p = r.ops.filter((o) => o.ok).length;
    const f = r.ops.length - p;
    passed += p;
    failed += f;
    const firstFail = r.ops.find((o) => !o.ok);
    const note = r.status !== 'ok' ? `${r.status}${r.schemaNote ? `: ${r.schemaNote}` : ''}` : firstFail ? `${firstFail.op}: ${firstFail.why}` : r.schema === 'not validatable' ? `xsd: ${r.schemaNote}` : '';
    lines.push(`${pad(r.set, 40)} ${pad(String(p), 7)} ${pad(String(f), 7)} ${pad(r.schema, 16)} ${note.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
  const validated = results.filter((r) => r.schema === 'validated').length;
  lines.push('');
  lines.push(`facade conformance: ${passed} operations passed, ${failed} failed, in ${results.length} sets (${validated} validated by xmllint); ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const r of regressions) lines.push(`REGRESSION ${r}`);
  return { ok: regressions.length === 0, table: lines.join('\n'), results };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const dir = path.resolve(process.cwd(), args.find((a) => !a.startsWith('--')) ?? '../shared/wsdl-corpus');
  const only = args.filter((a) => a.startsWith('--set=')).map((a) => a.slice(6));
  runFacadeCorpus(dir, { update: args.includes('--update'), ...(only.length > 0 ? { only } : {}) })
    .then((r) => {
      console.log(r.table);
      process.exitCode = r.ok ? 0 : 1;
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
