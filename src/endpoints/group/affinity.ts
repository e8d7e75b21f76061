import { randomUUID } from 'node:crypto';
import type { BackendRequest, BackendResponse } from '../endpoint';

export interface AffinityOptions {
  /** Session by this cookie: the backend's own (learnt from its Set-Cookie) or one the bridge sets. */
  readonly cookie?: string;
  /** Session by this request header (e.g. a client or session id the caller sends). */
  readonly header?: string;
  /** Idle time after which a session may land on another member. */
  readonly timeoutMs?: number;
  /** Bound on remembered sessions; the least recently used go first. */
  readonly maxSessions?: number;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

function headerValues(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function cookieValue(cookieHeader: string[], name: string): string | undefined {
  for (const line of cookieHeader) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}

/**
 * Session affinity for a load-balance group: session key → member index, expiring after
 * `timeoutMs` idle. The Map keeps insertion order and every use re-inserts, so expired and
 * least recently used sessions are always at the front and eviction is O(1) per request.
 */
export class SessionAffinity {
  private readonly sessions = new Map<string, { index: number; expires: number }>();
  private readonly timeoutMs: number;

  constructor(private readonly opts: AffinityOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  keyOf(req: BackendRequest): string | undefined {
    if (this.opts.cookie) {
      const v = cookieValue(headerValues(req.headers['cookie']), this.opts.cookie);
      if (v) return v;
    }
    return this.opts.header ? headerValues(req.headers[this.opts.header.toLowerCase()])[0] : undefined;
  }

  /** The member this session is pinned to, if the pin has not expired. */
  lookup(key: string | undefined, now: number): number | undefined {
    if (key === undefined) return undefined;
    const s = this.sessions.get(key);
    if (!s || s.expires <= now) return undefined;
    return s.index;
  }

  /**
   * Pins the session to the member that answered. Learns the backend's own session cookie when
   * it sets one; otherwise, in cookie mode without a key, sets the bridge's cookie on the answer.
   */
  bind(key: string | undefined, res: BackendResponse, index: number, now: number): BackendResponse {
    let out = res;
    let k = key;
    const name = this.opts.cookie;
    if (name) {
      const issued = headerValues(res.headers['set-cookie']).map((c) => cookieValue([c.split(';')[0] ?? ''], name)).find(Boolean);
      if (issued) k = issued;
      else if (k === undefined) {
        k = randomUUID();
        const cookies = [...headerValues(res.headers['set-cookie']), `${name}=${k}; Path=/; HttpOnly; SameSite=Lax`];
        out = { ...res, headers: { ...res.headers, 'set-cookie': cookies } };
      }
    } else if (this.opts.header) {
      k = headerValues(res.headers[this.opts.header.toLowerCase()])[0] ?? k;
    }
    if (k !== undefined) this.remember(k, index, now);
    return out;
  }

  /**
   * `bind` on the fast path: the response head as a flat [name, value, ...] list, to which the
   * bridge's cookie is appended when it sets one.
   */
  bindFlat(key: string | undefined, headers: string[], index: number, now: number): void {
    let k = key;
    const name = this.opts.cookie;
    if (name) {
      let issued: string | undefined;
      for (let i = 0; i < headers.length && issued === undefined; i += 2) {
        if (headers[i] === 'set-cookie') issued = cookieValue([headers[i + 1]!.split(';')[0] ?? ''], name) || undefined;
      }
      if (issued) k = issued;
      else if (k === undefined) {
        k = randomUUID();
        headers.push('set-cookie', `${name}=${k}; Path=/; HttpOnly; SameSite=Lax`);
      }
    } else if (this.opts.header) {
      const wanted = this.opts.header.toLowerCase();
      for (let i = 0; i < headers.length; i += 2) {
        if (headers[i] === wanted) {
          k = headers[i + 1];
          break;
        }
      }
    }
    if (k !== undefined) this.remember(k, index, now);
  }

  private remember(key: string, index: number, now: number): void {
    this.sessions.delete(key);
    this.sessions.set(key, { index, expires: now + this.timeoutMs });
    const max = this.opts.maxSessions ?? 100_000;
    for (const [k, s] of this.sessions) {
      if (s.expires > now && this.sessions.size <= max) break;
      this.sessions.delete(k);
    }
  }
}
