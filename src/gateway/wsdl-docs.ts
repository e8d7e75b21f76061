import { statSync } from 'node:fs';
import { loadServedBundle, renderServed, type ServedBundle } from '../wsdl/served-docs';
import { BridgeError } from '../errors/bridge-error';
import { RenderedCache, RenderedDoc } from './rendered-doc';

export type DocRequest = { kind: 'entry' } | { kind: 'wsdl' | 'xsd'; index: number };

/** Parses the query of `GET /{context}/{version}?wsdl`, `?wsdl=N`, `?xsd=N` (case-insensitive). */
export function docRequest(query: string): DocRequest | undefined {
  const m = /^(wsdl|xsd)(?:=(\d{1,6}))?$/i.exec(query);
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase() as 'wsdl' | 'xsd';
  if (m[2] === undefined) return kind === 'wsdl' ? { kind: 'entry' } : undefined;
  return { kind, index: Number(m[2]) };
}

/**
 * Bundles at least this large (all their files) are rendered on a worker thread; below it the
 * thread's start-up costs more than the work (the demo Calculator renders in well under 1 ms).
 */
const OFF_THREAD_BYTES = 256 * 1024;

/**
 * The WSDL bundle as clients see it from the bridge: every address points at the bridge, every
 * import at `?wsdl=N` / `?xsd=N`. Loaded and rewritten on the first request (once per WSDL
 * content: reloads keep this object while the files are unchanged), joined once per base URL.
 */
export class WsdlDocs {
  private served?: Promise<ServedBundle>;
  // Kept per base URL and document: see RenderedCache for the bounds (a Host header is the caller's choice).
  private readonly rendered = new RenderedCache();

  /** `sourceFiles`: the bundle's files (the model cache lists them), to size it before loading. */
  constructor(
    private readonly wsdlFile: string,
    private readonly sourceFiles: () => readonly string[] = () => [],
  ) {}

  async get(req: DocRequest, baseUrl: string): Promise<RenderedDoc> {
    // A failed load is not kept: this object outlives hot reloads while the WSDL is unchanged.
    this.served ??= loadServedBundle(this.wsdlFile, { offThread: this.bundleBytes() >= OFF_THREAD_BYTES }).catch((e: unknown) => {
      this.served = undefined;
      throw e;
    });
    const served = await this.served;
    const key = req.kind === 'entry' ? 'wsdl' : `${req.kind}=${req.index}`;
    const parts = Object.hasOwn(served.docs, key) ? served.docs[key] : undefined;
    if (!parts) throw new BridgeError('ROUTE_NOT_FOUND', `no document ?${key} in this API's WSDL`);
    const renderKey = `${baseUrl}|${key}`;
    // The bytes are a function of the bundle's content and the base URL, so is the ETag.
    return this.rendered.get(renderKey, () => new RenderedDoc(renderServed(parts, baseUrl), `${served.digest}|${renderKey}`));
  }

  private bundleBytes(): number {
    const files = this.sourceFiles();
    let bytes = 0;
    for (const f of files.length > 0 ? files : [this.wsdlFile]) {
      try {
        bytes += statSync(f).size;
      } catch {
        // Gone since the model was compiled: the load reports it.
      }
    }
    return bytes;
  }
}
