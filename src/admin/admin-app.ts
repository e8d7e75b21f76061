import express, { type Express } from 'express';
import type { Gateway } from '../gateway/gateway';
import type { GatewayMetrics } from '../observability/metrics';
import { problemResponder } from '../gateway/service-app';
import { requireBearer } from './bearer';
import { apiRoutes } from './api-routes';
import { BridgeError } from '../errors/bridge-error';
import type { ReloadOutcome } from '../config/reload';
import type { EndpointStatus } from '../endpoints/endpoint';

export interface AdminDeps {
  readonly gateway: Gateway;
  readonly metrics: GatewayMetrics;
  readonly token: string | undefined;
  readonly reload: (reason: string) => Promise<ReloadOutcome>;
}

/**
 * The admin listener (loopback by default). `/metrics` is open to scrapers on that listener;
 * everything else needs the bearer token.
 */
export function createAdminApp(deps: AdminDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    } catch (e) {
      next(e);
    }
  });
  app.use(requireBearer(deps.token));
  app.get('/endpoints', (_req, res) => {
    const out: Record<string, { production?: EndpointStatus; sandbox?: EndpointStatus }> = {};
    for (const api of deps.gateway.apis()) {
      out[api.name] = {
        ...(api.production ? { production: api.production.status() } : {}),
        ...(api.sandbox ? { sandbox: api.sandbox.status() } : {}),
      };
    }
    res.json(out);
  });
  app.use(apiRoutes({ config: () => deps.gateway.currentConfig, reload: deps.reload }));
  app.use((req, _res, next) => next(new BridgeError('ROUTE_NOT_FOUND', `no admin route ${req.method} ${req.path}`)));
  app.use(problemResponder);
  return app;
}
