import type { HopFetcher } from './fetch-url';
import type { ReferenceKind } from './references';

export interface LoadOptions {
  /** Per-request timeout for http(s) documents (import time only). Default 10 s. */
  fetchTimeoutMs?: number;
  /** Size cap per document in bytes. Default 16 MiB. */
  maxBytes?: number;
  /** Size cap for the whole bundle (and for what a .zip may expand to). Default 64 MiB. */
  maxTotalBytes?: number;
  /** Cap on the number of documents. Default 1000. */
  maxDocuments?: number;
  /**
   * Absolute-URL imports other than the built-in well-known schemas: `fetch` them, `refuse` the
   * import with an error naming the file and location, or `skip` them (recorded in
   * `bundle.skipped`; references into them become opaque). Default: `fetch` when the source is
   * a URL, else `refuse`.
   */
  remoteImports?: 'fetch' | 'refuse' | 'skip';
  onProgress?: (msg: string) => void;
  /**
   * Sends each GET of a remote document (one per redirect hop); default: a plain request. The
   * importer passes one that authenticates to the source's own origin (`soapbridge import --user`).
   */
  fetchHop?: HopFetcher;
}

export interface BundleDocument {
  /** Bundle-relative path (POSIX separators), or the URL of a document fetched from elsewhere. */
  path: string;
  kind: 'wsdl' | 'xsd';
  text: string;
  /** Every loaded reference: `location` as written in the text, `target` a bundle path. */
  imports: { location: string; target: string }[];
}

export interface WsdlBundle {
  /** Bundle-relative path of the entry WSDL. */
  entry: string;
  /** What the user gave (file name, archive name or URL), for messages. */
  source: string;
  /** Keyed by `path`. */
  documents: Map<string, BundleDocument>;
  /** Remote imports left out under `remoteImports: 'skip'`. */
  skipped: { from: string; location: string; namespace: string | null }[];
  /**
   * Relative references whose target does not exist; `file` is where it was looked for (absolute,
   * local folders only), so a cached model goes stale once the file is put there.
   */
  missing: { from: string; location: string; kind: ReferenceKind; file?: string }[];
  /** The JAX-WS catalog that import locations were resolved through (absolute; folder bundles only). */
  catalog?: string;
}
