import { Client, type Dispatcher } from 'undici';
import type { ConnectionOptions } from 'node:tls';
import type { BackendRequest, BackendResponse, CallContext } from '../endpoints/endpoint';
import type { AuthTarget, BackendAuth, Dispatch } from './backend-auth';
import { BridgeError } from '../errors/bridge-error';
import { firstHeader, responseHeaders } from '../http/headers';
import { parseChallenges, type Challenge } from './www-authenticate';
import { authenticateHeader, decodeChallenge, negotiateHeader } from './ntlm-messages';
import { canReplay, discard, makeReplayable, withoutAuthorization } from './replayable';

export interface NtlmOptions {
  readonly username: string;
  readonly password: string;
  readonly domain?: string;
  readonly workstation?: string;
  readonly maxReplayBytes: number;
  /** Connections per backend origin (each authenticated once, then reused). */
  readonly connections: number;
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  /** The leaf's TLS options (CA, client certificate, hostname check). */
  readonly tls: ConnectionOptions;
  /** The leaf's name, reported as BackendResponse.endpoint (the other schemes get it from the leaf). */
  readonly endpoint?: string;
}

/** One keep-alive connection: NTLM authenticates the connection, not the request. */
interface Conn {
  readonly client: Client;
  authenticated: boolean;
  busy: number;
  /** Set while a handshake runs: nothing else may go between its negotiate and authenticate. */
  handshake?: Promise<void>;
}

/**
 * NTLM (MS-NTLM over HTTP, as IIS does it) with connection affinity. The handshake
 * (negotiate -> challenge -> authenticate) must happen on one TCP connection, so NTLM does not
 * use the leaf's pool: it keeps its own single-connection undici Clients per origin, and runs the
 * handshake on the connection the request then uses. Once a connection is authenticated its
 * requests cost one round trip; a new connection costs two (negotiate, then the real request
 * with the authenticate message). The negotiate message carries the real request when its body
 * is replayable; a streamed body over maxReplayBytes is negotiated with an empty body first
 * (as curl does). A 401 to the authenticate message is BACKEND_AUTH_FAILED: no retry.
 */
export class NtlmAuth implements BackendAuth {
  readonly type = 'ntlm';
  private readonly pools = new Map<string, Conn[]>();

  constructor(private readonly opts: NtlmOptions) {}

  async execute(original: BackendRequest, target: AuthTarget, _dispatch: Dispatch, ctx: CallContext): Promise<BackendResponse> {
    const req = await makeReplayable(withoutAuthorization(original), this.opts.maxReplayBytes);
    const conn = this.pick(target.origin);
    conn.busy++;
    let handedOff = false;
    try {
      const res = await this.run(conn, req, target, ctx);
      handedOff = true;
      return this.releaseWhenRead(conn, res);
    } finally {
      if (!handedOff) conn.busy--;
    }
  }

  private async run(conn: Conn, req: BackendRequest, target: AuthTarget, ctx: CallContext): Promise<BackendResponse> {
    while (conn.handshake) await conn.handshake;
    if (conn.authenticated) {
      const res = await this.send(conn, req, target, ctx);
      if (res.status !== 401 || !offersNtlm(res)) return res;
      // The connection was replaced under us (idle close, backend restart): authenticate again.
      await discard(res);
      conn.authenticated = false;
      if (!canReplay(req)) throw new BridgeError('BACKEND_AUTH_FAILED', `ntlm: the backend ${res.endpoint} asked to authenticate again and the request body is over maxReplayBytes`, { requestSent: true });
    }
    let done!: () => void;
    conn.handshake = new Promise<void>((resolve) => (done = resolve));
    try {
      return await this.handshake(conn, req, target, ctx);
    } finally {
      conn.handshake = undefined;
      done();
    }
  }

  private async handshake(conn: Conn, req: BackendRequest, target: AuthTarget, ctx: CallContext): Promise<BackendResponse> {
    const replayable = canReplay(req);
    // 1. Negotiate, on this connection.
    const negotiate = await this.send(conn, { ...withHeader(req, negotiateHeader(this.opts.workstation, this.opts.domain)), ...(replayable ? {} : emptyBody(req)) }, target, ctx);
    if (negotiate.status !== 401) {
      if (replayable) {
        conn.authenticated = true; // the backend does not ask for NTLM on this path
        return negotiate;
      }
      await discard(negotiate);
      conn.authenticated = true;
      return this.send(conn, req, target, ctx);
    }
    await discard(negotiate);
    const token = ntlmToken(negotiate);
    if (token === undefined) throw refused(negotiate, 'to the NTLM negotiate message without an NTLM challenge');
    let challenge;
    try {
      challenge = decodeChallenge(token);
    } catch (e) {
      throw new BridgeError('BACKEND_RESPONSE_INVALID', `ntlm: the backend ${negotiate.endpoint} sent a malformed NTLM challenge`, { cause: e, requestSent: true, retryable: false });
    }
    // 2. Authenticate, with the real request, on the same connection.
    const auth = authenticateHeader(challenge, this.opts.username, this.opts.password, this.opts.workstation, this.opts.domain);
    const res = await this.send(conn, withHeader(req, auth), target, ctx);
    if (res.status === 401) {
      await discard(res);
      throw refused(res, 'to the configured NTLM credentials');
    }
    conn.authenticated = true;
    return res;
  }

  /** An idle authenticated connection, else an idle one, else a new one, else the least busy. */
  private pick(origin: string): Conn {
    let pool = this.pools.get(origin);
    if (!pool) this.pools.set(origin, (pool = []));
    const idle = pool.filter((c) => c.busy === 0);
    const ready = idle.find((c) => c.authenticated) ?? idle[0];
    if (ready) return ready;
    if (pool.length < this.opts.connections) {
      const conn: Conn = {
        client: new Client(origin, {
          pipelining: 1,
          keepAliveTimeout: 30_000,
          headersTimeout: this.opts.responseTimeoutMs,
          bodyTimeout: this.opts.responseTimeoutMs,
          connect: { timeout: this.opts.connectTimeoutMs, ...this.opts.tls },
        }),
        authenticated: false,
        busy: 0,
      };
      pool.push(conn);
      return conn;
    }
    return pool.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private async send(conn: Conn, req: BackendRequest, target: AuthTarget, ctx: CallContext): Promise<BackendResponse> {
    const headers: Record<string, string | string[]> = { ...req.headers };
    const xff = firstHeader(req.headers['x-forwarded-for']);
    headers['x-forwarded-for'] = xff ? `${xff}, ${ctx.clientIp}` : ctx.clientIp;
    headers['x-forwarded-proto'] = ctx.proto;
    headers['x-forwarded-host'] = ctx.host;
    headers['x-request-id'] = ctx.requestId;
    let res: Dispatcher.ResponseData;
    try {
      res = await conn.client.request({ path: target.path, method: req.method as Dispatcher.HttpMethod, headers, body: req.body ?? undefined, signal: ctx.signal });
    } catch (e) {
      if (ctx.signal.aborted) throw new BridgeError('BAD_REQUEST', 'client closed the connection', { cause: e, requestSent: true, retryable: false });
      throw e; // the leaf translates undici errors
    }
    return { status: res.statusCode, headers: responseHeaders(res.headers), body: res.body, endpoint: this.opts.endpoint ?? target.origin };
  }

  private releaseWhenRead(conn: Conn, res: BackendResponse): BackendResponse {
    let released = false;
    const release = (): void => {
      if (!released) conn.busy--;
      released = true;
    };
    res.body.once('close', release);
    res.body.once('end', release);
    res.body.once('error', release);
    return res;
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()].flat();
    this.pools.clear();
    await Promise.all(all.map((c) => c.client.close().catch(() => c.client.destroy())));
  }
}

function withHeader(req: BackendRequest, authorization: string): BackendRequest {
  return { ...req, headers: { ...req.headers, authorization } };
}

function emptyBody(req: BackendRequest): Partial<BackendRequest> {
  const headers: Record<string, string | string[]> = { ...req.headers, 'content-length': '0' };
  delete headers['transfer-encoding'];
  return { body: null, bodyLength: 0, headers };
}

function challengesOf(res: BackendResponse): Challenge[] {
  const raw = res.headers['www-authenticate'];
  if (raw === undefined) return [];
  try {
    return parseChallenges(raw);
  } catch {
    return [];
  }
}

function offersNtlm(res: BackendResponse): boolean {
  return challengesOf(res).some((c) => c.scheme === 'ntlm');
}

function ntlmToken(res: BackendResponse): string | undefined {
  return challengesOf(res).find((c) => c.scheme === 'ntlm' && c.token68 !== undefined)?.token68;
}

function refused(res: BackendResponse, why: string): BridgeError {
  return new BridgeError('BACKEND_AUTH_FAILED', `ntlm: the backend ${res.endpoint} answered ${res.status} ${why}`, { requestSent: true, extensions: { backendStatus: res.status } });
}
