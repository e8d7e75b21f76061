import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { BridgeError, toBridgeError } from '../errors/bridge-error';
import { toProblem, PROBLEM_CONTENT_TYPE } from '../errors/to-problem';

export interface ServiceAppDeps {
  isReady(): boolean;
}

/**
 * Express serves everything that is not an API call: health, readiness, and the problem+json
 * 404 for unknown paths. Kept off the hot path on purpose (see gateway.ts).
 */
export function createServiceApp(deps: ServiceAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'draining' });
  });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new BridgeError('ROUTE_NOT_FOUND', `no API is mounted at ${req.path}`));
  });
  app.use(problemResponder);
  return app;
}

/** Express error handler rendering the catalogue as problem+json (shared with the admin app). */
export function problemResponder(e: unknown, req: Request, res: Response, _next: NextFunction): void {
  const err = toBridgeError(e);
  const requestId = String(res.getHeader('x-request-id') ?? '');
  res.status(err.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(toProblem(err, { instance: req.originalUrl, ...(requestId ? { requestId } : {}) })));
}
