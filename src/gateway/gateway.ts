import type { IncomingMessage, ServerResponse, RequestListener } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { BridgeConfig } from '../config/schema';
import { RouteTable } from './route-table';
import { type ApiRuntime, buildApiRuntime, closeApiRuntime } from './api-runtime';
import { Exchange } from './exchange';
import { proxyRest } from './rest-proxy';
import { PROBLEM, relayResponse, sendError, type ErrorStyle } from './respond';
import type { GatewayMetrics } from '../observability/metrics';
import { BridgeError, toBridgeError } from '../errors/bridge-error';
import type { BackendResponse } from '../endpoints/endpoint';
import type { EndpointDeps } from '../endpoints/factory';

/** One API kind's request handler, chosen per request (REST resources, SOAP, facade...). */
export type ApiHandler = (ex: Exchange, api: ApiRuntime, rest: string) => { style: ErrorStyle; run: () => Promise<BackendResponse> } | undefined;

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
    table: RouteTable<ApiRuntime>,
  ) {
    this.table = table;
  }

  static async create(config: BridgeConfig, app: Express, log: Logger, metrics: GatewayMetrics, extra: Partial<EndpointDeps> = {}): Promise<Gateway> {
    const g = new Gateway(config, app, log, metrics, await Gateway.buildTable(config, log, extra));
    g.extra = extra;
    return g;
  }

  private extra: Partial<EndpointDeps> = {};

  /** Builds every API's runtime (WSDL models, endpoint trees); fails as a whole. */
  static async buildTable(config: BridgeConfig, log: Logger, extra: Partial<EndpointDeps>): Promise<RouteTable<ApiRuntime>> {
    const table = new RouteTable<ApiRuntime>();
    const built = await Promise.all(config.apis.map((api) => buildApiRuntime(api, config, log, extra)));
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
    if (this.draining) res.setHeader('connection', 'close');
    const found = this.table.find(ex.path);
    if (!found) {
      res.setHeader('x-request-id', ex.requestId);
      this.app(req, res);
      return;
    }
    const api = found.value;
    ex.api = api.name;
    // RFC 9745: a deprecated API keeps serving and says so on every response.
    if (api.config.state === 'DEPRECATED') res.setHeader('deprecation', 'true');
    this.inFlight++;
    let style: ErrorStyle = PROBLEM;
    let run: () => Promise<BackendResponse> = () => proxyRest(ex, api, found.rest, this.config.server.limits.maxBodyBytes);
    for (const h of this.handlers) {
      const chosen = h(ex, api, found.rest);
      if (chosen) {
        ({ style, run } = chosen);
        break;
      }
    }
    run().then(
      (backend) => {
        this.metrics.observeLatency(api.name, ex.elapsedSeconds());
        relayResponse(res, backend, ex.requestId, undefined, (err) => this.finish(ex, backend.status, err, backend.endpoint));
      },
      (e: unknown) => {
        const err = toBridgeError(e);
        const extra: Record<string, string> = {};
        const allow = err.extensions['allow'];
        if (err.code === 'METHOD_NOT_ALLOWED' && Array.isArray(allow)) extra['allow'] = allow.join(', ');
        sendError(req, res, err, style, ex.requestId, extra);
        this.metrics.observeLatency(api.name, ex.elapsedSeconds());
        if (err.status >= 500) this.metrics.backendErrors.inc({ api: api.name, code: err.code });
        this.finish(ex, err.code === 'INTERNAL_ERROR' ? 500 : res.statusCode, err);
      },
    );
  }

  private finish(ex: Exchange, status: number, err?: Error, endpoint?: string): void {
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

  /**
   * Swaps in a new config: the new table is built (and fails) first, then replaces the old one
   * in one assignment. Requests in flight keep the runtimes they started with; the old pools are
   * closed after the grace period (under continuous load the bridge is never idle).
   */
  async reload(config: BridgeConfig): Promise<void> {
    const next = await Gateway.buildTable(config, this.log, this.extra);
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
