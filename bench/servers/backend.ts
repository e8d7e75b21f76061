import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { CALC_ADD_RESPONSE, DIGEST_PASSWORD, DIGEST_USER, JSON_1K, SOAP_RESPONSE_1K } from './payloads';

/**
 * The bench backend, run in its own process: `backend.js [--mode M] [--port N]`.
 *
 * - `plain` (default): GET answers 1 KiB of JSON; POST/PUT read the whole request body and
 *   answer a 1 KiB SOAP envelope.
 * - `calculator`: every POST answers the Calculator AddResponse envelope (AddResult 3), GET the
 *   JSON: a fast SOAP backend for the REST facade (no `soap` package, never the bottleneck).
 * - `digest`: `plain`, behind HTTP Digest (MD5, qop=auth, realm "bench", user bench/secret;
 *   node:crypto, no library). Each challenge has a fresh nonce; the newest 1024 stay valid and
 *   are reused with rising nonce-counts (checked in a window of 4096, since 32 connections
 *   race); a repeated count or a forgotten nonce gets a new challenge with stale=true.
 *
 * `GET /__stats` answers `{ requests, challenges }` (requests served and 401s sent since start; the chaos run uses it to
 * show that a restarted member gets traffic again). Keep-alive, content-length, no logging.
 * Reports `{ url }` over IPC once listening.
 */
const { values: opts } = parseArgs({
  options: { mode: { type: 'string', default: 'plain' }, port: { type: 'string', default: '0' } },
  strict: true,
});
const mode = opts.mode;
if (mode !== 'plain' && mode !== 'calculator' && mode !== 'digest') throw new Error(`unknown backend mode ${mode}`);

const json = Buffer.from(JSON_1K);
const xml = Buffer.from(mode === 'calculator' ? CALC_ADD_RESPONSE : SOAP_RESPONSE_1K);
const jsonHeaders = { 'content-type': 'application/json', 'content-length': String(json.length) };
const xmlHeaders = { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(xml.length) };

const REALM = 'bench';
const OPAQUE = randomBytes(8).toString('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const HA1 = md5(`${DIGEST_USER}:${REALM}:${DIGEST_PASSWORD}`);

/** Nonce-counts seen per nonce (pruned below `max - WINDOW`); a repeated or too old count is a replay. */
interface NonceState {
  readonly seen: Set<number>;
  max: number;
}
const nonces = new Map<string, NonceState>();
const WINDOW = 4096;
const MAX_NONCES = 1024;

/** Every challenge carries a fresh nonce (as Tomcat's DigestAuthenticator does); the newest MAX_NONCES stay valid. */
function challenge(stale: boolean): string {
  const nonce = randomBytes(16).toString('hex');
  nonces.set(nonce, { seen: new Set(), max: 0 });
  if (nonces.size > MAX_NONCES) nonces.delete(nonces.keys().next().value!);
  return `Digest realm="${REALM}", qop="auth", algorithm=MD5, nonce="${nonce}", opaque="${OPAQUE}"${stale ? ', stale=true' : ''}`;
}

function digestParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-z0-9-]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (let m = re.exec(header); m; m = re.exec(header)) out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

/** 'ok', or why the request gets a (new) challenge: no/bad credentials, or a nonce we no longer know (stale). */
function digestCheck(req: http.IncomingMessage): 'ok' | 'stale' | 'refused' {
  const h = req.headers.authorization;
  if (!h || !/^digest\s/i.test(h)) return 'refused';
  const p = digestParams(h.slice(7));
  if (p['username'] !== DIGEST_USER || p['realm'] !== REALM || p['qop'] !== 'auth' || p['uri'] !== req.url || p['opaque'] !== OPAQUE) return 'refused';
  const nonce = p['nonce'] ?? '';
  const expected = md5(`${HA1}:${nonce}:${p['nc']}:${p['cnonce'] ?? ''}:auth:${md5(`${req.method}:${p['uri']}`)}`);
  if (p['response'] !== expected) return 'refused';
  const state = nonces.get(nonce);
  if (!state) return 'stale';
  const nc = parseInt(p['nc'] ?? '', 16);
  // 32 connections race: counts arrive out of order, so a window, not "greater than the last".
  if (!Number.isFinite(nc) || nc <= state.max - WINDOW || state.seen.has(nc)) return 'stale';
  state.seen.add(nc);
  if (nc > state.max) {
    state.max = nc;
    if (state.seen.size > 2 * WINDOW) for (const n of state.seen) if (n <= state.max - WINDOW) state.seen.delete(n);
  }
  return 'ok';
}

let served = 0;
let challenges = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ requests: served, challenges }));
    return;
  }
  const auth = mode === 'digest' ? digestCheck(req) : 'ok';
  if (auth !== 'ok') {
    challenges++;
    req.resume();
    res.writeHead(401, { 'www-authenticate': challenge(auth === 'stale'), 'content-length': '0' });
    res.end();
    return;
  }
  served++;
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.writeHead(200, jsonHeaders);
    res.end(req.method === 'GET' ? json : undefined);
    return;
  }
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, xmlHeaders);
    res.end(xml);
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(Number(opts.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => process.exit(0));
