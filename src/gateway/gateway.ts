import type { IncomingMessage, ServerResponse, RequestListener } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { BridgeConfig } from '../config/schema';
import { RouteTable } from './route-table';
import { type ApiRuntime, type BuildOptions, buildApiRuntime, closeApiRuntime } from './api-runtime';
import { Exchange } from './exchange';
import { prepareRest, type Outbound } from './rest-proxy';
import { PROBLEM, relayResponse, sendError, type ErrorStyle } from './respond';
import type { GatewayMetrics } from '../observability/metrics';
import { BridgeError, toBridgeError } from '../errors/bridge-error';
import type { BackendResponse, RelayControl, ResponseSink } from '../endpoints/endpoint';
import type { EndpointDeps } from '../endpoints/factory';

/**
 * One API kind's request handler, chosen per request (REST resources, SOAP, facade...). `run`
 * answers either a finished BackendResponse or an Outbound request for the gateway to deliver
 * (on the endpoint's fast path when it has one).
 */
export type ApiHandler = (ex: Exchange, api: ApiRuntime, rest: string) => { style: ErrorStyle; run: () => Promise<BackendResponse | Outbound> } | undefined;

/**
 * The hot path. API routes are dispatched from a precompiled table on the raw request, before
 * Express: profiling showed Express's router and request decoration cost more than the proxying
 * itself (see README "Performance"). Everything that is not an API (health, metrics, 404s) goes
 * to the Express app.
 */
export class Gateway {
  private table: RouteTable<ApiRuntime>;
  private inFlight = 0;
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private readonly handlers: ApiHandler[] = [];

  private constructor(
    private config: BridgeConfig,
    private readonly app: Express,
    private readonly log: Logger,
    private readonly metrics: GatewayMetrics,
    /** Endpoint dependencies every (re)build gets, e.g. the shared endpoint metrics. */
    private readonly extra: Partial<EndpointDeps>,
    table: RouteTable<ApiRuntime>,
  ) {
    this.table = table;
  }

  static async create(config: BridgeConfig, app: Express, log: Logger, metrics: GatewayMetrics, extra: Partial<EndpointDeps> = {}): Promise<Gateway> {
    return new Gateway(config, app, log, metrics, extra, await Gateway.buildTable(config, log, extra));
  }

  /** Builds every API's runtime (WSDL models, endpoint trees); fails as a whole. */
  static async buildTable(config: BridgeConfig, log: Logger, extra: Partial<EndpointDeps>, build: BuildOptions = {}): Promise<RouteTable<ApiRuntime>> {
    const table = new RouteTable<ApiRuntime>();
    const built = await Promise.all(config.apis.map((api) => buildApiRuntime(api, config, log, extra, build)));
    for (const api of built) table.add(api.mount, api);
    return table;
  }

  get currentConfig(): BridgeConfig {
    return this.config;
  }

  /** Handlers tried before plain REST proxying (SOAP pass-through, REST facade, ?wsdl). */
  use(handler: ApiHandler): void {
    this.handlers.push(handler);
  }

  apis(): ApiRuntime[] {
    return [...this.table.values()];
  }

  get isDraining(): boolean {
    return this.draining;
  }

  readonly listener: RequestListener = (req, res) => this.handle(req, res);

  handle(req: IncomingMessage, res: ServerResponse): void {
    const ex = new Exchange(req, res, this.log);
    const found = this.table.find(ex.path);
    if (!found) {
      if (this.draining) res.setHeader('connection', 'close');
      res.setHeader('x-request-id', ex.requestId);
      this.app(req, res);
      return;
    }
    const api = found.value;
    ex.api = api.name;
    this.inFlight++;
    for (const h of this.handlers) {
      const chosen = h(ex, api, found.rest);
      if (chosen) {
        const style = chosen.style;
        chosen.run().then(
          (r) => ('request' in r ? this.deliver(ex, api, r, style) : this.relayBackend(ex, api, r)),
          (e: unknown) => this.failed(ex, api, e, style),
        );
        return;
      }
    }
    let out: Outbound;
    try {
      out = prepareRest(ex, api, found.rest, this.config.server.limits.maxBodyBytes);
    } catch (e) {
      this.failed(ex, api, e, PROBLEM);
      return;
    }
    this.deliver(ex, api, out, PROBLEM);
  }

  /** Sends a prepared request: on the endpoint's fast path when it has one. */
  private deliver(ex: Exchange, api: ApiRuntime, out: Outbound, style: ErrorStyle): void {
    const { endpoint, request, onStatus } = out;
    if (endpoint.relay) {
      const sink = new ClientRelay(this, ex, api, style, onStatus);
      sink.control = endpoint.relay(request, ex, sink);
      return;
    }
    endpoint.send(request, ex).then(
      (backend) => {
        onStatus?.(backend.status);
        this.relayBackend(ex, api, backend);
      },
      (e: unknown) => {
        onStatus?.(e instanceof BridgeError ? e.status : 500);
        this.failed(ex, api, e, style);
      },
    );
  }

  private relayBackend(ex: Exchange, api: ApiRuntime, backend: BackendResponse): void {
    this.metrics.observeLatency(api.name, ex.elapsedSeconds());
    relayResponse(ex.res, backend, ex.requestId, this.extraHeaders(api), (err) => this.finish(ex, backend.status, err, backend.endpoint));
  }

  /** Headers every API response carries besides the backend's: RFC 9745 deprecation, draining. */
  extraHeaders(api: ApiRuntime): Record<string, string> | undefined {
    const deprecated = api.config.state === 'DEPRECATED';
    if (!deprecated && !this.draining) return undefined;
    return { ...(deprecated ? { deprecation: 'true' } : {}), ...(this.draining ? { connection: 'close' } : {}) };
  }

  /** @internal the call failed before any response byte: render the error in the caller's style. */
  failed(ex: Exchange, api: ApiRuntime, e: unknown, style: ErrorStyle): void {
    const err = toBridgeError(e);
    const extra: Record<string, string> = { ...this.extraHeaders(api) };
    const allow = err.extensions['allow'];
    if (err.code === 'METHOD_NOT_ALLOWED' && Array.isArray(allow)) extra['allow'] = allow.join(', ');
    sendError(ex.req, ex.res, err, style, ex.requestId, extra);
    this.metrics.observeLatency(api.name, ex.elapsedSeconds());
    if (err.status >= 500) this.metrics.backendErrors.inc({ api: api.name, code: err.code });
    this.finish(ex, err.code === 'INTERNAL_ERROR' ? 500 : ex.res.statusCode, err);
  }

  /** @internal */
  finish(ex: Exchange, status: number, err?: Error, endpoint?: string): void {
    this.inFlight--;
    this.metrics.countRequest(ex.api, ex.req.method ?? '-', status);
    const ms = Math.round((performance.now() - ex.started) * 10) / 10;
    if (err) {
      const be = err instanceof BridgeError ? err : toBridgeError(err);
      const level = be.status >= 500 || !(err instanceof BridgeError) ? 'warn' : 'info';
      this.log[level]({ reqId: ex.requestId, api: ex.api, method: ex.req.method, url: ex.req.url, status, ms, code: be.code, err: be.cause ?? be.message }, 'request failed');
    } else if (this.config.logging.requests) {
      this.log.info({ reqId: ex.requestId, api: ex.api, method: ex.req.method, url: ex.req.url, status, ms, endpoint }, 'request');
    }
    if (this.inFlight === 0 && this.idleWaiters.length > 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** @internal */
  observeLatency(api: string, seconds: number): void {
    this.metrics.observeLatency(api, seconds);
  }

  /**
   * Swaps in a new config: the new table is built (and fails) first, then replaces the old one
   * in one assignment. Requests in flight keep the runtimes they started with; the old pools are
   * closed after the grace period (under continuous load the bridge is never idle).
   */
  async reload(config: BridgeConfig): Promise<void> {
    // Serving: a WSDL that changed is compiled on a worker thread, not on this event loop.
    const next = await Gateway.buildTable(config, this.log, this.extra, { serving: true });
    const old = this.table;
    this.table = next;
    this.config = config;
    setTimeout(() => void Promise.all([...old.values()].map(closeApiRuntime)), config.server.shutdownGraceMs).unref();
  }

  /** Stop taking API work: readiness goes false, responses ask clients to close. */
  startDraining(): void {
    this.draining = true;
  }

  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.table.values()].map(closeApiRuntime));
  }
}

/**
 * The client end of a relayed call (Endpoint.relay): headers go out with one flat writeHead,
 * chunks with res.write (backpressure through RelayControl.resume), a client that goes away
 * aborts the backend call, a backend that breaks mid-body destroys the client socket so the
 * client sees an aborted response. Errors before the head are rendered like any other.
 */
class ClientRelay implements ResponseSink {
  control: RelayControl | undefined;
  private status = 0;
  private endpoint = '';
  private headed = false;
  private done = false;
  private error: Error | undefined;
  private drainHooked = false;

  constructor(
    private readonly gw: Gateway,
    private readonly ex: Exchange,
    private readonly api: ApiRuntime,
    private readonly style: ErrorStyle,
    private readonly onStatus: ((status: number) => void) | undefined,
  ) {
    ex.res.once('close', this.onClose);
  }

  head(status: number, headers: string[], endpoint: string): void {
    this.headed = true;
    this.status = status;
    this.endpoint = endpoint;
    const { ex, api } = this;
    this.gw.observeLatency(api.name, ex.elapsedSeconds());
    this.onStatus?.(status);
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i] === 'x-request-id') {
        headers.splice(i, 2);
        i -= 2;
      }
    }
    headers.push('x-request-id', ex.requestId);
    const extra = this.gw.extraHeaders(api);
    if (extra) for (const k in extra) headers.push(k, extra[k]!);
    ex.res.writeHead(status, headers);
  }

  data(chunk: Buffer): boolean {
    const res = this.ex.res;
    if (res.write(chunk)) return true;
    if (!this.drainHooked) {
      this.drainHooked = true;
      res.on('drain', () => this.control?.resume());
    }
    return false;
  }

  end(): void {
    this.ex.res.end();
  }

  fail(err: BridgeError, afterHead: boolean): void {
    if (this.done) return;
    if (!afterHead) {
      this.done = true;
      this.ex.res.off('close', this.onClose);
      this.onStatus?.(err.status);
      this.gw.failed(this.ex, this.api, err, this.style);
      return;
    }
    this.error = err;
    this.ex.res.destroy(err);
  }

  private readonly onClose = (): void => {
    if (this.done) return;
    const res = this.ex.res;
    if (res.writableFinished) {
      this.done = true;
      this.gw.finish(this.ex, this.status, undefined, this.endpoint);
      return;
    }
    // Client gone: stop the backend call. Before the head, the endpoint reports it through
    // `fail` (rendered and counted like before); after it, the request ends here.
    this.control?.abort();
    if (!this.headed) return;
    this.done = true;
    this.gw.finish(this.ex, this.status, this.error ?? new Error('client closed the connection'));
  };
}
