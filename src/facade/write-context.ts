import { BridgeError } from '../errors/bridge-error';
import { NS, qn } from '../wsdl/qname';
import { describeValue } from './json';
import type { SchemaView } from './schema-view';
import type { XmlWriter } from './xml-writer';

export interface WriteLimits {
  maxArrayItems: number;
  maxDepth: number;
}

/** Per-request state of the JSON → XML mapping. */
export interface WriteCtx {
  view: SchemaView;
  w: XmlWriter;
  limits: WriteLimits;
  /** rpc/encoded: every value carries xsi:type, arrays are soapenc:Array. */
  encoded: boolean;
}

/** A request that does not fit the schema: 400 problem+json naming the JSON path. */
export function invalid(path: string, expected: string, got?: unknown): BridgeError {
  const tail = got === undefined ? '' : `, got ${describeValue(got)}`;
  return new BridgeError('REQUEST_INVALID', `${path}: expected ${expected}${tail}`, { extensions: { path, expected } });
}

export function unknownField(path: string, key: string, allowed: string[]): BridgeError {
  const list = allowed.length > 0 ? `; expected one of ${allowed.slice(0, 20).join(', ')}` : '; no fields are allowed here';
  return new BridgeError('REQUEST_INVALID', `${path}: unknown field "${key}"${list}`, { extensions: { path, expected: allowed.length > 0 ? `one of ${allowed.join(', ')}` : 'no field', unknownField: key } });
}

export const XSI_TYPE = qn(NS.xsi, 'type');
export const XSI_NIL = qn(NS.xsi, 'nil');
