import { createHash, randomBytes } from 'node:crypto';
import { moduleEntry } from '../threads/module-worker';
import { runInWorker } from '../threads/run-in-worker';
import { loadBundle } from './load/load-bundle';
import type { WsdlBundle } from './load/types';
import { bundleDocIndex, escapeAttr, httpLocationsRelative, rewriteDocument } from './rewrite';

/**
 * A bundle's documents as the bridge serves them, made once per WSDL content and independent of
 * the base URL: each document is rewritten with a placeholder where the bridge's URL goes and
 * split there, so serving it for a base URL (one per Host header without publicUrl) is a join,
 * not another parse and rewrite of a document that may be megabytes long.
 */
export interface ServedBundle {
  /** By query: `wsdl` (the entry), `wsdl=N`, `xsd=N`. */
  docs: Record<string, string[]>;
  /** Of every document's parts: with the base URL, it decides the bytes served (the ETag's input). */
  digest: string;
}

/**
 * Random per process (and per worker thread: the split happens where it was made), so no WSDL can
 * contain it by chance or by design; only URL-safe characters, so escaping leaves it as it is.
 */
const BASE = `urn:soapbridge-base-${randomBytes(12).toString('hex')}`;

const WORKER = moduleEntry(__dirname, __filename, 'served-docs-worker');

/**
 * The served bundle of the WSDL at `wsdlFile`. `offThread`: load, parse and rewrite on a worker
 * thread (a serving bridge: a 3 MB WSDL's first `?wsdl` took 140 ms of its event loop).
 */
export function loadServedBundle(wsdlFile: string, opts: { offThread?: boolean } = {}): Promise<ServedBundle> {
  if (opts.offThread) return runInWorker<string, ServedBundle>(WORKER, wsdlFile, { file: wsdlFile });
  return loadBundle(wsdlFile, { remoteImports: 'skip' }).then(servedBundle);
}

export function servedBundle(bundle: WsdlBundle): ServedBundle {
  const index = bundleDocIndex(bundle);
  // A document's query is both its key here and its URL in the others (rewriteDocument asks only for documents of the bundle).
  const queryOf = (path: string): string => (path === bundle.entry ? 'wsdl' : `${bundle.documents.get(path)!.kind}=${index.get(path)}`);
  const docs: Record<string, string[]> = {};
  const hash = createHash('sha256');
  const httpBaseUrl = httpLocationsRelative(bundle) ? `${BASE}/` : BASE;
  for (const [path, doc] of bundle.documents) {
    const key = queryOf(path);
    const parts = rewriteDocument(doc, bundle, { baseUrl: BASE, httpBaseUrl, docUrl: (target) => `${BASE}?${queryOf(target)}` }).split(BASE);
    docs[key] = parts;
    hash.update(`${key}\0${parts.length}\0`);
    for (const p of parts) hash.update(p).update('\0');
  }
  return { docs, digest: hash.digest('base64url') };
}

/** The document `parts` served with `baseUrl` (attribute-escaped, as rewriteDocument writes it). */
export function renderServed(parts: readonly string[], baseUrl: string): string {
  return parts.join(escapeAttr(baseUrl));
}
