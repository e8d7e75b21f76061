import { BridgeError } from '../errors/bridge-error';
import { NS, qn, qnLocal } from '../wsdl/qname';
import type { Operation, SoapVersion, WsdlModel } from '../wsdl/model';
import { envelopeNs, buildEnvelope, parseEnvelope, type ParsedEnvelope } from './envelope';
import { compileFlatWriter, type FlatWriter } from './flat-writer';
import { faultToProblem, findFault, readFault, type FaultStatusMap } from './fault';
import { childPath, isJsonObject, type JsonObject, type JsonValue } from './json';
import { invalid, unknownField, writeElement, writeOccurrences, type WriteCtx, type WriteLimits } from './json-to-xml';
import { messageShape, type MessageShape, type PartSlot } from './message-shape';
import { SchemaView } from './schema-view';
import { textToSimple } from './simple-value';
import { readElement, readGeneric, type ReadCtx } from './xml-to-json';
import { XmlWriter } from './xml-writer';
import type { XNode } from './xml-tree';

export interface FacadeOptions {
  /** HTTP status of backend faults: client (1.1 Client, 1.2 Sender) default 400, others default 502. */
  faultStatus?: { client?: number; server?: number };
  /** Longest JSON array accepted in a request (default 10000). */
  maxArrayItems?: number;
  /** Deepest element nesting accepted in a request (default 64). */
  maxDepth?: number;
  /** Serve the operations of this WSDL port (default: the first SOAP port, then any other). */
  port?: string;
}

export interface FacadeResponse {
  status: number;
  body: unknown;
  /** True when `body` is application/problem+json (a backend Fault). */
  problem: boolean;
}

export interface FacadeOperation {
  /** WSDL operation name (`Add`). */
  readonly name: string;
  /** Path segment: the name with its first letter lower-cased (`add`), as WSO2 generates it. */
  readonly segment: string;
  readonly soapVersion: SoapVersion;
  readonly soapAction: string;
  /** Content-Type (and SOAPAction for 1.1) the backend request needs. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  /**
   * The backend request's headers for an envelope of `length` bytes: `requestHeaders` plus
   * content-length and accept, as a fresh object of one fixed shape per operation.
   */
  backendHeaders(length: number): Record<string, string>;
  /** One-way operation: no output message. */
  readonly oneWay: boolean;
  /** Every input member is a simple type (or an array of one): the operation also answers GET. */
  readonly allowsGet: boolean;
  /** Request/response JSON shapes (for OpenAPI and samples). */
  readonly input: MessageShape | null;
  readonly output: MessageShape | null;
  readonly operation: Operation;
  /** Parsed JSON → SOAP envelope text; throws BridgeError REQUEST_INVALID (400) naming the JSON path. */
  toEnvelope(input: unknown): string;
  /** Query parameters → the input object (values typed from the schema); feed it to toEnvelope. */
  fromQuery(q: Record<string, string | string[]>): unknown;
  /** Backend response → JSON; a Fault → problem+json with the mapped status; throws BACKEND_RESPONSE_INVALID (502). */
  fromEnvelope(xml: string, httpStatus: number): FacadeResponse;
}

export interface Facade {
  readonly view: SchemaView;
  find(segment: string): FacadeOperation | undefined;
  operations(): FacadeOperation[];
}

/** What the facade accepts from a backend. */
const ACCEPT = 'text/xml, application/soap+xml';

export function segmentOf(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * Builds the REST facade of a WSDL: one JSON operation per WSDL operation of the served port.
 *
 * @example
 *   const facade = buildFacade(await importCompiled('wsdl/Calculator.wsdl'), {});
 *   const add = facade.find('add')!;
 *   const xml = add.toEnvelope({ intA: 1, intB: 2 });   // POST this with add.requestHeaders
 *   add.fromEnvelope(backendXml, 200);                  // → { status: 200, body: { AddResult: 3 }, problem: false }
 */
export function buildFacade(model: WsdlModel, opts: FacadeOptions = {}): Facade {
  const view = new SchemaView(model.schema);
  const limits: WriteLimits = { maxArrayItems: opts.maxArrayItems ?? 10_000, maxDepth: opts.maxDepth ?? 64 };
  const statuses: FaultStatusMap = { client: opts.faultStatus?.client ?? 400, server: opts.faultStatus?.server ?? 502 };
  const rows = pickRows(model.operations, opts.port);
  const bySegment = new Map<string, FacadeOperation>();
  for (const op of rows) {
    const segment = segmentOf(op.name);
    if (bySegment.has(segment)) continue;
    bySegment.set(segment, makeOperation(view, op, segment, limits, statuses));
  }
  const list = [...bySegment.values()];
  return { view, find: (s) => bySegment.get(s), operations: () => list };
}

/** Rows of the chosen port first (SOAP 1.1 ports before 1.2), then anything else. */
function pickRows(ops: Operation[], port: string | undefined): Operation[] {
  const named = port === undefined ? [] : ops.filter((o) => o.port === port);
  if (port !== undefined && named.length === 0) throw new BridgeError('INTERNAL_ERROR', `the WSDL has no SOAP port "${port}"`);
  const rank = (o: Operation): number => (o.service === null ? 2 : 0) + (o.soapVersion === '1.1' ? 0 : 1);
  const rest = ops.filter((o) => !named.includes(o)).sort((a, b) => rank(a) - rank(b));
  return [...named, ...rest];
}

function makeOperation(view: SchemaView, op: Operation, segment: string, limits: WriteLimits, statuses: FaultStatusMap): FacadeOperation {
  let input: MessageShape | null | undefined;
  let output: MessageShape | null | undefined;
  const inShape = (): MessageShape | null => (input === undefined ? (input = messageShape(view, op, op.input, 'input')) : input);
  const outShape = (): MessageShape | null => (output === undefined ? (output = messageShape(view, op, op.output, 'output')) : output);
  const requestHeaders: Record<string, string> =
    op.soapVersion === '1.2'
      ? { 'content-type': `application/soap+xml; charset=utf-8${op.soapAction ? `; action="${op.soapAction}"` : ''}` }
      : { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${op.soapAction}"` };
  const contentType = requestHeaders['content-type'] as string;
  const soapAction = requestHeaders.soapaction;
  const backendHeaders =
    soapAction === undefined
      ? (length: number): Record<string, string> => ({ 'content-type': contentType, 'content-length': String(length), accept: ACCEPT })
      : (length: number): Record<string, string> => ({ 'content-type': contentType, soapaction: soapAction, 'content-length': String(length), accept: ACCEPT });
  let allowsGet: boolean | undefined;
  let flat: FlatWriter | null | undefined;
  const flatWriter = (): FlatWriter | null => (flat === undefined ? (flat = compileFlatWriter(op, inShape(), limits.maxDepth)) : flat);
  return {
    name: op.name,
    segment,
    soapVersion: op.soapVersion,
    soapAction: op.soapAction,
    requestHeaders,
    backendHeaders,
    oneWay: op.output === null,
    operation: op,
    get input() {
      return inShape();
    },
    get output() {
      return outShape();
    },
    get allowsGet() {
      return (allowsGet ??= simpleMembers(inShape()) !== null);
    },
    toEnvelope: (json) => (isJsonObject(json) ? flatWriter()?.(json) : null) ?? toEnvelope(view, op, inShape(), json, limits),
    fromQuery: (q) => fromQuery(inShape(), q),
    fromEnvelope: (xml, status) => fromEnvelope(view, op, outShape(), xml, status, statuses),
  };
}

function toEnvelope(view: SchemaView, op: Operation, shape: MessageShape | null, json: unknown, limits: WriteLimits): string {
  if (!shape) throw new BridgeError('REQUEST_INVALID', `${op.name} has no input message`);
  if (!isJsonObject(json)) throw invalid('$', 'a JSON object', json);
  const w = new XmlWriter();
  const encoded = shape.kind === 'parts' && shape.encoded;
  const ctx: WriteCtx = { view, w, limits, encoded };
  // Copied without `$headers` only when it is there: the usual body is used as it came.
  const headersJson = json.$headers;
  const rest = headersJson === undefined ? json : withoutHeaders(json);

  // 1. Headers: `$headers` holds one member per header part of the binding.
  let header = '';
  if (headersJson !== undefined) {
    if (!isJsonObject(headersJson)) throw invalid('$.$headers', 'an object of SOAP headers', headersJson);
    const hp = '$.$headers';
    for (const k of Object.keys(headersJson)) if (!shape.headers.some((h) => h.key === k)) throw unknownField(childPath(hp, k), k, shape.headers.map((h) => h.key));
    for (const h of shape.headers) writeOccurrences(ctx, h.el, headersJson[h.key], childPath(hp, h.key), 1, false, 0, 1);
    header = w.text();
    w.out.length = 0;
  }

  // 2. Body.
  if (shape.kind === 'content') {
    writeElement(ctx, shape.element, rest, '$', 0);
  } else {
    for (const k of Object.keys(rest)) if (!shape.parts.some((p) => p.key === k)) throw unknownField(childPath('$', k), k, shape.parts.map((p) => p.key));
    if (shape.rpc) w.push(`<${w.name(shape.rpc.wrapper)}${encoded ? ` ${w.name(qn(envelopeNs(op.soapVersion), 'encodingStyle'))}="${op.soapVersion === '1.2' ? NS.soap12enc : NS.soapenc}"` : ''}>`);
    for (const p of shape.parts) writeOccurrences(ctx, p.el, rest[p.key], childPath('$', p.key), 1, false, encoded ? 0 : 1, 1);
    if (shape.rpc) w.push(`</${w.name(shape.rpc.wrapper)}>`);
  }
  return buildEnvelope(op.soapVersion, w, header, w.text());
}

function withoutHeaders(json: Record<string, unknown>): Record<string, unknown> {
  const { $headers: _dropped, ...rest } = json;
  return rest;
}

/**
 * The general JSON → envelope writer, bypassing the compiled one (flat-writer.ts): the tests and
 * the conformance run compare the two.
 */
export function generalEnvelope(facade: Facade, op: FacadeOperation, json: unknown, limits: WriteLimits = { maxArrayItems: 10_000, maxDepth: 64 }): string {
  return toEnvelope(facade.view, op.operation, op.input, json, limits);
}

/** The input members when all are simple (GET-able), else null. */
function simpleMembers(shape: MessageShape | null): Map<string, { el: PartSlot['el']; repeated: boolean }> | null {
  if (!shape || shape.headers.some((h) => h.el.min > 0)) return null;
  const out = new Map<string, { el: PartSlot['el']; repeated: boolean }>();
  if (shape.kind === 'content') {
    const t = shape.element.type();
    if (t.kind !== 'complex') return null;
    const c = t.complex;
    if (c.abstract || c.simpleContent || c.arrayItem || c.attributes.some((a) => a.required) || (c.wildcard !== null && c.particle !== null && requiresAny(c))) return null;
    for (const s of c.slots.values()) {
      const st = s.el.type();
      if (st.kind !== 'simple' || st.simple.builtin.kind === 'any') return null;
      out.set(s.key, { el: s.el, repeated: s.repeated });
    }
    return out;
  }
  for (const p of shape.parts) {
    const st = p.el.type();
    if (st.kind !== 'simple' || st.simple.builtin.kind === 'any') return null;
    out.set(p.key, { el: p.el, repeated: false });
  }
  return out;
}

function requiresAny(c: { particle: unknown }): boolean {
  return JSON.stringify(c.particle, (k, v: unknown) => (k === 'el' ? undefined : v)).includes('"kind":"any","min":1');
}

function fromQuery(shape: MessageShape | null, q: Record<string, string | string[]>): unknown {
  const members = simpleMembers(shape);
  // No prototype, so `__proto__` from a query string is an ordinary (unknown) member.
  const out = Object.create(null) as JsonObject;
  for (const [k, raw] of Object.entries(q)) {
    const m = members?.get(k);
    const values = Array.isArray(raw) ? raw : [raw];
    if (!m) {
      // Unknown names stay in, so toEnvelope rejects them by name.
      out[k] = values.length === 1 ? (values[0] as string) : values;
      continue;
    }
    const t = m.el.type();
    const conv = (s: string): JsonValue => (t.kind === 'simple' ? (t.simple.list ? textToSimple(t.simple, s.replace(/,/g, ' ')) : textToSimple(t.simple, s)) : s);
    if (!m.repeated && values.length > 1) throw invalid(childPath('$', k), 'a single value (the member does not repeat)', values);
    out[k] = m.repeated ? values.map(conv) : conv(values[0] as string);
  }
  return out;
}

function fromEnvelope(view: SchemaView, op: Operation, shape: MessageShape | null, xml: string, httpStatus: number, statuses: FaultStatusMap): { status: number; body: unknown; problem: boolean } {
  if (xml.trim() === '' && httpStatus >= 200 && httpStatus < 300) {
    // An empty answer is fine for a one-way operation (202) or an empty output message (204),
    // never for an operation whose output carries parts: the caller would see success without a result.
    if (op.output !== null && op.output.body.length > 0) throw new BridgeError('BACKEND_RESPONSE_INVALID', `the backend answered HTTP ${httpStatus} with an empty body to ${op.name}, which returns ${op.output.body.map((p) => p.name).join(', ')}`);
    return { status: httpStatus === 200 && op.output !== null ? 204 : httpStatus === 200 ? 202 : httpStatus, body: null, problem: false };
  }
  const env = parseEnvelope(xml, httpStatus);
  const ids = new Map<string, XNode>();
  for (const c of env.body.children) if (c.attrs.id !== undefined) ids.set(c.attrs.id, c);
  const ctx: ReadCtx = { view, ids };
  const fault = findFault(env.body, env.version);
  if (fault) {
    const f = readFault(fault, env.version);
    const { status, problem } = faultToProblem(f, f.detail ? readDetail(ctx, op, f.detail) : null, statuses);
    return { status, body: problem, problem: true };
  }
  if (httpStatus >= 300) throw new BridgeError('BACKEND_RESPONSE_INVALID', `the backend answered HTTP ${httpStatus} with a SOAP envelope that holds no Fault`);
  if (!shape) return { status: 202, body: null, problem: false };
  return { status: 200, body: readMessage(ctx, shape, env), problem: false };
}

/** Body (and bound headers) of a parsed envelope → the JSON object of `shape`. */
export function readMessage(ctx: ReadCtx, shape: MessageShape, env: ParsedEnvelope): JsonObject {
  let body: JsonObject = {};
  if (shape.kind === 'content') {
    const first = env.body.children.find((c) => c.attrs.id === undefined || env.body.children.length === 1);
    if (first) {
      const v = readElement(ctx, shape.element, first, 0);
      // A fresh object built for this response: it becomes the body itself (no copy).
      if (isJsonObject(v)) body = v as JsonObject;
      else if (v !== null) body.$value = v;
    }
  } else {
    const holder = shape.rpc ? env.body.children.find((c) => c.attrs.id === undefined) : env.body;
    const children = holder ? holder.children : [];
    const unmatched: XNode[] = [];
    for (const c of children) {
      if (holder === env.body && c.attrs.id !== undefined && shape.rpc === null && shape.encoded) continue;
      const p = shape.parts.find((x) => qnLocal(x.el.name) === c.local) ?? shape.parts.find((x) => x.key === c.local);
      if (p) body[p.key] = readElement(ctx, p.el, c, 0);
      else unmatched.push(c);
    }
    // rpc backends often name the single return accessor freely (`return`, `result`).
    const missing = shape.parts.filter((p) => body[p.key] === undefined);
    if (missing.length === 1 && unmatched.length === 1) body[(missing[0] as PartSlot).key] = readElement(ctx, (missing[0] as PartSlot).el, unmatched[0] as XNode, 0);
    else for (const c of unmatched) body[c.local] = readGeneric(ctx, c, 0);
  }
  if (env.header && shape.headers.length > 0) {
    const hs: JsonObject = {};
    for (const c of env.header.children) {
      const h = shape.headers.find((x) => qnLocal(x.el.name) === c.local);
      if (h) hs[h.key] = readElement(ctx, h.el, c, 0);
    }
    if (Object.keys(hs).length > 0) body.$headers = hs;
  }
  return body;
}

/**
 * Reads a request envelope back into JSON by the input shape (the inverse of toEnvelope; the
 * conformance run and the tests use it to prove round trips).
 */
export function requestToJson(facade: Facade, op: FacadeOperation, xml: string): JsonObject {
  const env = parseEnvelope(xml, 200);
  const ids = new Map<string, XNode>();
  for (const c of env.body.children) if (c.attrs.id !== undefined) ids.set(c.attrs.id, c);
  if (!op.input) return {};
  return readMessage({ view: facade.view, ids }, op.input, env);
}


/** Fault detail children: typed by the operation's fault elements when they match, generic otherwise. */
function readDetail(ctx: ReadCtx, op: Operation, detail: XNode): JsonValue | null {
  if (detail.children.length === 0) return detail.text.trim() === '' ? null : detail.text;
  const out: JsonObject = {};
  for (const c of detail.children) {
    const name = qn(c.ns, c.local);
    const part = op.faults.flatMap((f) => f.parts).find((p) => p.element === name);
    const el = part?.element ? ctx.view.globalElement(part.element) : null;
    out[c.local] = el ? readElement(ctx, el, c, 0) : readGeneric(ctx, c, 0);
  }
  return out;
}
