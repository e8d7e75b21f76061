import { Agent, type Dispatcher } from 'undici';
import { Readable } from 'node:stream';
import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus, RelayControl, ResponseSink } from '../endpoint';
import { responseHeaders, firstHeader } from '../../http/headers';
import { translateUndiciError } from './undici-errors';
import { BridgeError, isBridgeError } from '../../errors/bridge-error';
import type { TlsConfig } from '../../config/endpoint-schema';
import { LeafCounters } from './leaf-counters';
import type { BackendAuth } from '../../auth/backend-auth';
import { relayPromise } from './promise-relay';
import { RelayCall } from './relay-call';
import { TargetUrl } from './target-url';
import { tlsConnectOptions } from './tls-options';

export { tlsConnectOptions } from './tls-options';

export interface HttpLeafOptions {
  readonly name: string;
  readonly type?: string;
  /** RFC 6570 template, or a plain base URL the request path and query are appended to. */
  readonly url: string;
  /** false for SOAP addresses: the URL is used as is, never extended by the request path. */
  readonly appendPath?: boolean;
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly connections: number;
  readonly tls?: TlsConfig;
  /** Resolves file paths of TLS material. */
  readonly resolvePath?: (p: string) => string;
  /** Backend authentication (basic, digest, ...); wraps every send. */
  readonly auth?: BackendAuth;
}

/**
 * The leaf every backend call goes through: a keep-alive undici pool per origin, streaming in
 * both directions (no buffering on pass-through), connect and response timeouts, and undici
 * errors translated into the catalogue at this boundary.
 */
export class HttpEndpoint implements Endpoint {
  readonly name: string;
  readonly type: string;
  private readonly url: TargetUrl;
  private readonly agent: Agent;
  private readonly counters = new LeafCounters();
  /**
   * The fast path (endpoint.ts): without backend auth, or with one that can compute its header
   * up front (`headerFor`) and finish a challenge from a 401 head (`challenged`).
   */
  readonly relay?: (req: BackendRequest, ctx: CallContext, sink: ResponseSink) => RelayControl;

  constructor(private readonly opts: HttpLeafOptions) {
    this.name = opts.name;
    this.type = opts.type ?? 'http';
    this.url = new TargetUrl(opts.url, opts.appendPath);
    this.agent = new Agent({
      connections: opts.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: opts.responseTimeoutMs,
      bodyTimeout: opts.responseTimeoutMs,
      connect: { timeout: opts.connectTimeoutMs, ...tlsConnectOptions(opts.tls, opts.resolvePath) },
    });
    const auth = opts.auth;
    if (!auth || (auth.headerFor && auth.challenged)) this.relay = (req, ctx, sink) => this.relayCall(req, ctx, sink);
  }

  /** The backend origin and path for this request (send and the relay ask `url` directly). */
  target(req: BackendRequest): { origin: string; path: string } {
    return this.url.of(req);
  }

  send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    const target = this.url.of(req);
    this.counters.start();
    return this.counted(this.opts.auth ? this.opts.auth.execute(req, target, (r) => this.dispatch(r, target, ctx), ctx) : this.dispatch(req, target, ctx), target.origin);
  }

  /** Ends a counted call: in flight until its body is consumed, or failed with a catalogue error. */
  private async counted(call: Promise<BackendResponse>, origin: string): Promise<BackendResponse> {
    try {
      const res = await call;
      this.counters.succeed(res.body);
      return res;
    } catch (e) {
      const err = isBridgeError(e) ? e : translateUndiciError(e, `${this.name} (${origin})`, this.timeouts());
      this.counters.fail(err);
      throw err;
    }
  }

  private timeouts(): { connectMs: number; responseMs: number } {
    return { connectMs: this.opts.connectTimeoutMs, responseMs: this.opts.responseTimeoutMs };
  }

  /**
   * The fast path: `agent.dispatch()` with a handler that hands the response straight to the
   * sink (no promise, no BodyReadable, no AbortSignal per request), with the same error
   * translation, timeouts and counters as `send`.
   */
  private relayCall(req: BackendRequest, ctx: CallContext, sink: ResponseSink): RelayControl {
    const target = this.url.of(req);
    const auth = this.opts.auth;
    let authorization: string | undefined;
    let onChallenge: ((headers: Record<string, string | string[] | undefined>) => RelayControl) | undefined;
    if (auth) {
      // Preemptive header only when a 401 could still be answered: the body can be sent again.
      const body = req.body;
      authorization = body === null || Buffer.isBuffer(body) ? auth.headerFor!(req, target) : undefined;
      if (authorization === undefined) return relayPromise(this.send(req, ctx), sink, (e) => this.brokenBody(e, target.origin));
      onChallenge = (headers) => {
        const refused: BackendResponse = { status: 401, headers: responseHeaders(headers), body: Readable.from([]), endpoint: this.name };
        const rest = auth.challenged!(refused, req, target, (r) => this.dispatch(r, target, ctx), ctx);
        return relayPromise(this.counted(rest, target.origin), sink, (e) => this.brokenBody(e, target.origin));
      };
    }
    this.counters.start();
    const call = new RelayCall(this, this.counters, sink, target.origin, this.opts.responseTimeoutMs, onChallenge);
    try {
      this.agent.dispatch(
        { origin: target.origin, path: target.path, method: req.method as Dispatcher.HttpMethod, headers: forwardHeaders(req, ctx, authorization), body: req.body ?? null },
        call,
      );
    } catch (e) {
      call.onResponseError(undefined, e as Error);
    }
    return call;
  }

  private brokenBody(e: unknown, origin: string): BridgeError {
    return isBridgeError(e) ? e : translateUndiciError(e, `${this.name} (${origin})`, this.timeouts());
  }

  /** @internal the catalogue error for an undici failure (RelayCall). */
  translate(e: unknown, origin: string, timedOut: boolean, clientClosed: boolean): BridgeError {
    if (timedOut && !clientClosed) {
      return new BridgeError('ENDPOINT_TIMEOUT', `${this.name} (${origin}): no response within ${this.opts.responseTimeoutMs} ms`, { cause: e, requestSent: true });
    }
    if (clientClosed) return new BridgeError('BAD_REQUEST', 'client closed the connection', { cause: e, requestSent: true, retryable: false });
    return translateUndiciError(e, `${this.name} (${origin})`, this.timeouts());
  }

  /** One attempt on the wire. */
  private async dispatch(req: BackendRequest, target: { origin: string; path: string }, ctx: CallContext): Promise<BackendResponse> {
    const headers = forwardHeaders(req, ctx);
    let res: Dispatcher.ResponseData;
    // undici checks headersTimeout on a coarse (~1 s) timer wheel; short timeouts get a timer of
    // their own so `timeout.ms: 200` means 200 ms.
    const short = this.opts.responseTimeoutMs < 2000 ? new AbortController() : undefined;
    const timer = short ? setTimeout(() => short.abort(), this.opts.responseTimeoutMs) : undefined;
    try {
      res = await this.agent.request({
        origin: target.origin,
        path: target.path,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.body ?? undefined,
        signal: short ? AbortSignal.any([ctx.signal, short.signal]) : ctx.signal,
      });
    } catch (e) {
      if (short?.signal.aborted && !ctx.signal.aborted) {
        throw new BridgeError('ENDPOINT_TIMEOUT', `${this.name} (${target.origin}): no response within ${this.opts.responseTimeoutMs} ms`, { cause: e, requestSent: true });
      }
      throw ctx.signal.aborted
        ? new BridgeError('BAD_REQUEST', 'client closed the connection', { cause: e, requestSent: true, retryable: false })
        : translateUndiciError(e, `${this.name} (${target.origin})`, this.timeouts());
    } finally {
      if (timer) clearTimeout(timer);
    }
    return { status: res.statusCode, headers: responseHeaders(res.headers), body: res.body, endpoint: this.name };
  }

  isAvailable(): boolean {
    return true;
  }

  children(): readonly Endpoint[] {
    return [];
  }

  status(): EndpointStatus {
    return { name: this.name, type: this.type, state: 'ACTIVE', ...this.counters.snapshot() };
  }

  async close(): Promise<void> {
    await this.opts.auth?.close?.();
    await this.agent.close();
  }
}

/**
 * The request headers sent on: end-to-end ones plus X-Forwarded-* and X-Request-Id, flat; with
 * `authorization`, the backend auth's header replaces the client's.
 */
function forwardHeaders(req: BackendRequest, ctx: CallContext, authorization?: string): string[] {
  const out: string[] = [];
  const h = req.headers;
  for (const name in h) {
    if (name === 'x-forwarded-for' || name === 'x-forwarded-proto' || name === 'x-forwarded-host' || name === 'x-request-id') continue;
    if (authorization !== undefined && name === 'authorization') continue;
    const v = h[name]!;
    if (typeof v === 'string') out.push(name, v);
    else for (const one of v) out.push(name, one);
  }
  const xff = firstHeader(h['x-forwarded-for']);
  out.push('x-forwarded-for', xff ? `${xff}, ${ctx.clientIp}` : ctx.clientIp, 'x-forwarded-proto', ctx.proto, 'x-forwarded-host', ctx.host, 'x-request-id', ctx.requestId);
  if (authorization !== undefined) out.push('authorization', authorization);
  return out;
}
