import type { ApiHandler } from './gateway';
import type { BackendRequest } from '../endpoints/endpoint';
import { BridgeError } from '../errors/bridge-error';
import { endToEndHeaders } from '../http/headers';
import { firstQueryValues } from '../http/query';
import { parseMediaType } from '../soap/media-type';
import type { BridgeConfig } from '../config/schema';
import { selectEndpoint } from './access';
import { requestBody } from './body-limit';
import { PROBLEM } from './respond';

/**
 * The WSDL's HTTP GET/POST binding operations (see HttpBindingRoutes) at `{mount}{location}`,
 * for SOAP APIs (`expose.soap`): the `?wsdl` sends clients of those ports (zeep binds them) to
 * the bridge. Where a location is also a REST facade path, a JSON body stays the facade's.
 */
export function httpBindingHandler(getConfig: () => BridgeConfig): ApiHandler {
  return (ex, api, rest) => {
    if (!api.soap || !api.config.expose?.soap || rest === '' || rest === '/') return undefined;
    const routes = api.soap.httpRoutes();
    if (!routes) return undefined;
    const method = ex.req.method ?? 'GET';
    const hit = routes.match(method, rest);
    if (!hit) return undefined;
    if (api.facade && parseMediaType(ex.req.headers['content-type'] ?? '')?.essence === 'application/json') return undefined;
    return {
      style: PROBLEM,
      run: async () => {
        if ('allowed' in hit) {
          throw new BridgeError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${rest}; its HTTP binding takes ${hit.allowed.join(', ')}`, { extensions: { allow: hit.allowed } });
        }
        const endpoint = selectEndpoint(ex, api);
        const { body, length } = requestBody(ex.req, getConfig().server.limits.maxBodyBytes);
        const request: BackendRequest = {
          method,
          path: rest,
          query: ex.query,
          uriVars: {},
          queryParams: firstQueryValues(ex.query),
          headers: endToEndHeaders(ex.req.headers),
          body,
          ...(length !== undefined ? { bodyLength: length } : {}),
          // An HTTP GET binding is a read (RFC 9110); a POST one is not known to be.
          idempotent: method === 'GET' || method === 'HEAD',
          // No `operation`: not a SOAP call (a prototype answers it as the resource "GET /GetWeather").
          httpBinding: true,
        };
        return { endpoint, request };
      },
    };
  };
}
