import { Readable } from 'node:stream';
import type { ApiHandler } from './gateway';
import { operationIdempotent, type ApiRuntime } from './api-runtime';
import type { Exchange } from './exchange';
import type { BackendRequest, BackendResponse, Endpoint } from '../endpoints/endpoint';
import type { BridgeConfig } from '../config/schema';
import type { Operation } from '../wsdl/model';
import type { SoapVersion } from '../errors/to-soap-fault';
import type { GatewayMetrics } from '../observability/metrics';
import { BridgeError } from '../errors/bridge-error';
import { endToEndHeaders } from '../http/headers';
import { readBody, requestBody } from './body-limit';
import { soapRequestInfo } from '../soap/request-info';
import { inspectEnvelope } from '../soap/envelope-stream';
import type { EnvelopeStart } from '../soap/envelope-inspector';
import { decodeBody, requestCoding, type ContentCoding } from '../http/content-coding';
import { checkRootPart, relatedRequestInfo, type RelatedSoapRequest } from '../soap/related-request';
import { inspectRelated } from '../soap/related-stream';
import { docRequest } from './wsdl-docs';
import { renderedResponse } from './rendered-doc';
import { PROBLEM } from './respond';
import { firstQueryValues } from '../http/query';
import { selectEndpoint, checkDocsServed } from './access';
import type { Outbound } from './rest-proxy';

/**
 * SOAP at `/{context}/{version}`: `GET ?wsdl` (and `?wsdl=N`, `?xsd=N`) serves the rewritten
 * description; `POST` passes an envelope (or an MTOM/SwA multipart/related message) through to
 * the API's endpoint once its operation is identified and checked against the WSDL. Errors go
 * back as Faults of the caller's version.
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
          return renderedResponse(ex, await soap.docs.get(doc, publicBase(getConfig(), ex, api)), 'text/xml; charset=utf-8', 'wsdl');
        },
      };
    }
    if (method !== 'POST' || !api.config.expose?.soap) return undefined;
    const info = soapRequestInfo(ex.req.headers);
    const related = info ? undefined : relatedRequestInfo(ex.req.headers);
    // Without a SOAP content type we still answer as SOAP 1.1, the version most clients speak.
    const version = info?.version ?? (related ? (related.ok ? related.request.version : related.version) : '1.1');
    const style = { kind: 'soap', version } as const;
    return {
      style,
      run: async () => {
        const maxBodyBytes = getConfig().server.limits.maxBodyBytes;
        if (info) return passThrough(ex, api, info.version, info.action, maxBodyBytes, metrics);
        if (related?.ok) return passThroughRelated(ex, api, related.request, maxBodyBytes, metrics);
        if (related) throw related.error;
        throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', 'expected text/xml with SOAPAction (SOAP 1.1), application/soap+xml (SOAP 1.2) or multipart/related (MTOM, SOAP with attachments)');
      },
    };
  };
}

async function passThrough(ex: Exchange, api: ApiRuntime, version: SoapVersion, action: string, maxBodyBytes: number, metrics: GatewayMetrics): Promise<Outbound> {
  const soap = api.soap!;
  const endpoint = selectEndpoint(ex, api);
  const coding = requestCoding(ex.req.headers['content-encoding']);
  const { body, length } = requestBody(ex.req, maxBodyBytes);
  if (!body) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the request has no body');
  const decide = (start: EnvelopeStart): Operation => soap.index.resolve(version, action, start.firstBodyElement);
  if (coding) {
    const plain = await decodedBody(body, coding, maxBodyBytes);
    const { decision: op } = await inspectEnvelope(Readable.from([plain], { objectMode: false }), version, decide, plain.length);
    return outbound(ex, api, endpoint, op, plain, plain.length, metrics, true);
  }
  const { decision: op, body: envelope } = await inspectEnvelope(body, version, decide, length);
  return outbound(ex, api, endpoint, op, envelope, length, metrics);
}

/**
 * A compressed request (CXF's GZIP feature, WCF compression): read whole and decoded within
 * `maxBodyBytes` (both sizes), so the envelope gets the same checks as a plain one. The backend
 * gets it decoded: every SOAP server reads identity, not every one gzip, and what works on the
 * message (wsSecurity, prototypes, dynamic rules) needs the plain bytes anyway.
 */
async function decodedBody(body: Readable, coding: ContentCoding, maxBodyBytes: number): Promise<Buffer> {
  return decodeBody(await readBody(body, maxBodyBytes), coding, maxBodyBytes);
}

/**
 * MTOM/XOP and SOAP with attachments, passed through: the root part's envelope gets the same
 * checks as a plain envelope (inspectEnvelope: version, well-formed, no DOCTYPE, operation);
 * the whole multipart body then goes to the backend byte for byte, with its own Content-Type.
 * `xop:Include` elements are ordinary elements here; attachments are neither decoded nor parsed.
 */
async function passThroughRelated(ex: Exchange, api: ApiRuntime, rel: RelatedSoapRequest, maxBodyBytes: number, metrics: GatewayMetrics): Promise<Outbound> {
  const soap = api.soap!;
  const endpoint = selectEndpoint(ex, api);
  const coding = requestCoding(ex.req.headers['content-encoding']);
  const { body, length } = requestBody(ex.req, maxBodyBytes);
  if (!body) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the request has no body');
  const decoded = coding ? await decodedBody(body, coding, maxBodyBytes) : undefined;
  const { decision: op, body: whole } = await inspectRelated(
    decoded ? Readable.from([decoded], { objectMode: false }) : body,
    rel.boundary,
    rel.start,
    async (root) => {
      const { action } = checkRootPart(rel, root.headers);
      const envelope = Readable.from([root.body], { objectMode: false });
      return (await inspectEnvelope(envelope, rel.version, (start) => soap.index.resolve(rel.version, action, start.firstBodyElement), root.body.length)).decision;
    },
    decoded ? decoded.length : length,
  );
  return decoded ? outbound(ex, api, endpoint, op, whole, decoded.length, metrics, true) : outbound(ex, api, endpoint, op, whole, length, metrics);
}

/** `decoded`: the body is the client's compressed one decoded, so its Content-Encoding and length no longer hold. */
function outbound(ex: Exchange, api: ApiRuntime, endpoint: Endpoint, op: Operation, body: Readable | Buffer, length: number | undefined, metrics: GatewayMetrics, decoded = false): Outbound {
  const headers = endToEndHeaders(ex.req.headers);
  if (decoded) {
    delete headers['content-encoding'];
    headers['content-length'] = String(length);
  }
  const req: BackendRequest = {
    method: 'POST',
    path: '/',
    // Kept for prototypes (?responseCode=); a soap/wsdl leaf uses its address as is.
    query: ex.query,
    uriVars: {},
    queryParams: firstQueryValues(ex.query),
    headers,
    body,
    ...(length !== undefined ? { bodyLength: length } : {}),
    idempotent: operationIdempotent(api, op),
    operation: op.key,
  };
  return { endpoint, request: req, onStatus: (status) => metrics.soapOperations.inc({ api: api.name, operation: op.key, status }) };
}

/** The URL clients should call: publicUrl (https wins), else what the request came in on. */
export function publicBase(config: BridgeConfig, ex: Exchange, api: ApiRuntime): string {
  const pub = config.server.publicUrl?.https ?? config.server.publicUrl?.http;
  const root = pub ? pub.replace(/\/$/, '') : `${ex.callContext().proto}://${ex.req.headers.host ?? 'localhost'}`;
  return root + api.mount;
}
