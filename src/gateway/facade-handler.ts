import type { ApiHandler } from './gateway';
import { operationIdempotent, type ApiRuntime } from './api-runtime';
import type { Exchange } from './exchange';
import type { BackendRequest, BackendResponse, Endpoint, RelayControl, ResponseSink } from '../endpoints/endpoint';
import type { BridgeConfig } from '../config/schema';
import type { FacadeOperation } from '../facade/index';
import { openapiDocument } from '../openapi/index';
import { BridgeError } from '../errors/bridge-error';
import { PROBLEM } from './respond';
import { selectEndpoint, checkDocsServed } from './access';
import { publicBase } from './soap-handler';
import { readUpTo } from '../endpoints/replay';
import { firstHeader } from '../http/headers';
import { queryValueLists } from '../http/query';
import { bufferedResponse } from '../http/buffered-response';
import { readBody } from './body-limit';
import { RenderedCache, RenderedDoc, renderedResponse } from './rendered-doc';
import { parseMediaType } from '../soap/media-type';
import { decodeBody, requestCoding } from '../http/content-coding';
import { decodeXml } from '../wsdl/xml/decode-xml';

/** Backend answers above this are refused rather than mapped (the mapper needs the whole XML). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Each API runtime's rendered OpenAPI documents, per base URL. Built on every request, the 3 MB
 * document of a 1,500-operation WSDL cost ≈ 70 ms of event loop each time; now once per runtime
 * (a reload builds a new one) and base URL, gzip and ETag/304 like `?wsdl`.
 */
const openapiRendered = new WeakMap<ApiRuntime, RenderedCache>();

function openapiDocs(api: ApiRuntime): RenderedCache {
  let docs = openapiRendered.get(api);
  if (!docs) openapiRendered.set(api, (docs = new RenderedCache()));
  return docs;
}

/**
 * The REST facade of a SOAP API (`expose.rest`): `POST /{context}/{version}/{operation}` with a
 * JSON body (or `GET` with query parameters for all-simple inputs) becomes a SOAP envelope built
 * from the XSD; the answer comes back as JSON by the same schema, Faults as problem+json.
 * `GET /{context}/{version}/openapi.json` describes it.
 */
export function facadeHandler(getConfig: () => BridgeConfig): ApiHandler {
  return (ex, api, rest) => {
    const facade = api.facade;
    if (!facade || rest === '' || rest === '/') return undefined;
    const method = ex.req.method;
    if (rest === '/openapi.json' && (method === 'GET' || method === 'HEAD')) {
      return {
        style: PROBLEM,
        run: async () => {
          checkDocsServed(api);
          const base = publicBase(getConfig(), ex, api);
          const doc = openapiDocs(api).get(base, () => {
            const text = JSON.stringify(openapiDocument(api.soap!.model, facade, { title: api.config.description ?? api.name, version: api.config.version, serverUrl: base }));
            return new RenderedDoc(text, text);
          });
          return renderedResponse(ex, doc, 'application/json', 'openapi');
        },
      };
    }
    const op = facade.find(rest.slice(1));
    if (!op) return undefined;
    return {
      style: PROBLEM,
      run: () => callOperation(ex, api, op, method ?? 'GET', getConfig().server.limits.maxBodyBytes),
    };
  };
}

async function callOperation(ex: Exchange, api: ApiRuntime, op: FacadeOperation, method: string, maxBodyBytes: number): Promise<BackendResponse> {
  // Key and lifecycle first, as on the SOAP side: a caller without a key learns nothing of the
  // schema from validation errors, and a blocked API answers 503 whatever the body.
  const endpoint = selectEndpoint(ex, api);
  let input: unknown;
  if (method === 'GET') {
    if (!op.allowsGet) throw new BridgeError('METHOD_NOT_ALLOWED', `${op.segment} takes structured input: POST a JSON body`, { extensions: { allow: ['POST'] } });
    input = op.fromQuery(queryValueLists(ex.query));
  } else if (method === 'POST') {
    const ct = (firstHeader(ex.req.headers['content-type']) ?? '').toLowerCase();
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(ct)) throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', 'expected application/json');
    const declared = Number(ex.req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) throw new BridgeError('BODY_TOO_LARGE', `content-length ${declared} exceeds ${maxBodyBytes} bytes`);
    const coding = requestCoding(ex.req.headers['content-encoding']);
    const raw = await readBody(ex.req, maxBodyBytes);
    const buf = coding ? await decodeBody(raw, coding, maxBodyBytes) : raw;
    try {
      input = buf.length === 0 ? {} : JSON.parse(buf.toString('utf8'));
    } catch (e) {
      throw new BridgeError('BAD_REQUEST', `invalid JSON: ${(e as Error).message}`);
    }
  } else {
    throw new BridgeError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${op.segment}`, { extensions: { allow: op.allowsGet ? ['GET', 'POST'] : ['POST'] } });
  }
  const envelope = Buffer.from(op.toEnvelope(input), 'utf8');
  const req: BackendRequest = {
    method: 'POST',
    path: '/',
    query: '',
    uriVars: {},
    queryParams: {},
    headers: op.backendHeaders(envelope.length),
    body: envelope,
    bodyLength: envelope.length,
    idempotent: operationIdempotent(api, op.operation),
    operation: op.name,
  };
  const res = await (endpoint.relay ? collectRelayed(endpoint.relay, req, ex) : collectSent(endpoint, req, ex));
  const mapped = op.fromEnvelope(res.xml, res.status);
  if (mapped.body === null) return bufferedResponse(mapped.status, {}, null, res.endpoint);
  return jsonResponse(mapped.status, mapped.body, mapped.problem ? 'application/problem+json' : 'application/json', res.endpoint);
}


/** A backend answer read whole. */
interface Collected {
  status: number;
  xml: string;
  endpoint: string;
}

/** The `charset` of a backend's Content-Type: an ISO-8859-1 or UTF-16 answer is not read as UTF-8. */
function charsetOf(contentType: string | undefined): string | undefined {
  return contentType === undefined ? undefined : parseMediaType(contentType)?.params.get('charset');
}

function tooLarge(): BridgeError {
  return new BridgeError('BACKEND_RESPONSE_INVALID', `the backend's answer exceeds ${MAX_RESPONSE_BYTES} bytes`);
}

async function collectSent(endpoint: Endpoint, req: BackendRequest, ex: Exchange): Promise<Collected> {
  const res = await endpoint.send(req, ex.callContext());
  const body = await readUpTo(res.body, MAX_RESPONSE_BYTES);
  if (!body.complete) {
    body.stream.destroy();
    throw tooLarge();
  }
  return { status: res.status, xml: decodeXml(body.buf, charsetOf(firstHeader(res.headers['content-type']))), endpoint: res.endpoint };
}

/**
 * The endpoint's fast path (`relay`): the answer arrives as head/data/end on a sink, without a
 * Readable, an async iterator or an AbortSignal per call. A client that goes away aborts the call.
 */
function collectRelayed(relay: NonNullable<Endpoint['relay']>, req: BackendRequest, ex: Exchange): Promise<Collected> {
  return new Promise<Collected>((resolve, reject) => {
    const sink = new CollectSink(resolve, reject);
    sink.control = relay(req, ex.callContext(), sink);
    if (!sink.settled) ex.res.once('close', sink.onClientClose);
  });
}

class CollectSink implements ResponseSink {
  control: RelayControl | undefined;
  settled = false;
  private status = 0;
  private endpoint = '';
  private charset: string | undefined;
  private first: Buffer | null = null;
  private more: Buffer[] | null = null;
  private total = 0;

  constructor(
    private readonly resolve: (c: Collected) => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  readonly onClientClose = (): void => {
    if (!this.settled) this.control?.abort();
  };

  head(status: number, headers: string[], endpoint: string): void {
    this.status = status;
    this.endpoint = endpoint;
    for (let i = 0; i < headers.length; i += 2) if (headers[i] === 'content-type') this.charset = charsetOf(headers[i + 1]);
  }

  data(chunk: Buffer): boolean {
    if (this.settled) return true;
    this.total += chunk.length;
    if (this.total > MAX_RESPONSE_BYTES) {
      this.settled = true;
      this.first = null;
      this.more = null;
      this.reject(tooLarge());
      this.control?.abort();
      return true;
    }
    if (this.first === null) this.first = chunk;
    else (this.more ??= [this.first]).push(chunk);
    return true;
  }

  end(): void {
    if (this.settled) return;
    this.settled = true;
    const buf = this.more ? Buffer.concat(this.more, this.total) : this.first;
    this.resolve({ status: this.status, xml: buf ? decodeXml(buf, this.charset) : '', endpoint: this.endpoint });
  }

  fail(err: BridgeError): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }
}

function jsonResponse(status: number, value: unknown, contentType: string, endpoint = 'facade'): BackendResponse {
  return bufferedResponse(status, { 'content-type': contentType }, Buffer.from(JSON.stringify(value), 'utf8'), endpoint);
}
