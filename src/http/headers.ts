import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 connection-specific headers, plus the ones Node/undici manage themselves. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  // Node already answered the client's `Expect: 100-continue`; undici refuses to send the header
  // (UND_ERR_NOT_SUPPORTED), which failed the call and suspended a healthy backend.
  'expect',
]);

export type HeaderMap = Record<string, string | string[]>;

/**
 * Copies end-to-end headers: drops hop-by-hop ones and any named in `Connection`.
 * `content-length` is kept (undici and Node check it against the streamed body).
 */
export function endToEndHeaders(headers: IncomingHttpHeaders | Readonly<Record<string, string | string[] | undefined>>): HeaderMap {
  const out: HeaderMap = {};
  const conn = headers['connection'];
  const extra = conn ? String(conn).toLowerCase().split(',').map((s) => s.trim()) : [];
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined || HOP_BY_HOP.has(name)) continue;
    if (extra.length > 0 && extra.includes(name)) continue;
    out[name] = v;
  }
  return out;
}

/** Response headers from undici: also drop hop-by-hop before writing them to the client. */
export function responseHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): HeaderMap {
  const out = endToEndHeaders(headers);
  return out;
}

/**
 * Response headers as a flat [name, value, ...] list for `writeHead` (no intermediate objects):
 * hop-by-hop ones and any named in `Connection` dropped, repeated fields kept as repeated lines.
 */
export function flatResponseHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): string[] {
  const out: string[] = [];
  const conn = headers['connection'];
  const extra = conn ? String(conn).toLowerCase().split(',').map((s) => s.trim()) : undefined;
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined || HOP_BY_HOP.has(name)) continue;
    if (extra !== undefined && extra.includes(name)) continue;
    if (typeof v === 'string') out.push(name, v);
    else for (const one of v) out.push(name, one);
  }
  return out;
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
