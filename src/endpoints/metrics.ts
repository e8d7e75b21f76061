import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SuspendingEndpoint } from './suspending';
import type { EndpointStateKind } from './endpoint';

/** Subscribes leaves to Prometheus metrics; the factory calls `observe` for every leaf it wraps. */
export interface EndpointMetrics {
  observe(leaf: SuspendingEndpoint): void;
}

const STATE_VALUE: Record<EndpointStateKind, number> = { ACTIVE: 0, TIMEOUT: 1, SUSPENDED: 2 };

/**
 * Per-endpoint metrics in the gateway's registry. Safe to call again with the same registry (on
 * config reload): metrics already registered are reused rather than registered twice.
 *
 * @example
 *   const metrics = createEndpointMetrics(registry);
 *   buildEndpoint(cfg, { ...deps, metrics }, 'weather.production');
 */
export function createEndpointMetrics(registry: Registry, prefix = 'soapbridge_endpoint_'): EndpointMetrics {
  function reuse<T>(name: string, make: () => T): T {
    return (registry.getSingleMetric(name) as T | undefined) ?? make();
  }
  const requests = reuse(`${prefix}requests_total`, () =>
    new Counter({ name: `${prefix}requests_total`, help: 'Requests sent to a backend endpoint', labelNames: ['endpoint'], registers: [registry] }),
  );
  const failures = reuse(`${prefix}failures_total`, () =>
    new Counter({ name: `${prefix}failures_total`, help: 'Failed backend requests by error code', labelNames: ['endpoint', 'code'], registers: [registry] }),
  );
  const changes = reuse(`${prefix}state_changes_total`, () =>
    new Counter({ name: `${prefix}state_changes_total`, help: 'Endpoint state transitions', labelNames: ['endpoint', 'from', 'to'], registers: [registry] }),
  );
  const state = reuse(`${prefix}state`, () =>
    new Gauge({ name: `${prefix}state`, help: 'Endpoint state: 0 ACTIVE, 1 TIMEOUT, 2 SUSPENDED', labelNames: ['endpoint'], registers: [registry] }),
  );
  const latency = reuse(`${prefix}latency_seconds`, () =>
    new Histogram({
      name: `${prefix}latency_seconds`,
      help: 'Time to the backend response headers (or the failure)',
      labelNames: ['endpoint', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  );
  return {
    observe(leaf) {
      state.set({ endpoint: leaf.name }, STATE_VALUE[leaf.state.kind]);
      // Children bound once per leaf: prom-client hashes a label object on every call otherwise.
      const count = requests.labels({ endpoint: leaf.name });
      const okLatency = latency.labels({ endpoint: leaf.name, outcome: 'success' });
      const failLatency = latency.labels({ endpoint: leaf.name, outcome: 'failure' });
      leaf.on('outcome', (o) => {
        count.inc();
        if (o.code) failures.inc({ endpoint: o.endpoint, code: o.code });
        (o.code ? failLatency : okLatency).observe(o.ms / 1000);
      });
      leaf.on('stateChange', (c) => {
        changes.inc({ endpoint: c.endpoint, from: c.from.kind, to: c.to.kind });
        state.set({ endpoint: c.endpoint }, STATE_VALUE[c.to.kind]);
      });
    },
  };
}
