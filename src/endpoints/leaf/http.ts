import { Agent, type Dispatcher } from 'undici';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus, RelayControl, ResponseSink } from '../endpoint';
import { compileTemplate, type UriTemplate } from '../../rest/uri-template';
import { responseHeaders, firstHeader, flatResponseHeaders } from '../../http/headers';
import { translateUndiciError } from './undici-errors';
import { BridgeError, isBridgeError } from '../../errors/bridge-error';
import type { TlsConfig } from '../../config/endpoint-schema';
import { LeafCounters } from './leaf-counters';
import type { BackendAuth } from '../../auth/backend-auth';
import { relayPromise } from './promise-relay';

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
  private readonly template: UriTemplate;
  private readonly base?: { origin: string; path: string; query: string };
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
    // SOAP addresses are used as written (WSDLs ship addresses like https://{{SERVER}}/x that
    // are not templates); only http endpoints are RFC 6570 templates.
    this.template = opts.appendPath === false ? { source: opts.url, hasExpressions: false, variables: [], expand: () => opts.url } : compileTemplate(opts.url);
    if (!this.template.hasExpressions) {
      const u = new URL(opts.url);
      this.base = { origin: u.origin, path: u.pathname.replace(/\/$/, ''), query: u.search.slice(1) };
    }
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

  /** The backend origin and path for this request. */
  target(req: BackendRequest): { origin: string; path: string } {
    if (this.base) {
      const { origin, path, query } = this.base;
      // A SOAP address is the whole target: the caller's path and query are not the backend's.
      if (this.opts.appendPath === false) return { origin, path: (path || '/') + (query ? `?${query}` : '') };
      const q = [query, req.query].filter(Boolean).join('&');
      return { origin, path: path + req.path + (q ? `?${q}` : '') };
    }
    const vars: Record<string, string> = {};
    for (const k in req.uriVars) vars[`uri.var.${k}`] = req.uriVars[k]!;
    for (const k in req.queryParams) vars[`query.param.${k}`] = req.queryParams[k]!;
    const url = this.template.expand(vars);
    const slash = url.indexOf('/', url.indexOf('://') + 3);
    return slash === -1 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
  }

  send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    const target = this.target(req);
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
    const target = this.target(req);
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

/**
 * One relayed call: the undici dispatch handler and the caller's RelayControl in one object.
 * Aborts (client gone, short timeout) requested before undici starts the request are applied
 * when it does.
 */
class RelayCall implements Dispatcher.DispatchHandler, RelayControl {
  private controller: Dispatcher.DispatchController | undefined;
  private headed = false;
  private over = false;
  private clientClosed = false;
  private timedOut = false;
  private timer: NodeJS.Timeout | undefined;
  /** A 401 head under backend auth: its headers, while its body is read and dropped. */
  private challenge: Record<string, string | string[] | undefined> | undefined;
  /** The challenge round trip that took over after a 401. */
  private next: RelayControl | undefined;

  constructor(
    private readonly leaf: HttpEndpoint,
    private readonly counters: LeafCounters,
    private readonly sink: ResponseSink,
    private readonly origin: string,
    timeoutMs: number,
    /** Backend auth: a 401 goes here (the whole challenge round trip) instead of to the sink. */
    private readonly onChallenge?: (headers: Record<string, string | string[] | undefined>) => RelayControl,
  ) {
    // undici checks headersTimeout on a coarse (~1 s) timer wheel; short timeouts get a timer of
    // their own so `timeout.ms: 200` means 200 ms.
    if (timeoutMs < 2000) this.timer = setTimeout(() => this.stop(true), timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientClosed || this.timedOut) controller.abort(new Error(this.timedOut ? 'response timeout' : 'client closed the connection'));
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.timer) clearTimeout(this.timer);
    if (status === 401 && this.onChallenge) {
      this.challenge = headers;
      return;
    }
    this.headed = true;
    this.sink.head(status, flatResponseHeaders(headers), this.leaf.name);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.challenge) return;
    if (!this.sink.data(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.over) return;
    this.over = true;
    if (this.challenge) {
      // Still in flight on the counters: the challenge round trip ends the call.
      if (this.clientClosed) {
        const err = this.leaf.translate(new Error('client closed the connection'), this.origin, false, true);
        this.counters.fail(err);
        this.sink.fail(err, false);
      } else this.next = this.onChallenge!(this.challenge);
      return;
    }
    this.counters.done();
    this.sink.end();
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, e: Error): void {
    if (this.over) return;
    this.over = true;
    if (this.timer) clearTimeout(this.timer);
    const err = this.leaf.translate(e, this.origin, this.timedOut, this.clientClosed);
    if (this.headed) this.counters.done();
    else this.counters.fail(err);
    this.sink.fail(err, this.headed);
  }

  resume(): void {
    if (this.next) this.next.resume();
    else this.controller?.resume();
  }

  abort(): void {
    if (this.next) this.next.abort();
    else this.stop(false);
  }

  private stop(timeout: boolean): void {
    if (this.over || this.clientClosed || this.timedOut) return;
    if (timeout) this.timedOut = true;
    else this.clientClosed = true;
    this.controller?.abort(new Error(timeout ? 'response timeout' : 'client closed the connection'));
  }
}

/**
 * The Node TLS options of a leaf's `tls` config (also used by NTLM's own connections). Files are
 * read once, here: a missing file throws ENOENT when the endpoint is built.
 */
export function tlsConnectOptions(tls: TlsConfig | undefined, resolve: (p: string) => string = (p) => p): ConnectionOptions {
  if (!tls) return {};
  const read = (p: string | undefined): Buffer | undefined => (p ? readFileSync(resolve(p)) : undefined);
  return {
    ...(tls.ca ? { ca: read(tls.ca) } : {}),
    ...(tls.cert ? { cert: read(tls.cert) } : {}),
    ...(tls.key ? { key: read(tls.key) } : {}),
    ...(tls.passphrase ? { passphrase: tls.passphrase } : {}),
    ...(tls.minVersion ? { minVersion: tls.minVersion } : {}),
    // allowAll skips only the hostname check; the chain is still verified against the CA.
    ...(tls.verifyHostname === 'allowAll' ? { checkServerIdentity: () => undefined } : {}),
  };
}
