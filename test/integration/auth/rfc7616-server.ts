import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './helpers';

/**
 * A Digest server written from RFC 7616 §3 (SHA-256, SHA-256-sess, MD5, qop auth / auth-int,
 * userhash), independent of src/auth: its own header parsing and hashing. Used where http-auth
 * (MD5 and qop=auth only) cannot serve. Nonces are checked for a strictly rising nc.
 */
export interface Rfc7616Options {
  readonly realm: string;
  readonly algorithm: 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
  readonly qop: string; // e.g. 'auth', 'auth-int', 'auth, auth-int'
  readonly users: Readonly<Record<string, string>>;
  readonly userhash?: boolean;
}

export interface Rfc7616Server {
  handler(req: IncomingMessage, res: ServerResponse): void;
  /** Forget every nonce: the next request with an old one is answered stale=true. */
  expireNonces(): void;
  readonly accepted: number;
}

function parseAuthorization(h: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g;
  for (const m of h.replace(/^Digest\s+/i, '').matchAll(re)) out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  return out;
}

export function rfc7616Server(o: Rfc7616Options): Rfc7616Server {
  const hname = o.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const H = (s: string | Buffer): string => createHash(hname).update(s).digest('hex');
  const nonces = new Map<string, number>(); // nonce -> last nc
  let accepted = 0;
  const challenge = (res: ServerResponse, stale: boolean): void => {
    const nonce = randomBytes(24).toString('base64');
    nonces.set(nonce, 0);
    res.writeHead(401, {
      'www-authenticate': `Digest realm="${o.realm}", qop="${o.qop}", algorithm=${o.algorithm}, nonce="${nonce}", opaque="op-${o.realm}"${stale ? ', stale=true' : ''}${o.userhash ? ', userhash=true' : ''}`,
      'content-type': 'text/plain',
    });
    res.end('unauthorized');
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void readBody(req).then((body) => {
      const h = req.headers.authorization;
      if (!h || !/^Digest /i.test(h)) return challenge(res, false);
      const p = parseAuthorization(h);
      const last = nonces.get(p['nonce'] ?? '');
      const nc = parseInt(p['nc'] ?? '', 16);
      if (last === undefined || !(nc > last)) return challenge(res, true);
      nonces.set(p['nonce']!, nc);
      const user = Object.keys(o.users).find((u) => (o.userhash ? H(`${u}:${o.realm}`) === p['username'] : u === p['username']));
      if (user === undefined || p['uri'] !== req.url || p['realm'] !== o.realm || p['opaque'] !== `op-${o.realm}`) return challenge(res, false);
      let ha1 = H(`${user}:${o.realm}:${o.users[user]}`);
      if (o.algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${p['nonce']}:${p['cnonce']}`);
      const qop = p['qop'] ?? '';
      if (!o.qop.split(/,\s*/).includes(qop)) return challenge(res, false);
      const ha2 = qop === 'auth-int' ? H(`${req.method}:${p['uri']}:${H(body)}`) : H(`${req.method}:${p['uri']}`);
      const expected = H(`${ha1}:${p['nonce']}:${p['nc']}:${p['cnonce']}:${qop}:${ha2}`);
      if (expected !== p['response']) return challenge(res, false);
      accepted++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, user, qop, length: body.length }));
    });
  };
  return {
    handler,
    expireNonces: () => nonces.clear(),
    get accepted() {
      return accepted;
    },
  };
}
