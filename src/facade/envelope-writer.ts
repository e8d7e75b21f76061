import { BridgeError } from '../errors/bridge-error';
import { NS, qn } from '../wsdl/qname';
import type { Operation } from '../wsdl/model';
import { envelopeNs, buildEnvelope } from './envelope';
import type { Facade, FacadeOperation } from './facade';
import { childPath, isJsonObject } from './json';
import { invalid, unknownField, writeElement, writeOccurrences, type WriteCtx, type WriteLimits } from './json-to-xml';
import type { MessageShape } from './message-shape';
import type { SchemaView } from './schema-view';
import { XmlWriter } from './xml-writer';

/**
 * The general JSON → SOAP envelope writer of an operation's input (headers, then body), for every
 * shape; flat operations usually take the compiled one (flat-writer.ts) first.
 */
export function toEnvelope(view: SchemaView, op: Operation, shape: MessageShape | null, json: unknown, limits: WriteLimits): string {
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
