import * as path from 'node:path';
import { isKnownLocation, isKnownNamespace } from '../builtin/known-namespaces';
import { WsdlImportError } from '../errors';
import { NS } from '../qname';
import { decodeXml, parseXml, type XmlElement } from '../xml/parse-xml';
import { parseCatalog, type Catalog } from './catalog';
import { findReferences, isAbsoluteUrl, type ReferenceKind } from './references';
import { isUrlKey, openStore, type DocumentStore } from './stores';
import { rememberTrees } from './tree-cache';
import type { BundleDocument, LoadOptions, WsdlBundle } from './types';

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
const DEFAULTS = { fetchTimeoutMs: DEFAULT_FETCH_TIMEOUT_MS, maxBytes: 16 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxDocuments: 1000 };

interface Loaded {
  key: string;
  kind: 'wsdl' | 'xsd';
  text: string;
  root: XmlElement;
  refs: { location: string; targetKey: string; kind: ReferenceKind }[];
}

/**
 * Loads a WSDL with everything it imports into memory.
 *
 * @example const bundle = await loadBundle('wsdl/Calculator.wsdl'); // or an http(s) URL, or a .zip
 *
 * Each document is read once (keyed by its resolved path or URL), so import cycles terminate.
 * Well-known schemas (SOAP encoding, xml.xsd, xmime, …) are never fetched. Other absolute
 * locations are fetched only when the source is itself a URL or `remoteImports: 'fetch'`;
 * `'skip'` leaves them out and records them in `bundle.skipped`.
 */
export async function loadBundle(source: string, opts: LoadOptions = {}): Promise<WsdlBundle> {
  const limits = {
    fetchTimeoutMs: opts.fetchTimeoutMs ?? DEFAULTS.fetchTimeoutMs,
    maxBytes: opts.maxBytes ?? DEFAULTS.maxBytes,
    maxTotalBytes: opts.maxTotalBytes ?? Math.max(DEFAULTS.maxTotalBytes, 4 * (opts.maxBytes ?? 0)),
    fetchHop: opts.fetchHop,
  };
  const maxDocuments = opts.maxDocuments ?? DEFAULTS.maxDocuments;
  const store = await openStore(source, limits);
  const remote = opts.remoteImports ?? (store.isUrl ? 'fetch' : 'refuse');
  const progress = opts.onProgress ?? ((): void => undefined);
  try {
    const catalog = store.isUrl ? undefined : await findCatalog(store);
    const loaded = new Map<string, Loaded>();
    const skipped: WsdlBundle['skipped'] = [];
    let totalBytes = 0;
    const queue: string[] = [store.entryKey];
    const queued = new Set(queue);
    while (queue.length > 0) {
      const key = queue.shift() as string;
      const bytes = await store.read(key);
      if (bytes === null) {
        if (key === store.entryKey) throw new WsdlImportError(store.label, 'file not found');
        continue; // recorded as missing by whoever referenced it
      }
      totalBytes += bytes.length;
      if (totalBytes > limits.maxTotalBytes) throw new WsdlImportError(store.label, `bundle exceeds ${limits.maxTotalBytes} bytes`);
      const file = displayName(key, store);
      const text = decodeXml(bytes);
      const root = parseXml(text, file);
      const doc: Loaded = { key, kind: root.ns === NS.xsd && root.local === 'schema' ? 'xsd' : 'wsdl', text, root, refs: [] };
      loaded.set(key, doc);
      progress(`loaded ${file} (${Math.ceil(bytes.length / 1024)} KiB)`);
      for (const ref of findReferences(root)) {
        const loc = ref.location.trim();
        if (!loc) continue; // namespace-only xsd:import: resolved against the bundle at compile time
        const targetKey = catalogTarget(catalog, loc, store) ?? store.resolve(key, loc);
        // Well-known schemas are never fetched, but a document of the bundle's own server is
        // followed whatever namespace its import claims (a served bundle's locations are absolute).
        if (isKnownLocation(loc) || (isAbsoluteUrl(loc) && ref.namespace !== undefined && isKnownNamespace(ref.namespace) && !sameOrigin(key, targetKey))) continue;
        // A URL reached from a local bundle is "remote"; a URL bundle fetches its relatives anyway.
        if (isUrlKey(targetKey) && !store.isUrl && remote !== 'fetch') {
          if (remote === 'refuse') {
            throw new WsdlImportError(file, `${ref.kind} of remote location "${loc}" refused: remote documents are fetched only when importing from a URL (or with remoteImports: 'fetch')`);
          }
          skipped.push({ from: key, location: loc, namespace: ref.namespace ?? null });
          continue;
        }
        if (key === targetKey) continue;
        doc.refs.push({ location: ref.location, targetKey, kind: ref.kind });
        if (!queued.has(targetKey)) {
          if (queued.size >= maxDocuments) throw new WsdlImportError(file, `more than ${maxDocuments} documents in the bundle`);
          queued.add(targetKey);
          queue.push(targetKey);
        }
      }
    }
    return finish(store, loaded, skipped, catalog?.key);
  } finally {
    store.close();
  }
}

/** JAX-WS tools resolve import locations through META-INF/jax-ws-catalog.xml; so do we. */
async function findCatalog(store: DocumentStore): Promise<{ key: string; catalog: Catalog } | undefined> {
  let dir = store.entryKey;
  for (let i = 0; i < 5; i++) {
    const parent = path.posix.dirname(dir);
    const key = parent === '.' ? 'META-INF/jax-ws-catalog.xml' : path.posix.join(parent, 'META-INF/jax-ws-catalog.xml');
    const bytes = await store.read(key).catch(() => null);
    if (bytes) return { key, catalog: parseCatalog(bytes, displayName(key, store)) };
    if (parent === dir || parent === '.' || parent === '/') return undefined;
    dir = parent;
  }
  return undefined;
}

function catalogTarget(found: { key: string; catalog: Catalog } | undefined, loc: string, store: DocumentStore): string | undefined {
  const mapped = found?.catalog.map(loc);
  return mapped === undefined || !found ? undefined : store.resolve(found.key, mapped);
}

/** A file of a folder bundle: its key is an absolute path (a zip's keys are entry names, and the zip is one file). */
function isFolderKey(key: string): boolean {
  return !isUrlKey(key) && path.isAbsolute(key);
}

function displayName(key: string, store: DocumentStore): string {
  if (isUrlKey(key) || !path.isAbsolute(key)) return key;
  return path.relative(path.dirname(store.entryKey), key) || path.basename(key);
}

/** Turns keys into bundle-relative paths (relative to the deepest folder holding every file). */
function finish(store: DocumentStore, loaded: Map<string, Loaded>, skipped: WsdlBundle['skipped'], catalog: string | undefined): WsdlBundle {
  const toPath = pathMapper([...loaded.keys()], store.entryKey);
  const documents = new Map<string, BundleDocument>();
  const trees = new Map<string, XmlElement>();
  for (const doc of loaded.values()) {
    const p = toPath(doc.key);
    const imports = doc.refs.filter((r) => loaded.has(r.targetKey)).map((r) => ({ location: r.location, target: toPath(r.targetKey) }));
    documents.set(p, { path: p, kind: doc.kind, text: doc.text, imports });
    trees.set(p, doc.root);
  }
  const bundle: WsdlBundle = {
    entry: toPath(store.entryKey),
    source: store.label,
    documents,
    skipped: skipped.map((s) => ({ ...s, from: toPath(s.from) })),
    missing: [...loaded.values()].flatMap((d) =>
      d.refs
        .filter((r) => !loaded.has(r.targetKey))
        .map((r) => ({ from: toPath(d.key), location: r.location, kind: r.kind, ...(isFolderKey(r.targetKey) ? { file: r.targetKey } : {}) })),
    ),
    ...(catalog !== undefined && isFolderKey(catalog) ? { catalog } : {}),
  };
  rememberTrees(bundle, trees);
  return bundle;
}

function pathMapper(keys: string[], entryKey: string): (key: string) => string {
  const local = keys.filter((k) => !isUrlKey(k));
  if (local.length > 0) {
    let root = path.posix.dirname(local[0] as string);
    for (const k of local) while (!k.startsWith(root === '.' ? '' : `${root.replace(/\/$/, '')}/`) && root !== '.' && root !== '/') root = path.posix.dirname(root);
    const prefix = root === '.' ? '' : `${root.replace(/\/$/, '')}/`;
    return (k) => (isUrlKey(k) ? k : k.slice(prefix.length));
  }
  // URL bundle: paths relative to the entry's folder when below it, else the full URL.
  const base = new URL('.', entryKey);
  return (k) => {
    const u = new URL(k);
    if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname)) return k;
    return u.pathname.slice(base.pathname.length) + u.search;
  };
}

function sameOrigin(a: string, b: string): boolean {
  return isUrlKey(a) && isUrlKey(b) && new URL(a).origin === new URL(b).origin;
}
