import type { Readable } from 'node:stream';
import { request } from 'undici';
import { WsdlImportError } from '../errors';
import { parseMediaType } from '../../soap/media-type';
import { toUtf8ByCharset } from '../xml/decode-xml';

const MAX_REDIRECTS = 5;

/** The server answered 404 or 410: the document does not exist (an import may be missing, like a file). */
export class DocumentNotFound extends WsdlImportError {}

/** One hop's answer: what fetchBytes reads (status, headers, a body it consumes or dumps). */
export interface HopResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Readable;
}

/** Sends one GET (no redirect following); see LoadOptions.fetchHop. */
export type HopFetcher = (url: string, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number) => Promise<HopResponse>;

/** The default hop: an anonymous GET. */
export const plainHop: HopFetcher = (url, headers, signal, timeoutMs) => request(url, { method: 'GET', signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, headers });

/**
 * GETs one WSDL/XSD at import time. Both a wall-clock timeout (a server that trickles bytes
 * forever) and a byte cap (a server that sends gigabytes) apply; redirects are followed by hand
 * because undici's `request` does not follow them.
 * A document that does not declare its encoding is returned as UTF-8 by the HTTP charset.
 */
export async function fetchBytes(url: string, opts: { timeoutMs: number; maxBytes: number; hop?: HopFetcher }): Promise<Uint8Array> {
  const send = opts.hop ?? plainHop;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const protocol = new URL(current).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') throw new WsdlImportError(url, `unsupported URL scheme "${protocol}"`);
    const signal = AbortSignal.timeout(opts.timeoutMs);
    try {
      const res = await send(current, { accept: 'text/xml, application/xml, application/wsdl+xml, */*;q=0.5' }, signal, opts.timeoutMs);
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        dropBody(res.body);
        current = new URL(location, current).href;
        continue;
      }
      if (res.statusCode !== 200) {
        dropBody(res.body);
        const hint = res.statusCode === 401 ? ' (the server wants credentials: soapbridge import --user, or "auth" in POST /import)' : '';
        const error = res.statusCode === 404 || res.statusCode === 410 ? DocumentNotFound : WsdlImportError;
        throw new error(url, `HTTP ${res.statusCode} from ${current}${hint}`);
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > opts.maxBytes) {
        res.body.destroy();
        throw new WsdlImportError(url, `document is ${declared} bytes, over the ${opts.maxBytes}-byte limit`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        total += buf.length;
        if (total > opts.maxBytes) {
          res.body.destroy();
          throw new WsdlImportError(url, `document exceeds the ${opts.maxBytes}-byte limit`);
        }
        chunks.push(buf);
      }
      const type = res.headers['content-type'];
      const media = typeof type === 'string' ? parseMediaType(type) : undefined;
      const bytes = Buffer.concat(chunks);
      const page = notADescription(media?.essence, bytes);
      if (page) {
        const where = current === url ? '' : ` (redirected to ${current})`;
        throw new WsdlImportError(url, `the server answered ${page}${where}, not a WSDL or XSD: a login or error page? (a source behind authentication: soapbridge import --user, or "auth" in POST /import)`);
      }
      return toUtf8ByCharset(bytes, media?.params.get('charset'));
    } catch (e) {
      if (e instanceof WsdlImportError) throw e;
      const timedOut = signal.aborted || (e instanceof Error && /timeout/i.test(e.name + e.message));
      const why = timedOut ? `no complete answer within ${opts.timeoutMs} ms` : e instanceof Error ? e.message : String(e);
      throw new WsdlImportError(url, `cannot fetch: ${why}`, { cause: e });
    }
  }
  throw new WsdlImportError(url, `more than ${MAX_REDIRECTS} redirects`);
}

/**
 * An answer that is plainly not XML markup: an HTML page (single sign-on redirects, portals and
 * error pages answer 200 with one) or JSON. Judged by its first bytes, with the Content-Type only
 * naming it: a WSDL served with a wrong type still imports, and an HTML page would otherwise
 * be refused for its DOCTYPE, which says nothing of what happened.
 */
function notADescription(essence: string | undefined, bytes: Buffer): string | undefined {
  // Read as latin1, a UTF-8 byte order mark is these three characters.
  const head = bytes.subarray(0, 512).toString('latin1').replace(/^\xEF\xBB\xBF/, '').trimStart();
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html)[\s>]/i.test(head)) return `an HTML page${essence ? ` (${essence})` : ''}`;
  if (/^[{[]/.test(head) && essence !== undefined && /json/.test(essence)) return `JSON (${essence})`;
  return undefined;
}

/** Closes a body we do not read (a redirect's, an error page): its abort error is expected. */
function dropBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
