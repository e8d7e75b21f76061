import { hash, randomFillSync } from 'node:crypto';

/**
 * RFC 7616 response computation and the `Authorization: Digest ...` header. Pure functions: the
 * client nonce is an argument so the RFC's example values can be checked exactly.
 */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';
export type DigestQop = 'auth' | 'auth-int';

const HASHES: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

/** The RFC's algorithm token as written by the server (case-insensitive), or undefined if unsupported. */
export function parseAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  if (token === undefined) return 'MD5'; // RFC 7616 §3.3: absent means MD5
  const upper = token.toUpperCase();
  const known: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'];
  return known.find((a) => a.toUpperCase() === upper);
}

export interface DigestInput {
  readonly algorithm: DigestAlgorithm;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  readonly method: string;
  /** request-target exactly as sent on the request line. */
  readonly uri: string;
  /** undefined: the RFC 2069 compatibility form without qop. */
  readonly qop?: DigestQop;
  readonly nc: number;
  readonly cnonce: string;
  /** Entity body for auth-int (empty when there is none). */
  readonly body?: Buffer;
}

/** One-shot hex digest (crypto.hash: no Hash object per call). */
function hasher(algorithm: DigestAlgorithm): (s: string | Buffer) => string {
  const name = HASHES[algorithm.endsWith('-sess') ? algorithm.slice(0, -5) : algorithm]!;
  return (s) => hash(name, s, 'hex');
}

export function ncHex(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

/** Random bytes for client nonces, drawn from a pool refilled 4 KiB at a time (randomBytes(16) costs ~2 µs a call). */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

export function newCnonce(): string {
  if (poolAt + 16 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  poolAt += 16;
  return POOL.toString('hex', poolAt - 16, poolAt);
}

/** Quoted-string per RFC 9110 §5.6.4 (backslash-escapes `"` and `\`). */
function q(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** What stays the same for every answer to one challenge with one set of credentials. */
export interface ChallengeAnswer {
  readonly algorithm: DigestAlgorithm;
  readonly nonce: string;
  readonly H: (s: string | Buffer) => string;
  /** H(username:realm:password): the whole HA1 unless the algorithm is -sess. */
  readonly ha1: string;
  readonly sess: boolean;
  /** `Digest username="…", realm="…", nonce="…", uri=` */
  readonly prefix: string;
  /** `, opaque="…"` or '' */
  readonly opaque: string;
  /** `, userhash=true` or '' */
  readonly userhash: string;
}

export interface ChallengeInput {
  readonly algorithm: DigestAlgorithm;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** RFC 7616 §3.4.4: the server asked for the username hashed. */
  readonly userhash?: boolean;
}

/** Hashes and quotes what one challenge's answers share, once. */
export function prepareAnswer(c: ChallengeInput): ChallengeAnswer {
  const H = hasher(c.algorithm);
  const user = c.userhash ? H(`${c.username}:${c.realm}`) : c.username;
  return {
    algorithm: c.algorithm,
    nonce: c.nonce,
    H,
    ha1: H(`${c.username}:${c.realm}:${c.password}`),
    sess: c.algorithm.endsWith('-sess'),
    prefix: `Digest username=${q(user)}, realm=${q(c.realm)}, nonce=${q(c.nonce)}, uri=`,
    opaque: c.opaque !== undefined ? `, opaque=${q(c.opaque)}` : '',
    userhash: c.userhash ? ', userhash=true' : '',
  };
}

/** The `response` value of RFC 7616 §3.4.1 for a prepared challenge. */
export function answerResponse(a: ChallengeAnswer, method: string, uri: string, qop: DigestQop | undefined, nc: string, cnonce: string, body?: Buffer): string {
  const H = a.H;
  const ha1 = a.sess ? H(`${a.ha1}:${a.nonce}:${cnonce}`) : a.ha1;
  const ha2 = qop === 'auth-int' ? H(`${method}:${uri}:${H(body ?? Buffer.alloc(0))}`) : H(`${method}:${uri}`);
  if (qop === undefined) return H(`${ha1}:${a.nonce}:${ha2}`);
  return H(`${ha1}:${a.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
}

/** The full `Authorization` header value for a prepared challenge: two hashes for MD5/SHA-256 with qop=auth. */
export function answerHeader(a: ChallengeAnswer, method: string, uri: string, qop: DigestQop | undefined, ncNumber: number, cnonce: string, body?: Buffer): string {
  const nc = ncHex(ncNumber);
  const response = answerResponse(a, method, uri, qop, nc, cnonce, body);
  const head = `${a.prefix}${q(uri)}, algorithm=${a.algorithm}, response="${response}"${a.opaque}`;
  return qop === undefined ? `${head}${a.userhash}` : `${head}, qop=${qop}, nc=${nc}, cnonce=${q(cnonce)}${a.userhash}`;
}

/** The `response` value of RFC 7616 §3.4.1. */
export function digestResponse(d: DigestInput): string {
  return answerResponse(prepareAnswer(d), d.method, d.uri, d.qop, ncHex(d.nc), d.cnonce, d.body);
}

export interface DigestHeaderInput extends DigestInput {
  readonly opaque?: string;
  /** RFC 7616 §3.4.4: the server asked for the username hashed. */
  readonly userhash?: boolean;
}

/** The full `Authorization` header value. */
export function digestAuthorization(d: DigestHeaderInput): string {
  return answerHeader(prepareAnswer(d), d.method, d.uri, d.qop, d.nc, d.cnonce, d.body);
}
