import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { loadBundle, rewriteDocument, bundleDocIndex, type WsdlBundle } from '../wsdl/index';
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
 * Rewritten documents kept per WSDL. Without a publicUrl the base URL follows the request's Host
 * header, which any caller chooses: an unbounded cache would grow by one rewritten copy of the
 * document per distinct Host. A few base URLs (one or two listeners) is the normal case.
 */
const MAX_RENDERED = 32;

const gzipAsync = promisify(gzip);

/**
 * The WSDL bundle as clients see it from the bridge: every address points at the bridge, every
 * import at `?wsdl=N` / `?xsd=N`. Loaded on first request and rewritten once per base URL.
 */
/**
 * One rendered document: its bytes, a strong ETag (so a client that already has it gets a 304),
 * and its gzip encoding, made once on first demand off the event loop (a 3 MB WSDL compresses to
 * a tenth; clients load `?wsdl` at every start).
 */
export class RenderedDoc {
  readonly body: Buffer;
  readonly etag: string;
  private gzipped?: Promise<Buffer>;

  constructor(text: string) {
    this.body = Buffer.from(text, 'utf8');
    this.etag = `"${createHash('sha256').update(this.body).digest('base64url').slice(0, 27)}"`;
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

export class WsdlDocs {
  private bundle?: Promise<WsdlBundle>;
  private readonly rendered = new Map<string, RenderedDoc>();

  constructor(private readonly wsdlFile: string) {}

  async get(req: DocRequest, baseUrl: string): Promise<RenderedDoc> {
    // A failed load is not kept: this object outlives hot reloads while the WSDL is unchanged.
    this.bundle ??= loadBundle(this.wsdlFile, { remoteImports: 'skip' }).catch((e: unknown) => {
      this.bundle = undefined;
      throw e;
    });
    const bundle = await this.bundle;
    const index = bundleDocIndex(bundle);
    let path: string | undefined = bundle.entry;
    if (req.kind !== 'entry') {
      path = [...index.entries()].find(([p, n]) => n === req.index && bundle.documents.get(p)?.kind === req.kind)?.[0];
      if (!path) throw new BridgeError('ROUTE_NOT_FOUND', `no ${req.kind} document ${req.index} in this API's WSDL`);
    }
    const key = `${baseUrl}|${path}`;
    let rendered = this.rendered.get(key);
    if (rendered === undefined) {
      const doc = bundle.documents.get(path)!;
      const text = rewriteDocument(doc, bundle, {
        baseUrl,
        docUrl: (target) => {
          if (target === bundle.entry) return `${baseUrl}?wsdl`;
          const d = bundle.documents.get(target);
          return `${baseUrl}?${d?.kind ?? 'xsd'}=${index.get(target) ?? 0}`;
        },
      });
      rendered = new RenderedDoc(text);
      if (this.rendered.size >= MAX_RENDERED) this.rendered.delete(this.rendered.keys().next().value!);
      this.rendered.set(key, rendered);
    }
    return rendered;
  }
}
