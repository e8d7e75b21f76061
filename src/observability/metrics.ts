import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';



/**
 * Gateway metrics on one registry per bridge instance (tests start several bridges in one
 * process, so nothing goes to prom-client's global registry).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'api' | 'method' | 'status'>;
  readonly latency: Histogram<'api'>;
  readonly backendErrors: Counter<'api' | 'code'>;
  readonly soapOperations: Counter<'api' | 'operation' | 'status'>;

  // Bound children by label values: prom-client hashes label objects on every call otherwise,
  // which showed in the hot path's profile.
  private readonly requestChildren = new Map<string, { inc(): void }>();
  private readonly latencyChildren = new Map<string, { observe(v: number): void }>();

  countRequest(api: string, method: string, status: number): void {
    const key = `${api}\u0000${method}\u0000${status}`;
    let c = this.requestChildren.get(key);
    if (!c) {
      c = this.requests.labels({ api, method, status });
      this.requestChildren.set(key, c);
    }
    c.inc();
  }

  observeLatency(api: string, seconds: number): void {
    let c = this.latencyChildren.get(api);
    if (!c) {
      c = this.latency.labels({ api });
      this.latencyChildren.set(api, c);
    }
    c.observe(seconds);
  }

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'soapbridge_process_' });
    this.requests = new Counter({
      name: 'soapbridge_requests_total',
      help: 'Requests answered, by API, method and status',
      labelNames: ['api', 'method', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'soapbridge_request_duration_seconds',
      help: 'Time to the response headers, by API',
      labelNames: ['api'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.backendErrors = new Counter({
      name: 'soapbridge_backend_errors_total',
      help: 'Backend calls that failed, by API and error code',
      labelNames: ['api', 'code'],
      registers: [this.registry],
    });
    this.soapOperations = new Counter({
      name: 'soapbridge_soap_operation_requests_total',
      help: 'SOAP pass-through requests by API, operation and status',
      labelNames: ['api', 'operation', 'status'],
      registers: [this.registry],
    });
  }
}
