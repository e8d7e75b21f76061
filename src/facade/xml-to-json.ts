import { NS, qn, qnLocal, type QName } from '../wsdl/qname';
import { textToJson, builtin } from './builtins';
import type { JsonObject, JsonValue } from './json';
import type { ComplexInfo, ElementInfo, SchemaView, TypeInfo } from './schema-view';
import { textToSimple } from './simple-value';
import type { XNode } from './xml-tree';

/** Per-response state of the XML → JSON mapping. */
export interface ReadCtx {
  view: SchemaView;
  /** rpc/encoded multi-ref targets (`id` attributes of Body children). */
  ids: Map<string, XNode>;
}

const XSI_NIL = `{${NS.xsi}}nil`;
const XSI_TYPE = `{${NS.xsi}}type`;
const MAX_HREF_HOPS = 64;
const ENC12_REF = `{${NS.soap12enc}}ref`;

/** Follows `href="#id"` (SOAP 1.1 encoding) and `enc:ref` (1.2) to the referenced element. */
export function deref(ctx: ReadCtx, node: XNode): XNode {
  let cur = node;
  for (let i = 0; i < MAX_HREF_HOPS; i++) {
    const href = cur.attrs.href ?? cur.attrs[ENC12_REF];
    if (href === undefined) return cur;
    const target = ctx.ids.get(href.replace(/^#/, ''));
    if (!target) return cur;
    cur = target;
  }
  return cur;
}

/** The xsi:type of an element as a QName, or null. */
export function xsiTypeOf(node: XNode): QName | null {
  const raw = node.attrs[XSI_TYPE];
  if (raw === undefined) return null;
  const v = raw.trim();
  const i = v.indexOf(':');
  const ns = i < 0 ? (node.lookupNs('') ?? '') : node.lookupNs(v.slice(0, i));
  return ns === undefined ? null : qn(ns === 'http://www.w3.org/1999/XMLSchema' || ns === 'http://www.w3.org/2000/10/XMLSchema' ? NS.xsd : ns, i < 0 ? v : v.slice(i + 1));
}

/** One element occurrence → JSON, by its declaration (xsi:type may refine the type). */
export function readElement(ctx: ReadCtx, el: ElementInfo, input: XNode, depth: number): JsonValue {
  const node = deref(ctx, input);
  if (node.attrs[XSI_NIL] === 'true' || node.attrs[XSI_NIL] === '1') return null;
  let t: TypeInfo = el.type();
  let typeTag: string | null = null;
  const xt = xsiTypeOf(node);
  if (xt !== null && xt !== el.typeName) {
    if (ctx.view.schema.types[xt]) {
      t = ctx.view.typeByName(xt);
      if (t.kind === 'complex' && el.typeName) typeTag = qnLocal(xt);
    } else if (ctx.view.isBuiltinName(xt) && t.kind === 'simple' && (t.simple.builtin.kind === 'any' || t.simple.builtin.kind === 'string')) {
      // Encoded anyType parts carry their real type: `xsi:type="xsd:int"` reads as a number.
      if (t.simple.builtin.kind === 'any') t = ctx.view.typeByName(xt);
    }
  }
  return readTyped(ctx, t, node, depth, typeTag);
}

export function readTyped(ctx: ReadCtx, t: TypeInfo, node: XNode, depth: number, typeTag: string | null): JsonValue {
  if (t.kind === 'simple') {
    if (t.simple.builtin.kind === 'any' && !t.simple.list) return node.children.length > 0 ? readGeneric(ctx, node, depth) : node.text;
    return textToSimple(t.simple, node.text);
  }
  const info = t.complex;
  if (info.arrayItem) return readSoapArray(ctx, info, node, depth);
  const out: JsonObject = typeTag ? { $type: typeTag } : {};
  readAttributes(info, node, out);
  readContent(ctx, info, node, depth, out);
  return out;
}

function readAttributes(info: ComplexInfo, node: XNode, out: JsonObject): void {
  for (const a of info.attributes) {
    const key = qnLocal(a.name);
    // Unqualified attributes are keyed by local name, qualified ones by Clark name.
    const v = node.attrs[a.name.startsWith('{}') ? key : a.name] ?? node.attrs[key];
    if (v !== undefined) out[a.key] = textToSimple(a.simple, v);
  }
  if (info.anyAttribute) {
    for (const [k, v] of Object.entries(node.attrs)) {
      if (k.startsWith('{') || info.attributes.some((a) => qnLocal(a.name) === k) || k === 'href' || k === 'id') continue;
      out[`@${k}`] = v;
    }
  }
}

/** Children into `out` by the content model; unknown children are kept (responses are read leniently). */
export function readContent(ctx: ReadCtx, info: ComplexInfo, node: XNode, depth: number, out: JsonObject): void {
  if (info.simpleContent) {
    out.$value = textToSimple(info.simpleContent, node.text);
    return;
  }
  if (info.mixed && node.text.trim() !== '') out.$value = node.text;
  for (const child of node.children) {
    const slot = info.byName.get(`{${child.ns}}${child.local}`) ?? info.slots.get(child.local);
    if (slot) {
      const v = readElement(ctx, slot.el, child, depth + 1);
      if (slot.repeated) {
        const arr = out[slot.key];
        if (Array.isArray(arr)) arr.push(v);
        else out[slot.key] = [v];
      } else out[slot.key] = v;
      continue;
    }
    if (info.wildcard) {
      const raw = child.raw();
      const cur = out.$any;
      if (info.wildcard.repeated) out.$any = Array.isArray(cur) ? [...cur, raw] : [raw];
      else out.$any = typeof cur === 'string' ? cur + raw : raw;
      continue;
    }
    addGeneric(out, child.local, readGeneric(ctx, child, depth + 1));
  }
}

function addGeneric(out: JsonObject, key: string, v: JsonValue): void {
  const cur = out[key];
  if (cur === undefined) out[key] = v;
  else if (Array.isArray(cur)) cur.push(v);
  else out[key] = [cur, v];
}

/** An element the schema does not describe: text → string, children → object, repeats → array. */
export function readGeneric(ctx: ReadCtx, input: XNode, depth: number): JsonValue {
  const node = deref(ctx, input);
  if (node.attrs[XSI_NIL] === 'true') return null;
  const xt = xsiTypeOf(node);
  if (node.children.length === 0) {
    if (xt && ctx.view.isBuiltinName(xt)) return textToJson(builtin(qnLocal(xt)), node.text);
    if (Object.keys(node.attrs).filter((k) => !k.startsWith('{')).length === 0) return node.text;
  }
  if (depth > 256) return node.text;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node.attrs)) if (!k.startsWith('{') && k !== 'href' && k !== 'id') out[`@${k}`] = v;
  if (node.text.trim() !== '') out.$value = node.text;
  const arrayLike = xt !== null && qnLocal(xt) === 'Array';
  if (arrayLike) return node.children.map((c) => readGeneric(ctx, c, depth + 1));
  for (const c of node.children) addGeneric(out, c.local, readGeneric(ctx, c, depth + 1));
  return out;
}

function readSoapArray(ctx: ReadCtx, info: ComplexInfo, node: XNode, depth: number): JsonValue[] {
  const item = info.arrayItem as NonNullable<ComplexInfo['arrayItem']>;
  const el: ElementInfo = { name: qn('', 'item'), key: 'item', min: 0, max: -1, nillable: true, default: null, fixed: null, typeName: item.typeName, type: item.type };
  return node.children.map((c) => readElement(ctx, el, c, depth + 1));
}
