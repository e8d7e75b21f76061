import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { moduleEntry } from '../threads/module-worker';
import { runInWorker } from '../threads/run-in-worker';
import { compileModel } from './compile';
import { loadBundle } from './load/load-bundle';
import { isUrlKey } from './load/stores';
import type { LoadOptions } from './load/types';
import { cacheBytes, parseCache, type CacheEntry } from './cache-file';
import { MODEL_FORMAT_VERSION, type WsdlModel } from './model';

export interface ImportCompiledOptions extends LoadOptions {
  /** Where to keep compiled models; default `.soapbridge-cache/` beside the entry. false disables caching. */
  cacheDir?: string | false;
}

/**
 * How a bridge loads the WSDL of an API (an imported bundle is stored whole, so an absolute-URL
 * import left in it is one the bridge must not fetch at start). The cache key includes it.
 */
export const SERVED_WSDL_OPTIONS: Readonly<ImportCompiledOptions> = { remoteImports: 'skip' };

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function cacheKey(files: CacheEntry['files'], opts: LoadOptions): string {
  return sha256(JSON.stringify({ v: MODEL_FORMAT_VERSION, remote: opts.remoteImports ?? null, files: files.map((f) => [f.file, f.sha256]) }));
}

/**
 * Loads and compiles a WSDL, reusing a cached compiled model when no source file changed.
 *
 * @example const model = await importCompiled('wsdl/Calculator.wsdl'); // second call: no XML parse
 *
 * The cache entry lists every file of the bundle with its content hash; a hit only re-reads and
 * re-hashes those files (no XML parsing, no schema compilation), which is what keeps the start
 * of a multi-megabyte WSDL fast. URLs are never cached (their content is not ours to watch).
 * Any cache problem (unreadable, corrupt, stale, unwritable) falls back to compiling.
 */
export function importCompiled(entryPath: string, opts: ImportCompiledOptions = {}): Promise<WsdlModel> {
  return heldCachedOr(entryPath, opts, async (abs, cacheFile) => (await compileToCache(abs, cacheFile, opts)).model);
}

/**
 * importCompiled for a process that is serving: a cache hit is read here as usual, but a compile
 * runs on a worker thread, so the event loop only parses the model sections it reads at once (a
 * 3 MB WSDL: ≈ 12 ms instead of ≈ 150 ms of compiling). Same answers, same errors.
 * Progress callbacks and hop fetchers are not carried across; URLs and `cacheDir: false` compile
 * in-thread.
 */
export function importCompiledOffThread(entryPath: string, opts: ImportCompiledOptions = {}): Promise<WsdlModel> {
  return heldCachedOr(entryPath, opts, async (abs, cacheFile) => {
    // Functions do not cross to a thread (nor are they used for local files).
    const job: CompileJob = { entry: abs, cacheFile, opts: { ...opts, onProgress: undefined, fetchHop: undefined } };
    const out = parseCache(await runInWorker<CompileJob, Uint8Array>(COMPILE_WORKER, job, { file: abs }));
    if (!out) throw new Error('the compile worker answered no model');
    remember(cacheFile, out);
    return out.model;
  });
}

/** The model held in memory or cached on disk for a local entry, else what `compile` makes (URLs: no cache). */
async function heldCachedOr(entryPath: string, opts: ImportCompiledOptions, compile: (abs: string, cacheFile: string) => Promise<WsdlModel>): Promise<WsdlModel> {
  if (isUrlKey(entryPath) || opts.cacheDir === false) return compileModel(await loadBundle(entryPath, opts));
  const abs = path.resolve(entryPath);
  const cacheFile = cacheFileOf(abs, opts);
  return (await heldOrCached(cacheFile, opts)) ?? compile(abs, cacheFile);
}

const COMPILE_WORKER = moduleEntry(__dirname, __filename, 'compile-worker');

/** What compile-worker.ts is sent. */
export interface CompileJob {
  entry: string;
  cacheFile: string;
  opts: ImportCompiledOptions;
}

/** The worker's half of importCompiledOffThread: the cache entry as cacheBytes writes it (key null when not cached). */
export async function compileJobToBytes(job: CompileJob): Promise<Buffer> {
  const done = await compileToCache(job.entry, job.cacheFile, job.opts);
  return done.bytes ?? cacheBytes({ key: null, files: [], model: done.model });
}

function cacheFileOf(abs: string, opts: ImportCompiledOptions): string {
  const dir = opts.cacheDir || path.join(path.dirname(abs), '.soapbridge-cache');
  return path.join(dir, `${path.basename(abs)}.${sha256(abs).slice(0, 12)}.model.json`);
}

/** The model this process holds for `cacheFile`, else the one on disk, while the files are unchanged. */
async function heldOrCached(cacheFile: string, opts: LoadOptions): Promise<WsdlModel | undefined> {
  const held = inMemory.get(cacheFile);
  const same = held?.model.deref();
  if (held && same && isCurrent(held.files, held.key, opts)) return same;
  const hit = await readCache(cacheFile, opts);
  if (!hit) return undefined;
  remember(cacheFile, hit);
  return hit.model;
}

/** Compiles and writes the cache entry (best effort: a read-only folder only costs the next start a compile). */
async function compileToCache(abs: string, cacheFile: string, opts: LoadOptions): Promise<{ model: WsdlModel; bytes?: Buffer }> {
  const bundle = await loadBundle(abs, opts);
  const model = compileModel(bundle);
  let bytes: Buffer | undefined;
  try {
    // Zips are hashed as one file; plain bundles file by file (paths are relative to the bundle root).
    const files = /\.zip$/i.test(abs) ? [abs] : bundleFiles(abs, bundle.entry, [...bundle.documents.keys()]);
    const withHashes: CacheEntry['files'] = await Promise.all(files.map(async (file) => ({ file, sha256: sha256(await fs.readFile(file)) })));
    // An import that was not found is listed as absent: putting the file there (what the import
    // report asks for) must compile again, not serve the model that lacks it.
    for (const m of bundle.missing) if (m.file !== undefined) withHashes.push({ file: m.file, sha256: null });
    // The catalog decides where imports are read from: an edit of it is an edit of the bundle.
    if (bundle.catalog !== undefined) withHashes.push({ file: bundle.catalog, sha256: sha256(await fs.readFile(bundle.catalog)) });
    const entry: CacheEntry = { key: cacheKey(withHashes, opts), files: withHashes, model };
    remember(cacheFile, entry);
    bytes = cacheBytes(entry);
    await fs.mkdir(path.dirname(cacheFile), { recursive: true });
    // Unique per thread: two workers may compile the same WSDL at once.
    const tmp = `${cacheFile}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, cacheFile);
  } catch {
    // Unwritable: the bytes (when the files could be hashed) still go back to the caller.
  }
  return bytes === undefined ? { model } : { model, bytes };
}

/**
 * Writes the cache entry that importCompiled(`entry`, `opts`) will find, for files that compile
 * to `model` but are not in place yet: `soapbridge import` knows the model of the copy it stores
 * when the copy is the source byte for byte, and a compile of 3 MB costs ≈ 130 ms more than this.
 * `files` are the copy's final paths and bytes; the entry is written below `stagedRoot`, which
 * will be renamed to `finalRoot`. Best effort, like every cache write.
 */
export async function seedCache(entry: string, files: readonly { file: string; bytes: Uint8Array }[], model: WsdlModel, opts: ImportCompiledOptions, move: { finalRoot: string; stagedRoot: string }): Promise<void> {
  try {
    const withHashes = files.map((f) => ({ file: f.file, sha256: sha256(f.bytes) }));
    const cacheFile = cacheFileOf(path.resolve(entry), opts);
    const rel = path.relative(move.finalRoot, cacheFile);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return; // a cacheDir elsewhere: the first start compiles
    const staged = path.join(move.stagedRoot, rel);
    await fs.mkdir(path.dirname(staged), { recursive: true });
    await fs.writeFile(staged, cacheBytes({ key: cacheKey(withHashes, opts), files: withHashes, model }));
  } catch {
    // Unwritable: the first start compiles.
  }
}

/** Absolute paths of the bundle's local documents (URLs fetched into it are not watched). */
function bundleFiles(absEntry: string, entry: string, paths: string[]): string[] {
  const root = absEntry.slice(0, absEntry.length - entry.length);
  return paths.filter((p) => !isUrlKey(p)).map((p) => path.join(root, p));
}

/**
 * Models this process already holds, by cache file. Every hot reload rebuilds every API, and
 * reading a large model back stalls the event loop while the bridge is serving (a 3 MB WSDL's
 * 7 MB model: ≈ 12 ms for the sections a pass-through API reads, ≈ 45 ms for all of them); when the files still hash the same, the model in memory is
 * the answer. Held weakly: once no API runtime uses a model any more, it can be collected.
 * Sharing is safe because nothing mutates a compiled model.
 */
const inMemory = new Map<string, { key: string; files: CacheEntry['files']; model: WeakRef<WsdlModel> }>();

/** Holds `entry`'s model for the next call; an entry without a key (unhashable files) is not a cache entry. */
function remember(cacheFile: string, entry: CacheEntry): void {
  if (entry.key === null) return;
  inMemory.set(cacheFile, { key: entry.key, files: entry.files, model: new WeakRef(entry.model) });
  sourceFiles.set(entry.model, entry.files.map((f) => f.file));
}

/** The local files each model was compiled from (what hot reload watches). */
const sourceFiles = new WeakMap<WsdlModel, readonly string[]>();

/**
 * The local files (absolute) a model from importCompiled was compiled from: every document of
 * the bundle, or the .zip. Empty for a model of a URL or one compiled without the cache.
 */
export function sourceFilesOf(model: WsdlModel): readonly string[] {
  return sourceFiles.get(model) ?? [];
}

/** Whether the listed files still hash to `key` (false when one is gone or unreadable, or one that was absent exists). */
function isCurrent(files: CacheEntry['files'], key: string, opts: LoadOptions): boolean {
  try {
    // An import that was missing and is there now: compile again.
    if (files.some((f) => f.sha256 === null && existsSync(f.file))) return false;
    return cacheKey(files.map((f) => ({ file: f.file, sha256: f.sha256 === null ? null : sha256(readFileSync(f.file)) })), opts) === key;
  } catch {
    return false;
  }
}

async function readCache(cacheFile: string, opts: LoadOptions): Promise<CacheEntry | undefined> {
  try {
    // Synchronous reads, as in load/stores.ts: a start is CPU-bound, and fs.promises round trips
    // wait behind V8's background threads.
    const entry = parseCache(readFileSync(cacheFile), cacheFile);
    if (!entry || entry.key === null) return undefined;
    return isCurrent(entry.files, entry.key, opts) ? entry : undefined;
  } catch {
    return undefined;
  }
}
