import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadBundle, compileModel, isCallableAddress, isHttpUrl, summarize, rewriteDocument, seedCache, SERVED_WSDL_OPTIONS, type BundleDocument, type LoadOptions, type WsdlBundle, type WsdlModel } from '../wsdl/index';
import { cachedTree, rememberTrees } from '../wsdl/load/tree-cache';
import type { XmlElement } from '../wsdl/xml/xml-element';
import type { BridgeConfig } from '../config/schema';
import { ApiStore } from '../config/api-store';
import { BridgeError } from '../errors/bridge-error';
import { moduleEntry } from '../threads/module-worker';
import { runInWorker } from '../threads/run-in-worker';
import { sourceHop, splitUserinfo, type SourceAuth } from './source-access';
import type { TlsConfig } from '../config/endpoint-schema';
import { DEFAULT_FETCH_TIMEOUT_MS } from '../wsdl/load/load-bundle';

export interface ImportRequest {
  readonly source: string;
  readonly name: string;
  readonly context?: string;
  readonly version?: string;
  /** Replace an existing API of that name (and its copied WSDL folder). */
  readonly force?: boolean;
  /** Folder the bundle goes to (default: `wsdl/` beside the config folder). */
  readonly wsdlRoot?: string;
  readonly onProgress?: (msg: string) => void;
  /**
   * Load and compile on a worker thread: for a bridge that is serving (the admin API), whose
   * event loop would otherwise stall for the whole compile of a large WSDL.
   */
  readonly offThread?: boolean;
  /**
   * Credentials for a source URL (also taken from `https://user:pass@host/…`): sent to that
   * URL's origin only, never written anywhere.
   */
  readonly auth?: SourceAuth;
  /** TLS settings for a source URL (private CA, client certificate): that URL's origin only. */
  readonly tls?: TlsConfig;
  /** Loader limits (fetch timeout, size caps); remote imports are always fetched. */
  readonly limits?: Pick<LoadOptions, 'fetchTimeoutMs' | 'maxBytes' | 'maxTotalBytes' | 'maxDocuments'>;
}

export interface ImportResult {
  readonly summary: string;
  readonly apiFile: string;
  readonly entry: string;
  readonly documents: number;
  readonly soapPorts: number;
}

/**
 * `soapbridge import` and the admin API's `POST /import` share this: load the bundle (remote
 * imports fetched now and stored locally), compile it (so a broken WSDL is refused before
 * anything is written), copy it under `wsdl/NAME/`, then write the API file through ApiStore.
 *
 * Nothing is written outside `wsdl/NAME/` and the API file, and nothing at all when the import is
 * refused: the copy is staged in a hidden sibling folder and swapped in only once it is complete;
 * if the API file is then refused (a context clash, …) the previous folder comes back.
 * Without `force` an existing API of that name is refused before the WSDL is even loaded; with
 * it, `wsdl/NAME/` is replaced as a whole (no stale documents from the previous import).
 */
export async function importApi(req: ImportRequest, config: BridgeConfig): Promise<ImportResult> {
  const progress = req.onProgress ?? ((): void => undefined);
  const store = new ApiStore(() => config);
  const apiFile = store.fileOf(req.name); // validates the name: it becomes a folder name too
  const exists = existsSync(apiFile);
  if (exists && !req.force) throw new BridgeError('BAD_REQUEST', `API "${req.name}" already exists (use --force to replace it)`, { status: 409 });

  const wsdlRoot = req.wsdlRoot ?? path.resolve(config.baseDir, '..', 'wsdl');
  const wsdlDir = path.join(wsdlRoot, req.name);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = path.join(wsdlRoot, `.${req.name}.import-${tag}`);
  const backup = path.join(wsdlRoot, `.${req.name}.previous-${tag}`);
  const { source, auth } = splitUserinfo(req.source, req.auth);
  const job: PrepareJob = { source, staging, wsdlDir, ...(req.limits ? { limits: req.limits } : {}), ...(auth ? { auth } : {}), ...(req.tls ? { tls: req.tls } : {}) };
  let prepared: Prepared;
  try {
    prepared = req.offThread ? await runInWorker<PrepareJob, Prepared>(PREPARE_WORKER, job, { onProgress: progress, file: job.source }) : await prepareImport(job, progress);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const entry = path.join(wsdlDir, path.relative(staging, prepared.stagedEntry));
  const hadDir = existsSync(wsdlDir);
  if (hadDir) renameSync(wsdlDir, backup);
  renameSync(staging, wsdlDir);

  const definition = {
    name: req.name,
    context: req.context ?? `/${req.name}`,
    version: req.version ?? 'v1',
    state: 'PUBLISHED',
    wsdl: path.relative(path.dirname(apiFile), entry).split(path.sep).join('/'),
    expose: { soap: true },
    endpoints: { production: prepared.soapPorts > 0 ? { type: 'wsdl' } : { type: 'soap', url: 'http://CHANGE-ME.invalid/service' } },
  };
  try {
    store.write(req.name, definition, exists ? 'replace' : 'create');
  } catch (e) {
    rmSync(wsdlDir, { recursive: true, force: true });
    if (hadDir) renameSync(backup, wsdlDir);
    throw e;
  }
  if (hadDir) rmSync(backup, { recursive: true, force: true });
  progress(`wrote ${apiFile}`);
  return { summary: prepared.summary, apiFile, entry, documents: prepared.documents, soapPorts: prepared.soapPorts };
}

const PREPARE_WORKER = moduleEntry(__dirname, __filename, 'prepare-worker');

/** What prepareImport needs: plain data, so it can be sent to a worker thread. */
export interface PrepareJob {
  readonly source: string;
  /** Folder the bundle is written to (created; the caller removes it on failure). */
  readonly staging: string;
  /** Where the bundle will live once swapped in (named in progress messages). */
  readonly wsdlDir: string;
  readonly limits?: ImportRequest['limits'];
  readonly auth?: SourceAuth;
  readonly tls?: TlsConfig;
}

interface Prepared {
  readonly summary: string;
  readonly soapPorts: number;
  readonly documents: number;
  readonly stagedEntry: string;
}

/**
 * The CPU-heavy half of an import: load the bundle (remote imports fetched now and stored
 * locally), compile it (so a broken WSDL is refused before anything is swapped in), write the
 * copy to the staging folder. Touches nothing but `staging`.
 */
export async function prepareImport(job: PrepareJob, progress: (msg: string) => void): Promise<Prepared> {
  progress(`reading ${job.source}`);
  const started = Date.now();
  const access = (job.auth || job.tls) && isHttpUrl(job.source) ? sourceHop(job.source, job, job.limits?.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS) : undefined;
  let bundle: WsdlBundle;
  try {
    bundle = await loadBundle(job.source, { ...job.limits, remoteImports: 'fetch', onProgress: progress, ...(access ? { fetchHop: access.hop } : {}) });
  } finally {
    await access?.close();
  }
  progress(`compiling ${bundle.documents.size} document(s)`);
  const model = compileModel(bundle);
  progress(`compiled ${model.operations.length} operation(s) in ${Date.now() - started} ms`);
  progress(`writing ${bundle.documents.size} document(s) to ${job.wsdlDir}`);
  const copy = writeBundle(bundle, job.staging, job.wsdlDir);
  // Store the copy's model as its cache, so the first start (or the admin API's reload) reads it
  // instead of loading and compiling the copy. A copy that is the source byte for byte under the
  // same relative names compiles to this very model; one whose names or import locations changed
  // (a URL source: `Service.svc?xsd=xsd0` → `Service.svc_xsd_xsd0.xsd`) is compiled once more
  // under its own names, from the trees already parsed. Not with a missing import: the copy
  // would look for it elsewhere than the source did.
  const seedable = bundle.missing.length === 0 && bundle.skipped.length === 0;
  const copyModel = !seedable ? undefined : copy.same ? model : copy.bundle && compiledCopy(copy.bundle);
  if (copyModel) await seedCache(copy.entry, copy.files, copyModel, SERVED_WSDL_OPTIONS, { finalRoot: job.wsdlDir, stagedRoot: job.staging });
  const stagedEntry = path.join(job.staging, path.relative(job.wsdlDir, copy.entry));
  // Ports a `wsdl` endpoint can take its backend from (placeholders like "FOO" or jms: do not count).
  const soapPorts = model.services.flatMap((s) => s.ports.filter((p) => p.soapVersion && p.address && isCallableAddress(p.address))).length;
  return { summary: summarize(model), soapPorts, documents: bundle.documents.size, stagedEntry };
}

/** The copy's model, or undefined if it does not compile (a cache is a bonus: the first start then says why). */
function compiledCopy(copy: WsdlBundle): WsdlModel | undefined {
  try {
    return compileModel(copy);
  } catch {
    return undefined;
  }
}

/**
 * Writes every document under `dir` (which becomes `finalDir`); answers the entry's final path,
 * every file's final path and bytes, whether the copy is the source as it was loaded (same
 * relative names, same text, nothing skipped or missing), and the copy as a bundle to compile
 * (undefined if the source's trees are not at hand). Local documents keep their relative layout
 * and the import locations that lead to their copies (`./types.xsd`); documents of other hosts
 * go to `remote/HOST/…`; query-string URLs (`Service.svc?xsd=xsd0`) become plain file names
 * (`Service.svc_xsd_xsd0.xsd`). Every other import location is then rewritten to the relative
 * path of the local copy, so the folder loads offline.
 */
function writeBundle(bundle: WsdlBundle, dir: string, finalDir: string): { entry: string; files: { file: string; bytes: Buffer }[]; same: boolean; bundle: WsdlBundle | undefined } {
  const local = localNames(bundle);
  const files: { file: string; bytes: Buffer }[] = [];
  const documents = new Map<string, BundleDocument>();
  const trees = new Map<string, XmlElement>();
  let same = bundle.skipped.length === 0 && bundle.missing.length === 0;
  for (const [p, doc] of bundle.documents) {
    const name = local.get(p) as string;
    const file = path.join(dir, name);
    const from = path.posix.dirname(name);
    const text = rewriteDocument(doc, bundle, { docUrl: (target, location) => localLocation(from, location, local.get(target) as string) });
    same &&= name === p && text === doc.text;
    const bytes = Buffer.from(text, 'utf8');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    files.push({ file: path.join(finalDir, name), bytes });
    // The copy as a bundle of its own, over the source's trees: the rewrite only changes
    // attribute values in place (never a line), and the imports keep the locations those trees
    // hold, now leading to the copies' names.
    documents.set(name, { path: name, kind: doc.kind, text, imports: doc.imports.map((i) => ({ location: i.location, target: local.get(i.target) ?? i.target })) });
    const tree = cachedTree(bundle, p);
    if (tree) trees.set(name, tree);
  }
  const entry = path.join(finalDir, local.get(bundle.entry) as string);
  // Parsing the rewritten texts would pair them with the source's locations: trees or nothing.
  if (trees.size !== documents.size) return { entry, files, same, bundle: undefined };
  const copy: WsdlBundle = { entry: local.get(bundle.entry) as string, source: entry, documents, skipped: [], missing: [] };
  rememberTrees(copy, trees);
  return { entry, files, same, bundle: copy };
}

/**
 * The location a copied document gives an import: the one it wrote when that already leads to
 * the copy (`./types.xsd`, `../common/x.xsd`: the file stays byte-identical, so the import can
 * seed its cache), else the relative path of the copy.
 */
function localLocation(fromDir: string, location: string, copy: string): string {
  const plain = !/^[a-z][a-z0-9+.-]*:|^\/|[?#%\\]/i.test(location);
  return plain && path.posix.normalize(path.posix.join(fromDir, location)) === copy ? location : path.posix.relative(fromDir, copy);
}

/** Bundle path → safe relative file name (POSIX), unique case-insensitively. */
function localNames(bundle: WsdlBundle): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  // The entry first, so it keeps the plainest name.
  const paths = [bundle.entry, ...[...bundle.documents.keys()].filter((p) => p !== bundle.entry)];
  for (const p of paths) {
    const doc = bundle.documents.get(p);
    const wanted = safeName(p, doc?.kind ?? 'xsd');
    let name = wanted;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = wanted.replace(/(\.[A-Za-z0-9]+)?$/, (ext) => `-${i}${ext}`);
    taken.add(name.toLowerCase());
    out.set(p, name);
  }
  return out;
}

const SEGMENT_UNSAFE = /[^A-Za-z0-9._-]/g;

function safeName(p: string, kind: 'wsdl' | 'xsd'): string {
  let pathPart = p;
  let prefix: string[] = [];
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(p);
  let query = '';
  if (url) {
    prefix = ['remote', (url[1] ?? 'host').replace(/:/g, '_')];
    pathPart = url[2] || '/index';
    query = (url[3] ?? '').slice(1);
  } else {
    const q = p.indexOf('?');
    if (q >= 0) {
      query = p.slice(q + 1);
      pathPart = p.slice(0, q);
    }
  }
  const segments = [...prefix, ...pathPart.split(/[\\/]+/)]
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '_' : s.replace(SEGMENT_UNSAFE, '_').replace(/^\.+/, '_')));
  if (segments.length === 0) segments.push('index');
  let last = segments.pop() as string;
  if (query) last = `${last}_${query.replace(SEGMENT_UNSAFE, '_')}`;
  if (!/\.(wsdl|xsd|xml)$/i.test(last) || query) last = `${last}.${kind}`;
  // Keep file names short enough for every filesystem.
  if (last.length > 120) last = `${last.slice(0, 100)}-${last.length}.${kind}`;
  return [...segments, last].join('/');
}
