import type { Logger } from 'pino';
import type { PrototypeConfig } from '../config/endpoint-schema';
import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus } from '../endpoints/endpoint';
import { BridgeError } from '../errors/bridge-error';
import { unknownOperationKey } from '../soap/operation-keys';
import type { SoapVersion, WsdlModel } from '../wsdl/model';
import { envelope, MockResponder } from './generated/mock-response';
import { bufferBody } from './request-body';
import { bufferedResponse } from '../http/buffered-response';
import { PrototypeRoutes, type RouteHit, type StaticResponse } from './routes';
import { DEFAULT_SCRIPT_LIMITS, type PayloadKind, type ScriptInput, type ScriptLimits, type ScriptOutput } from './sandbox/run-script';
import { acquireSharedPool, type ScriptPool } from './sandbox/worker-pool';
import { bodyPayload, isEnvelope, soapContentType, soapVersionOf } from './soap/payload';

export interface PrototypeDeps {
  readonly name: string;
  readonly model?: WsdlModel;
  readonly log: Logger;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
/** Headers a script or a static response may not set: the bridge frames the response itself. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te']);

/**
 * A mock backend. In order: an inline implementation (sandboxed JavaScript with WSO2's `mc`
 * API), a static response, and for SOAP operations a response generated from the WSDL's XSD;
 * anything else answers 501 PROTOTYPE_NOT_IMPLEMENTED.
 */
export class PrototypeEndpoint implements Endpoint {
  readonly type = 'prototype';
  private readonly routes: PrototypeRoutes;
  private readonly mock: MockResponder | null;
  private readonly limits: ScriptLimits;
  private readonly maxBody: number;
  private readonly sandbox: { pool: ScriptPool; release: () => Promise<void> } | null;
  private requests = 0;
  private failures = 0;
  private inFlight = 0;
  private lastError: EndpointStatus['lastError'];

  constructor(
    readonly name: string,
    cfg: PrototypeConfig,
    model: WsdlModel | undefined,
    log: Logger,
  ) {
    this.routes = new PrototypeRoutes(cfg);
    // A key naming no operation is never answered (the generated response is): say so once.
    if (model) {
      const keys = new Set(model.operations.map((o) => o.key));
      for (const k of this.routes.operationKeys()) if (!keys.has(k)) log.warn({ prototype: name, key: k }, `prototype response/implementation "${k}" is never used: ${unknownOperationKey(model, k)}`);
    }
    this.mock = model && cfg.generate !== false ? new MockResponder(model) : null;
    this.limits = {
      timeoutMs: cfg.script?.timeoutMs ?? DEFAULT_SCRIPT_LIMITS.timeoutMs,
      memoryBytes: cfg.script?.memoryBytes ?? DEFAULT_SCRIPT_LIMITS.memoryBytes,
      stackBytes: cfg.script?.stackBytes ?? DEFAULT_SCRIPT_LIMITS.stackBytes,
    };
    this.maxBody = cfg.script?.maxBodyBytes ?? DEFAULT_MAX_BODY;
    // Worker threads only when some script may run.
    this.sandbox = Object.keys(cfg.implementations ?? {}).length > 0 ? acquireSharedPool() : null;
    log.debug({ prototype: name, generated: this.mock !== null, scripts: this.sandbox !== null }, 'prototype endpoint ready');
  }

  async send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    this.requests++;
    this.inFlight++;
    try {
      return await this.answer(req, ctx);
    } catch (e) {
      if (e instanceof BridgeError && e.status >= 500) {
        this.failures++;
        this.lastError = { code: e.code, message: e.message, at: new Date().toISOString() };
      }
      throw e;
    } finally {
      this.inFlight--;
    }
  }

  private async answer(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    const hit = this.routes.find(req.method, req.path, req.operation);
    const version = req.operation !== undefined ? soapVersionOf(header(req, 'content-type')) : null;
    if (hit?.entry.implementation != null) return this.runImplementation(req, ctx, hit, hit.entry.implementation, version);
    if (hit?.entry.response != null) return this.staticResponse(hit.entry.response, req.operation !== undefined ? (version ?? '1.1') : null);
    if (req.operation !== undefined && this.mock) {
      const op = this.mock.find(req.operation, version);
      if (op) {
        const params = queryParams(req);
        const status = responseCode(params.get('responseCode'));
        const a = this.mock.answer(op, version ?? op.soapVersion, status, params.get('fault') ?? null);
        return this.response(a.status, { 'content-type': a.contentType }, a.body);
      }
    }
    const what = req.operation !== undefined ? `operation ${req.operation}` : `${req.method} ${req.path}`;
    throw new BridgeError('PROTOTYPE_NOT_IMPLEMENTED', `the prototype ${this.name} has no response or implementation for ${what}`);
  }

  private staticResponse(r: StaticResponse, soap: SoapVersion | null): BackendResponse {
    const headers = lowerCase(r.headers ?? {});
    let text: string;
    if (typeof r.body === 'string') {
      // For a SOAP caller, Body content is wrapped like a script's setPayloadXML; an Envelope goes as written.
      text = soap && r.body.trimStart().startsWith('<') ? enveloped(soap, r.body) : r.body;
      headers['content-type'] ??= soap ? soapContentType(soap) : text.trimStart().startsWith('<') ? 'application/xml' : 'text/plain; charset=utf-8';
    } else if (r.body !== undefined) {
      text = JSON.stringify(r.body);
      headers['content-type'] ??= 'application/json';
    } else text = '';
    return this.response(r.status ?? 200, headers, text);
  }

  private async runImplementation(req: BackendRequest, ctx: CallContext, hit: RouteHit, source: string, version: SoapVersion | null): Promise<BackendResponse> {
    if (!this.sandbox) throw new BridgeError('INTERNAL_ERROR', 'prototype sandbox missing');
    const raw = (await bufferBody(req.body, this.maxBody, ctx.signal)).toString('utf8');
    const input = scriptInput(req, hit, raw, version);
    const { outcome, logs } = await this.sandbox.pool.run(source, input, this.limits);
    for (const line of logs) ctx.log.info({ prototype: this.name, resource: hit.entry.key }, `script: ${line}`);
    if (!outcome.ok) {
      ctx.log.warn({ prototype: this.name, resource: hit.entry.key, kind: outcome.kind, ms: outcome.ms }, `prototype script failed: ${outcome.message}`);
      throw new BridgeError('PROTOTYPE_SCRIPT_ERROR', `${hit.entry.key}: ${outcome.message}`, { extensions: { reason: outcome.kind } });
    }
    return this.scriptResponse(outcome.output, header(req, 'content-type'), req.operation !== undefined ? (version ?? '1.1') : null);
  }

  private scriptResponse(out: ScriptOutput, requestType: string | undefined, soap: SoapVersion | null): BackendResponse {
    const sc = out.props['HTTP_SC'];
    const status = sc !== undefined && /^\d{3}$/.test(sc.trim()) && Number(sc) >= 100 && Number(sc) <= 599 ? Number(sc) : 200;
    const headers = lowerCase(out.headers);
    let body = out.text;
    if (out.kind === 'xml' && soap) body = enveloped(soap, body);
    const explicit = out.props['CONTENT_TYPE'] ?? out.props['messageType'];
    headers['content-type'] = explicit ?? defaultType(out.kind, soap, requestType);
    return this.response(status, headers, body);
  }

  private response(status: number, headers: Record<string, string>, text: string): BackendResponse {
    const buf = Buffer.from(text, 'utf8');
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (!FRAMING.has(k)) h[k] = v;
    return bufferedResponse(status, h, buf, this.name);
  }

  isAvailable(): boolean {
    return true;
  }

  children(): readonly Endpoint[] {
    return [];
  }

  status(): EndpointStatus {
    return {
      name: this.name,
      type: this.type,
      state: 'ACTIVE',
      requests: this.requests,
      failures: this.failures,
      inFlight: this.inFlight,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async close(): Promise<void> {
    await this.sandbox?.release();
  }
}

function header(req: BackendRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function lowerCase(h: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

function queryParams(req: BackendRequest): Map<string, string> {
  // The gateway fills queryParams from the query (first values) for every kind of request.
  return new Map(Object.entries(req.queryParams));
}

function responseCode(v: string | undefined): number {
  if (v === undefined || v === '') return 200;
  if (!/^\d{3}$/.test(v) || Number(v) < 200 || Number(v) > 599) throw new BridgeError('BAD_REQUEST', `responseCode must be an HTTP status between 200 and 599, got "${v}"`);
  return Number(v);
}

function payloadKind(contentType: string | undefined, body: string): PayloadKind {
  const ct = (contentType ?? '').toLowerCase();
  if (/[/+]json\b/.test(ct)) return 'json';
  if (/[/+]xml\b/.test(ct)) return 'xml';
  const t = body.trimStart();
  if (ct === '' && (t.startsWith('{') || t.startsWith('['))) return 'json';
  if (ct === '' && t.startsWith('<')) return 'xml';
  return 'text';
}

function defaultType(kind: PayloadKind, soap: SoapVersion | null, requestType: string | undefined): string {
  if (kind === 'json') return 'application/json';
  if (kind === 'xml') return soap ? soapContentType(soap) : 'application/xml';
  return requestType ?? 'text/plain; charset=utf-8';
}

function scriptInput(req: BackendRequest, hit: RouteHit, raw: string, version: SoapVersion | null): ScriptInput {
  const props: Record<string, string> = { HTTP_METHOD: req.method, REST_FULL_REQUEST_PATH: req.query ? `${req.path}?${req.query}` : req.path };
  if (req.operation !== undefined) props['SOAP_OPERATION'] = req.operation;
  for (const [k, v] of queryParams(req)) props[`query.param.${k}`] = v;
  for (const [k, v] of Object.entries({ ...hit.uriVars, ...req.uriVars })) props[`uri.var.${k}`] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  if (version !== null || req.operation !== undefined) return { kind: 'xml', body: bodyPayload(raw) ?? raw, props, headers };
  return { kind: payloadKind(headers['content-type'], raw), body: raw, props, headers };
}

/** XML for a SOAP caller: an Envelope as it is, else Body content in an Envelope of its version. */
function enveloped(soap: SoapVersion, xml: string): string {
  return isEnvelope(xml) ? xml : envelope(soap, xml.replace(/^\s*<\?xml[^>]*\?>/, ''));
}
