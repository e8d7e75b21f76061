import { request } from 'undici';
import { WsdlImportError } from '../errors';

const MAX_REDIRECTS = 5;

/**
 * GETs one WSDL/XSD at import time. Both a wall-clock timeout (a server that trickles bytes
 * forever) and a byte cap (a server that sends gigabytes) apply; redirects are followed by hand
 * because undici's `request` does not follow them.
 */
export async function fetchBytes(url: string, opts: { timeoutMs: number; maxBytes: number }): Promise<Uint8Array> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const protocol = new URL(current).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') throw new WsdlImportError(url, `unsupported URL scheme "${protocol}"`);
    const signal = AbortSignal.timeout(opts.timeoutMs);
    try {
      const res = await request(current, {
        method: 'GET',
        signal,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        headers: { accept: 'text/xml, application/xml, application/wsdl+xml, */*;q=0.5' },
      });
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump();
        current = new URL(location, current).href;
        continue;
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new WsdlImportError(url, `HTTP ${res.statusCode} from ${current}`);
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
      return Buffer.concat(chunks);
    } catch (e) {
      if (e instanceof WsdlImportError) throw e;
      const timedOut = signal.aborted || (e instanceof Error && /timeout/i.test(e.name + e.message));
      const why = timedOut ? `no complete answer within ${opts.timeoutMs} ms` : e instanceof Error ? e.message : String(e);
      throw new WsdlImportError(url, `cannot fetch: ${why}`, { cause: e });
    }
  }
  throw new WsdlImportError(url, `more than ${MAX_REDIRECTS} redirects`);
}
