import { Agent, request } from 'undici';
import type { BackendRequest, BackendResponse, CallContext } from '../endpoints/endpoint';
import type { AuthTarget, BackendAuth, Dispatch } from './backend-auth';
import { BridgeError } from '../errors/bridge-error';
import { canReplay, discard, makeReplayable, refused, withHeader, withoutAuthorization } from './replayable';

export interface OAuth2Options {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  readonly maxReplayBytes: number;
  /** Token endpoint timeout (connect and response). */
  readonly timeoutMs?: number;
  /** Lifetime assumed when the token response has no expires_in (RFC 6749 §5.1 makes it optional). */
  readonly defaultLifetimeMs?: number;
  /** Injectable clock for tests. */
  readonly now?: () => number;
}

interface Token {
  readonly value: string;
  /** When we stop using it: shortly before the server's expiry. */
  readonly refreshAt: number;
}

/** Refresh this long before expiry: a tenth of the lifetime, at most 30 s. */
function refreshMargin(lifetimeMs: number): number {
  return Math.min(30_000, lifetimeMs / 10);
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4). The client authenticates to the token endpoint
 * with HTTP Basic (§2.3.1: id and secret form-urlencoded first); the token is cached until
 * shortly before `expires_in` and concurrent calls share one fetch. A backend 401 drops the
 * token, fetches a fresh one and re-sends once; a second 401 is BACKEND_AUTH_FAILED.
 * Token endpoint failures are AUTH_TOKEN_UNAVAILABLE (502) with a detail that never holds the
 * secret or the token.
 */
export class OAuth2ClientCredentials implements BackendAuth {
  readonly type = 'oauth2';
  private token?: Token;
  private pending?: Promise<Token>;
  private readonly agent: Agent;
  private readonly now: () => number;
  /** Where tokens come from, without query or userinfo: safe for error details. */
  private readonly safeUrl: string;

  constructor(private readonly opts: OAuth2Options) {
    const timeout = opts.timeoutMs ?? 10_000;
    this.agent = new Agent({ connections: 2, connect: { timeout }, headersTimeout: timeout, bodyTimeout: timeout });
    this.now = opts.now ?? Date.now;
    const u = new URL(opts.tokenUrl);
    this.safeUrl = `${u.origin}${u.pathname}`;
  }

  async execute(original: BackendRequest, _target: AuthTarget, dispatch: Dispatch, _ctx: CallContext): Promise<BackendResponse> {
    const req = await makeReplayable(withoutAuthorization(original), this.opts.maxReplayBytes);
    const used = await this.current();
    const first = await dispatch(withHeader(req, 'authorization', `Bearer ${used.value}`));
    if (first.status !== 401) return first;
    await discard(first);
    // Only the caller that saw the current token rejected drops it; others may already have a new one.
    if (this.token === used) this.token = undefined;
    if (!canReplay(req)) {
      throw new BridgeError('BACKEND_AUTH_FAILED', `oauth2: the backend ${first.endpoint} refused the access token and the request body is larger than maxReplayBytes, so it cannot be re-sent with a fresh token`, {
        requestSent: true,
        extensions: { backendStatus: 401 },
      });
    }
    const fresh = await this.current();
    const second = await dispatch(withHeader(req, 'authorization', `Bearer ${fresh.value}`));
    if (second.status !== 401) return second;
    await discard(second);
    throw refused('oauth2', second, 'to a freshly issued access token');
  }

  /** The cached token, or one shared fetch of a new one. */
  private current(): Promise<Token> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token);
    if (!this.pending) {
      this.pending = this.fetchToken().then(
        (t) => {
          this.token = t;
          this.pending = undefined;
          return t;
        },
        (e: unknown) => {
          this.pending = undefined;
          throw e;
        },
      );
    }
    return this.pending;
  }

  private async fetchToken(): Promise<Token> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.opts.scopes && this.opts.scopes.length > 0) form.set('scope', this.opts.scopes.join(' '));
    const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
    const basic = Buffer.from(`${enc(this.opts.clientId)}:${enc(this.opts.clientSecret)}`).toString('base64');
    const started = this.now();
    let status: number;
    let text: string;
    try {
      const res = await request(this.opts.tokenUrl, {
        dispatcher: this.agent,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
        body: form.toString(),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      throw this.unavailable(`unreachable (${typeof code === 'string' ? code : 'network error'})`, e);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const obj = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
    if (status < 200 || status >= 300) {
      const err = typeof obj?.['error'] === 'string' ? `: error=${obj['error']}` : '';
      const desc = typeof obj?.['error_description'] === 'string' ? ` (${obj['error_description'].slice(0, 200)})` : '';
      throw this.unavailable(`answered HTTP ${status}${err}${desc}`);
    }
    const value = obj?.['access_token'];
    if (typeof value !== 'string' || value === '') throw this.unavailable(`answered HTTP ${status} without an access_token in a JSON object`);
    const type = obj?.['token_type'];
    if (typeof type === 'string' && type.toLowerCase() !== 'bearer') throw this.unavailable(`issued a token of type "${type.slice(0, 40)}", only Bearer is supported`);
    const rawExpiry = obj?.['expires_in'];
    const seconds = typeof rawExpiry === 'number' ? rawExpiry : typeof rawExpiry === 'string' ? Number(rawExpiry) : undefined;
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0)) throw this.unavailable('answered an expires_in that is not a number of seconds');
    const lifetime = seconds !== undefined ? seconds * 1000 : (this.opts.defaultLifetimeMs ?? 300_000);
    return { value, refreshAt: started + lifetime - refreshMargin(lifetime) };
  }

  private unavailable(what: string, cause?: unknown): BridgeError {
    return new BridgeError('AUTH_TOKEN_UNAVAILABLE', `oauth2: token endpoint ${this.safeUrl} ${what}`, {
      ...(cause !== undefined ? { cause } : {}),
      requestSent: false,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
