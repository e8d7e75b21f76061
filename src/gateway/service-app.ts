import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { BridgeError, toBridgeError } from '../errors/bridge-error';
import { toProblem, PROBLEM_CONTENT_TYPE } from '../errors/to-problem';
import { ConfigError, formatProblem } from '../config/problems';
import { isWsdlImportError } from '../wsdl/errors';

/** Foreign errors that reach Express (body parsers, config, WSDL import) in catalogue terms. */
function translate(e: unknown): BridgeError {
  if (e instanceof ConfigError) {
    return new BridgeError('CONFIG_INVALID', `${e.problems.length} problem(s)`, { extensions: { problems: e.problems.map(formatProblem) } });
  }
  if (isWsdlImportError(e)) return new BridgeError('WSDL_INVALID', e.message);
  const status = (e as { status?: unknown; type?: unknown } | null)?.status;
  if (!(e instanceof BridgeError) && typeof status === 'number' && status >= 400 && status < 500) {
    return new BridgeError(status === 413 ? 'BODY_TOO_LARGE' : 'BAD_REQUEST', (e as Error).message);
  }
  return toBridgeError(e);
}

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
  const err = translate(e);
  const requestId = String(res.getHeader('x-request-id') ?? '');
  res.status(err.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(toProblem(err, { instance: req.originalUrl, ...(requestId ? { requestId } : {}) })));
}
