import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileModel } from './compile';
import { loadBundle } from './load/load-bundle';
import type { LoadOptions } from './load/types';
import { MODEL_FORMAT_VERSION, type WsdlModel } from './model';

export interface ImportCompiledOptions extends LoadOptions {
  /** Where to keep compiled models; default `.soapbridge-cache/` beside the entry. false disables caching. */
  cacheDir?: string | false;
}

interface CacheFile {
  formatVersion: number;
  key: string;
  /** Files the model was compiled from (absolute), with the sha256 of their bytes. */
  files: { file: string; sha256: string }[];
  model: WsdlModel;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function cacheKey(files: CacheFile['files'], opts: LoadOptions): string {
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
export async function importCompiled(entryPath: string, opts: ImportCompiledOptions = {}): Promise<WsdlModel> {
  if (/^https?:\/\//i.test(entryPath) || opts.cacheDir === false) return compileModel(await loadBundle(entryPath, opts));
  const abs = path.resolve(entryPath);
  const dir = opts.cacheDir ?? path.join(path.dirname(abs), '.soapbridge-cache');
  const cacheFile = path.join(dir, `${path.basename(abs)}.${sha256(abs).slice(0, 12)}.model.json`);
  const held = inMemory.get(cacheFile);
  const same = held?.model.deref();
  if (held && same && isCurrent(held.files, held.key, opts)) return same;
  const hit = await readCache(cacheFile, opts);
  if (hit) {
    remember(cacheFile, hit);
    return hit.model;
  }

  const bundle = await loadBundle(abs, opts);
  const model = compileModel(bundle);
  try {
    // Zips are hashed as one file; plain bundles file by file (paths are relative to the bundle root).
    const files = /\.zip$/i.test(abs) ? [abs] : bundleFiles(abs, bundle.entry, [...bundle.documents.keys()]);
    const withHashes = await Promise.all(files.map(async (file) => ({ file, sha256: sha256(await fs.readFile(file)) })));
    const entry: CacheFile = { formatVersion: MODEL_FORMAT_VERSION, key: cacheKey(withHashes, opts), files: withHashes, model };
    remember(cacheFile, entry);
    await fs.mkdir(dir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(entry));
    await fs.rename(tmp, cacheFile);
  } catch {
    // A read-only folder only costs the next start a compile.
  }
  return model;
}

/** Absolute paths of the bundle's local documents (URLs fetched into it are not watched). */
function bundleFiles(absEntry: string, entry: string, paths: string[]): string[] {
  const root = absEntry.slice(0, absEntry.length - entry.length);
  return paths.filter((p) => !/^https?:\/\//i.test(p)).map((p) => path.join(root, p));
}

/**
 * Models this process already holds, by cache file. Every hot reload rebuilds every API, and
 * reading a large model back from JSON stalls the event loop (≈ 40 ms for a 3 MB WSDL's 7 MB
 * model) while the bridge is serving; when the files still hash the same, the model in memory is
 * the answer. Held weakly: once no API runtime uses a model any more, it can be collected.
 * Sharing is safe because nothing mutates a compiled model.
 */
const inMemory = new Map<string, { key: string; files: CacheFile['files']; model: WeakRef<WsdlModel> }>();

function remember(cacheFile: string, entry: CacheFile): void {
  inMemory.set(cacheFile, { key: entry.key, files: entry.files, model: new WeakRef(entry.model) });
}

/** Whether the listed files still hash to `key` (false when one is gone or unreadable). */
function isCurrent(files: CacheFile['files'], key: string, opts: LoadOptions): boolean {
  try {
    return cacheKey(files.map((f) => ({ file: f.file, sha256: sha256(readFileSync(f.file)) })), opts) === key;
  } catch {
    return false;
  }
}

async function readCache(cacheFile: string, opts: LoadOptions): Promise<CacheFile | undefined> {
  try {
    // Synchronous reads, as in load/stores.ts: a start is CPU-bound, and fs.promises round trips
    // wait behind V8's background threads.
    const parsed = JSON.parse(readFileSync(cacheFile, 'utf8')) as Partial<CacheFile>;
    if (parsed.formatVersion !== MODEL_FORMAT_VERSION || !Array.isArray(parsed.files) || !parsed.model || typeof parsed.key !== 'string') return undefined;
    return isCurrent(parsed.files, parsed.key, opts) ? (parsed as CacheFile) : undefined;
  } catch {
    return undefined;
  }
}
