import { qn, type QName } from '../wsdl/qname';
import type { Operation, OperationMessage, Part } from '../wsdl/model';
import type { ComplexInfo, ElementInfo, SchemaView } from './schema-view';

/**
 * What the JSON object of one direction of an operation looks like.
 *
 * - `content`: document style with one body part whose element has a complex type (wrapped or
 *   bare): the JSON object IS that element's content (`{"intA":1,"intB":2}` for Calculator.Add).
 * - `parts`: everything else (rpc, several parts, a simple-typed element part): one JSON member
 *   per WSDL part, keyed by part name.
 */
export type MessageShape =
  | { kind: 'content'; element: ElementInfo; headers: PartSlot[] }
  | { kind: 'parts'; parts: PartSlot[]; rpc: { wrapper: QName } | null; encoded: boolean; headers: PartSlot[] };

export interface PartSlot {
  key: string;
  part: Part;
  el: ElementInfo;
}

export function messageShape(view: SchemaView, op: Operation, msg: OperationMessage | null, direction: 'input' | 'output'): MessageShape | null {
  if (!msg) return null;
  const headers = msg.headers.map((h) => partSlot(view, h, 0));
  const encoded = op.use === 'encoded';
  if (op.style === 'document' && msg.body.length === 1) {
    const only = msg.body[0] as Part;
    if (only.element) {
      const el = view.globalElement(only.element);
      if (el && el.type().kind === 'complex' && !isArrayType(el)) return { kind: 'content', element: el, headers };
    }
  }
  const parts = msg.body.map((p) => partSlot(view, p, 1));
  if (op.style === 'rpc') {
    const wrapperLocal = direction === 'input' ? op.name : `${op.name}Response`;
    return { kind: 'parts', parts, rpc: { wrapper: qn(msg.namespace ?? '', wrapperLocal) }, encoded, headers };
  }
  return { kind: 'parts', parts, rpc: null, encoded, headers };
}

function isArrayType(el: ElementInfo): boolean {
  const t = el.type();
  return t.kind === 'complex' && t.complex.arrayItem !== null;
}

function partSlot(view: SchemaView, p: Part, min: number): PartSlot {
  if (p.element) {
    const el = view.globalElement(p.element, min, 1) ?? view.element({ name: p.element, type: null, typeDef: null, nillable: true, default: null, fixed: null }, min, 1);
    return { key: p.name, part: p, el };
  }
  // A type part is an unqualified accessor element named after the part.
  const el = view.element({ name: qn('', p.name), type: p.type, typeDef: null, nillable: true, default: null, fixed: null }, min, 1);
  return { key: p.name, part: p, el };
}

/** The top-level JSON members of a shape: for GET and for OpenAPI. */
export function topMembers(shape: MessageShape): { key: string; el: ElementInfo; repeated: boolean; required: boolean }[] | ComplexInfo {
  if (shape.kind === 'content') {
    const t = shape.element.type();
    if (t.kind === 'complex') return t.complex;
    return [];
  }
  return shape.parts.map((p) => ({ key: p.key, el: p.el, repeated: false, required: true }));
}
