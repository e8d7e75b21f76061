import { createHash, randomBytes } from 'node:crypto';

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

function hasher(algorithm: DigestAlgorithm): (s: string | Buffer) => string {
  const name = HASHES[algorithm.replace(/-sess$/, '')]!;
  return (s) => createHash(name).update(s).digest('hex');
}

export function ncHex(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

export function newCnonce(): string {
  return randomBytes(16).toString('hex');
}

/** The `response` value of RFC 7616 §3.4.1. */
export function digestResponse(d: DigestInput): string {
  const H = hasher(d.algorithm);
  let ha1 = H(`${d.username}:${d.realm}:${d.password}`);
  if (d.algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${d.nonce}:${d.cnonce}`);
  const ha2 = d.qop === 'auth-int' ? H(`${d.method}:${d.uri}:${H(d.body ?? Buffer.alloc(0))}`) : H(`${d.method}:${d.uri}`);
  if (d.qop === undefined) return H(`${ha1}:${d.nonce}:${ha2}`);
  return H(`${ha1}:${d.nonce}:${ncHex(d.nc)}:${d.cnonce}:${d.qop}:${ha2}`);
}

/** Quoted-string per RFC 9110 §5.6.4 (backslash-escapes `"` and `\`). */
function q(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export interface DigestHeaderInput extends DigestInput {
  readonly opaque?: string;
  /** RFC 7616 §3.4.4: the server asked for the username hashed. */
  readonly userhash?: boolean;
}

/** The full `Authorization` header value. */
export function digestAuthorization(d: DigestHeaderInput): string {
  const H = hasher(d.algorithm);
  const user = d.userhash ? H(`${d.username}:${d.realm}`) : d.username;
  const parts = [
    `username=${q(user)}`,
    `realm=${q(d.realm)}`,
    `nonce=${q(d.nonce)}`,
    `uri=${q(d.uri)}`,
    `algorithm=${d.algorithm}`,
    `response=${q(digestResponse(d))}`,
  ];
  if (d.opaque !== undefined) parts.push(`opaque=${q(d.opaque)}`);
  if (d.qop !== undefined) parts.push(`qop=${d.qop}`, `nc=${ncHex(d.nc)}`, `cnonce=${q(d.cnonce)}`);
  if (d.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
