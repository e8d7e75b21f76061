import type { ApiRuntime } from './api-runtime';
import type { Exchange } from './exchange';
import type { BackendRequest, Endpoint } from '../endpoints/endpoint';
import { BridgeError } from '../errors/bridge-error';
import { endToEndHeaders } from '../http/headers';
import { requestBody } from './body-limit';
import { firstQueryValues } from '../http/query';
import { selectEndpoint } from './access';

/** A request ready to go: which endpoint tree delivers it, and what it sends. */
export interface Outbound {
  readonly endpoint: Endpoint;
  readonly request: BackendRequest;
  /** Told the response status (or the error's) once known, e.g. for per-operation metrics. */
  readonly onStatus?: (status: number) => void;
}

/**
 * REST pass-through: match the resource and build the BackendRequest (streaming body) for the
 * API's endpoint tree. Errors are thrown as BridgeError for the caller to render.
 */
export function prepareRest(ex: Exchange, api: ApiRuntime, rest: string, maxBodyBytes: number): Outbound {
  const method = ex.req.method ?? 'GET';
  if (!api.resources) throw new BridgeError('ROUTE_NOT_FOUND', `${api.mount} has no REST resources`);
  const path = rest === '' ? '/' : rest;
  const match = api.resources.match(method, path);
  if (match.kind === 'not-found') throw new BridgeError('ROUTE_NOT_FOUND', `no resource of ${api.name} matches ${path}`);
  if (match.kind === 'method-not-allowed') {
    throw new BridgeError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; allowed: ${match.allowed.join(', ')}`, {
      extensions: { allow: match.allowed },
    });
  }
  const endpoint = selectEndpoint(ex, api);
  const { body, length } = requestBody(ex.req, maxBodyBytes);
  const query = ex.query;
  const request: BackendRequest = {
    method,
    path,
    query,
    uriVars: match.uriVars,
    queryParams: firstQueryValues(query),
    headers: endToEndHeaders(ex.req.headers),
    body,
    ...(length !== undefined ? { bodyLength: length } : {}),
    idempotent: match.resource.data.idempotent ?? (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || method === 'OPTIONS'),
  };
  return { endpoint, request };
}
