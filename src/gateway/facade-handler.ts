import { Readable } from 'node:stream';
import type { ApiHandler } from './gateway';
import type { ApiRuntime } from './api-runtime';
import type { Exchange } from './exchange';
import type { BackendRequest, BackendResponse } from '../endpoints/endpoint';
import type { BridgeConfig } from '../config/schema';
import type { FacadeOperation } from '../facade/index';
import { openapiDocument } from '../openapi/index';
import { BridgeError } from '../errors/bridge-error';
import { PROBLEM } from './respond';
import { selectEndpoint, checkDocsServed } from './access';
import { publicBase } from './soap-handler';
import { readUpTo } from '../endpoints/replay';
import { firstHeader } from '../http/headers';

/** Backend answers above this are refused rather than mapped (the mapper needs the whole XML). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

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
          const doc = openapiDocument(api.soap!.model, facade, { title: api.config.description ?? api.name, version: api.config.version, serverUrl: base });
          return jsonResponse(200, doc, 'application/json');
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
  let input: unknown;
  if (method === 'GET') {
    if (!op.allowsGet) throw new BridgeError('METHOD_NOT_ALLOWED', `${op.segment} takes structured input: POST a JSON body`, { extensions: { allow: ['POST'] } });
    input = op.fromQuery(queryObject(ex.query));
  } else if (method === 'POST') {
    const ct = (firstHeader(ex.req.headers['content-type']) ?? '').toLowerCase();
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(ct)) throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', 'expected application/json');
    const declared = Number(ex.req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) throw new BridgeError('BODY_TOO_LARGE', `content-length ${declared} exceeds ${maxBodyBytes} bytes`);
    const read = await readUpTo(ex.req, maxBodyBytes);
    if (!read.complete) throw new BridgeError('BODY_TOO_LARGE', `body exceeds ${maxBodyBytes} bytes`);
    try {
      input = read.buf.length === 0 ? {} : JSON.parse(read.buf.toString('utf8'));
    } catch (e) {
      throw new BridgeError('BAD_REQUEST', `invalid JSON: ${(e as Error).message}`);
    }
  } else {
    throw new BridgeError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${op.segment}`, { extensions: { allow: op.allowsGet ? ['GET', 'POST'] : ['POST'] } });
  }
  const envelope = Buffer.from(op.toEnvelope(input), 'utf8');
  const endpoint = selectEndpoint(ex, api);
  const req: BackendRequest = {
    method: 'POST',
    path: '/',
    query: '',
    uriVars: {},
    queryParams: {},
    headers: { ...op.requestHeaders, 'content-length': String(envelope.length), accept: 'text/xml, application/soap+xml' },
    body: envelope,
    bodyLength: envelope.length,
    idempotent: api.config.operations?.[op.name]?.idempotent ?? false,
    operation: op.name,
  };
  const res = await endpoint.send(req, ex.callContext());
  const body = await readUpTo(res.body, MAX_RESPONSE_BYTES);
  if (!body.complete) {
    res.body.destroy();
    throw new BridgeError('BACKEND_RESPONSE_INVALID', `the backend's answer exceeds ${MAX_RESPONSE_BYTES} bytes`);
  }
  const mapped = op.fromEnvelope(body.buf.toString('utf8'), res.status);
  if (mapped.body === null) return { status: mapped.status, headers: {}, body: Readable.from([]), endpoint: res.endpoint };
  return jsonResponse(mapped.status, mapped.body, mapped.problem ? 'application/problem+json' : 'application/json', res.endpoint);
}

function jsonResponse(status: number, value: unknown, contentType: string, endpoint = 'facade'): BackendResponse {
  const text = Buffer.from(JSON.stringify(value), 'utf8');
  return { status, headers: { 'content-type': contentType, 'content-length': String(text.length) }, body: Readable.from([text]), endpoint };
}

function queryObject(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
