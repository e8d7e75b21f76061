import type { ApiRuntime } from './api-runtime';
import type { Exchange } from './exchange';
import type { BackendRequest, BackendResponse } from '../endpoints/endpoint';
import { BridgeError } from '../errors/bridge-error';
import { endToEndHeaders } from '../http/headers';
import { requestBody } from './body-limit';
import { selectEndpoint } from './access';

/**
 * REST pass-through: match the resource, build the BackendRequest (streaming body), and let
 * the API's endpoint tree deliver it. Errors are thrown as BridgeError for the caller to render.
 */
export async function proxyRest(ex: Exchange, api: ApiRuntime, rest: string, maxBodyBytes: number): Promise<BackendResponse> {
  const method = ex.req.method ?? 'GET';
  if (!api.resources) throw new BridgeError('ROUTE_NOT_FOUND', `${api.mount} has no REST resources`);
  const match = api.resources.match(method, rest === '' ? '/' : rest);
  if (match.kind === 'not-found') throw new BridgeError('ROUTE_NOT_FOUND', `no resource of ${api.name} matches ${rest || '/'}`);
  if (match.kind === 'method-not-allowed') {
    throw new BridgeError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${rest || '/'}; allowed: ${match.allowed.join(', ')}`, {
      extensions: { allow: match.allowed },
    });
  }
  const endpoint = selectEndpoint(ex, api);
  const { body, length } = requestBody(ex.req, maxBodyBytes);
  const req: BackendRequest = {
    method,
    path: rest === '' ? '/' : rest,
    query: ex.query,
    uriVars: match.uriVars,
    queryParams: ex.query === '' ? {} : firstValues(ex.query),
    headers: endToEndHeaders(ex.req.headers),
    body,
    ...(length !== undefined ? { bodyLength: length } : {}),
    idempotent: match.resource.data.idempotent ?? (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || method === 'OPTIONS'),
  };
  return endpoint.send(req, ex.callContext());
}

function firstValues(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) if (!(k in out)) out[k] = v;
  return out;
}
