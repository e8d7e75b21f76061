import { BridgeError } from '../errors/bridge-error';
import { qn, qnLocal } from '../wsdl/qname';
import type { Operation } from '../wsdl/model';
import { parseEnvelope, type ParsedEnvelope } from './envelope';
import type { Facade, FacadeOperation } from './facade';
import { faultToProblem, findFault, readFault, type FaultStatusMap } from './fault';
import { isJsonObject, type JsonObject, type JsonValue } from './json';
import type { MessageShape, PartSlot } from './message-shape';
import type { SchemaView } from './schema-view';
import { readElement, readGeneric, type ReadCtx } from './xml-to-json';
import type { XNode } from './xml-tree';

/**
 * Backend response → JSON of the output shape; a Fault → problem+json with the mapped status.
 * Throws BACKEND_RESPONSE_INVALID (502) for an envelope that is neither.
 */
export function fromEnvelope(view: SchemaView, op: Operation, shape: MessageShape | null, xml: string, httpStatus: number, statuses: FaultStatusMap): { status: number; body: unknown; problem: boolean } {
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
