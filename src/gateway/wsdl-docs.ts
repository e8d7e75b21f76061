import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { loadServedBundle, renderServed, type ServedBundle } from '../wsdl/served-docs';
import { BridgeError } from '../errors/bridge-error';

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
 * Rendered documents kept per WSDL, oldest dropped first. Without a publicUrl the base URL follows
 * the request's Host header, which any caller chooses: an unbounded cache would grow by one copy
 * of the document per distinct Host. A few base URLs (one or two listeners) is the normal case,
 * and a dropped one costs only a join of the rewritten document's parts to make again.
 */
const MAX_RENDERED = 32;
const MAX_RENDERED_BYTES = 32 * 1024 * 1024;

const gzipAsync = promisify(gzip);

/**
 * One rendered document: its bytes, a strong ETag (so a client that already has it gets a 304),
 * and its gzip encoding, made once on first demand off the event loop (a 3 MB WSDL compresses to
 * a tenth; clients load `?wsdl` at every start).
 */
export class RenderedDoc {
  readonly body: Buffer;
  readonly etag: string;
  private gzipped?: Promise<Buffer>;

  /** `identity`: what decides the bytes (hashing it is cheaper than hashing megabytes of them). */
  constructor(text: string, identity: string) {
    this.body = Buffer.from(text, 'utf8');
    this.etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  }

  /** The gzip representation; its ETag is `gzipEtag` (a different representation, a different tag). */
  gzip(): Promise<Buffer> {
    this.gzipped ??= gzipAsync(this.body);
    return this.gzipped;
  }

  get gzipEtag(): string {
    return `${this.etag.slice(0, -1)}-gz"`;
  }
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
  private readonly rendered = new Map<string, RenderedDoc>();

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
    let rendered = this.rendered.get(renderKey);
    if (rendered === undefined) {
      // The bytes are a function of the bundle's content and the base URL, so is the ETag.
      rendered = new RenderedDoc(renderServed(parts, baseUrl), `${served.digest}|${renderKey}`);
      this.rendered.set(renderKey, rendered);
      // Oldest first; the newest is always kept, however large.
      for (const k of this.rendered.keys()) {
        if (this.rendered.size <= 1 || (this.rendered.size <= MAX_RENDERED && this.renderedBytes() <= MAX_RENDERED_BYTES)) break;
        this.rendered.delete(k);
      }
    }
    return rendered;
  }

  private renderedBytes(): number {
    let bytes = 0;
    for (const r of this.rendered.values()) bytes += r.body.length;
    return bytes;
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
