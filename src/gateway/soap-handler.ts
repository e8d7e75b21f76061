import type { ApiHandler } from './gateway';
import type { ApiRuntime } from './api-runtime';
import type { Exchange } from './exchange';
import type { BackendRequest, BackendResponse } from '../endpoints/endpoint';
import type { BridgeConfig } from '../config/schema';
import type { GatewayMetrics } from '../observability/metrics';
import { BridgeError } from '../errors/bridge-error';
import { endToEndHeaders } from '../http/headers';
import { requestBody } from './body-limit';
import { soapRequestInfo } from '../soap/request-info';
import { inspectEnvelope } from '../soap/envelope-stream';
import { docRequest } from './wsdl-docs';
import { PROBLEM } from './respond';
import { firstQueryValues } from '../http/query';
import { bufferedResponse } from '../http/buffered-response';
import { selectEndpoint, checkDocsServed } from './access';
import type { Outbound } from './rest-proxy';

/**
 * SOAP at `/{context}/{version}`: `GET ?wsdl` (and `?wsdl=N`, `?xsd=N`) serves the rewritten
 * description; `POST` passes an envelope through to the API's endpoint once its operation is
 * identified and checked against the WSDL. Errors go back as Faults of the caller's version.
 */
export function soapHandler(getConfig: () => BridgeConfig, metrics: GatewayMetrics): ApiHandler {
  return (ex, api, rest) => {
    const soap = api.soap;
    if (!soap || (rest !== '' && rest !== '/')) return undefined;
    const method = ex.req.method;
    if (method === 'GET' || method === 'HEAD') {
      const doc = docRequest(ex.query);
      if (!doc) return undefined;
      return {
        style: PROBLEM,
        run: async (): Promise<BackendResponse> => {
          checkDocsServed(api);
          const text = await soap.docs.get(doc, publicBase(getConfig(), ex, api));
          // HEAD: Node sends the head only, with the length the GET would have.
          return bufferedResponse(200, { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-cache' }, Buffer.from(text, 'utf8'), 'wsdl');
        },
      };
    }
    if (method !== 'POST' || !api.config.expose?.soap) return undefined;
    const info = soapRequestInfo(ex.req.headers);
    // Without a SOAP content type we still answer as SOAP 1.1, the version most clients speak.
    const style = { kind: 'soap', version: info?.version ?? '1.1' } as const;
    return {
      style,
      run: async () => {
        if (!info) {
          if (/^multipart\/related/i.test(ex.req.headers['content-type'] ?? '')) {
            throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', 'SOAP with attachments (multipart/related: MTOM/SwA) is not supported yet');
          }
          throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', 'expected text/xml with SOAPAction (SOAP 1.1) or application/soap+xml (SOAP 1.2)');
        }
        return passThrough(ex, api, info.version, info.action, getConfig().server.limits.maxBodyBytes, metrics);
      },
    };
  };
}

async function passThrough(ex: Exchange, api: ApiRuntime, version: '1.1' | '1.2', action: string, maxBodyBytes: number, metrics: GatewayMetrics): Promise<Outbound> {
  const soap = api.soap!;
  const endpoint = selectEndpoint(ex, api);
  const { body, length } = requestBody(ex.req, maxBodyBytes);
  if (!body) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the request has no body');
  const { decision: op, body: envelope } = await inspectEnvelope(body, version, (start) => soap.index.resolve(version, action, start.firstBodyElement), length);
  const req: BackendRequest = {
    method: 'POST',
    path: '/',
    // Kept for prototypes (?responseCode=); a soap/wsdl leaf uses its address as is.
    query: ex.query,
    uriVars: {},
    queryParams: firstQueryValues(ex.query),
    headers: endToEndHeaders(ex.req.headers),
    body: envelope,
    ...(length !== undefined ? { bodyLength: length } : {}),
    idempotent: api.config.operations?.[op.name]?.idempotent ?? false,
    operation: op.name,
  };
  return { endpoint, request: req, onStatus: (status) => metrics.soapOperations.inc({ api: api.name, operation: op.name, status }) };
}

/** The URL clients should call: publicUrl (https wins), else what the request came in on. */
export function publicBase(config: BridgeConfig, ex: Exchange, api: ApiRuntime): string {
  const pub = config.server.publicUrl?.https ?? config.server.publicUrl?.http;
  const root = pub ? pub.replace(/\/$/, '') : `${ex.callContext().proto}://${ex.req.headers.host ?? 'localhost'}`;
  return root + api.mount;
}
