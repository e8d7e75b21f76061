import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import fresh from 'fresh';
import Negotiator from 'negotiator';
import type { BackendResponse } from '../endpoints/endpoint';
import { bufferedResponse } from '../http/buffered-response';
import type { Exchange } from './exchange';

const gzipAsync = promisify(gzip);

/**
 * One rendered document (`?wsdl`, `?xsd=N`, `openapi.json`): its bytes, a strong ETag (so a client
 * that already has it gets a 304), and its gzip encoding, made once on first demand off the event
 * loop (a 3 MB WSDL or OpenAPI document compresses to a tenth; clients fetch them at every start).
 */
export class RenderedDoc {
  readonly body: Buffer;
  readonly etag: string;
  private gzipped?: Promise<Buffer>;

  /** `identity`: what decides the bytes (hashing it can be cheaper than hashing megabytes of them). */
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
 * Rendered documents by key (base URL and document), oldest dropped first. Without a publicUrl
 * the base URL follows the request's Host header, which any caller chooses: an unbounded cache
 * would grow by one copy per distinct Host. A few base URLs (one or two listeners) is the normal
 * case, and a dropped one only costs rendering it again.
 */
export class RenderedCache {
  private readonly docs = new Map<string, RenderedDoc>();

  constructor(
    private readonly maxDocs = 32,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  get(key: string, render: () => RenderedDoc): RenderedDoc {
    let doc = this.docs.get(key);
    if (doc !== undefined) return doc;
    doc = render();
    this.docs.set(key, doc);
    // Oldest first; the newest is always kept, however large.
    for (const k of this.docs.keys()) {
      if (this.docs.size <= 1 || (this.docs.size <= this.maxDocs && this.bytes() <= this.maxBytes)) break;
      this.docs.delete(k);
    }
    return doc;
  }

  get size(): number {
    return this.docs.size;
  }

  private bytes(): number {
    let bytes = 0;
    for (const d of this.docs.values()) bytes += d.body.length;
    return bytes;
  }
}

/** Below this, gzip's header and the CPU are not worth it. */
const MIN_GZIP_BYTES = 1024;

/**
 * A rendered document as the answer: gzip when the client accepts it (zeep, .NET, browsers and
 * Swagger UI do), and 304 for a client that revalidates with the ETag it has (`no-cache`: always
 * asked, sent again only when the document changed). HEAD: Node sends the head only, with the
 * length the GET would have.
 */
export async function renderedResponse(ex: Exchange, doc: RenderedDoc, contentType: string, endpoint: string): Promise<BackendResponse> {
  const gzipped = doc.body.length >= MIN_GZIP_BYTES && new Negotiator(ex.req).encoding(['gzip', 'identity']) === 'gzip';
  const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': 'no-cache', vary: 'accept-encoding', etag: gzipped ? doc.gzipEtag : doc.etag };
  if (fresh(ex.req.headers, headers)) return bufferedResponse(304, headers, null, endpoint);
  if (!gzipped) return bufferedResponse(200, headers, doc.body, endpoint);
  return bufferedResponse(200, { ...headers, 'content-encoding': 'gzip' }, await doc.gzip(), endpoint);
}
