import { XMLValidator } from 'fast-xml-parser';
import { BridgeError } from '../errors/bridge-error';
import { NS, qn, qnLocal, type QName } from '../wsdl/qname';
import { childPath, describeValue, isJsonObject, itemPath } from './json';
import type { ComplexInfo, ElementInfo, NParticle, SchemaView, TypeInfo } from './schema-view';
import { describeSimple, simpleToText } from './simple-value';
import { escapeAttr, escapeText, type XmlWriter } from './xml-writer';

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

const XSI_TYPE = qn(NS.xsi, 'type');
const XSI_NIL = qn(NS.xsi, 'nil');

/** Writes every occurrence of `el` held by `value` (an array when `repeated`). */
export function writeOccurrences(ctx: WriteCtx, el: ElementInfo, value: unknown, path: string, depth: number, repeated: boolean, min: number, max: number): void {
  if (!repeated) {
    if (value === undefined) {
      if (min > 0) throw invalid(path, `a value (required ${describeElement(el)})`);
      return;
    }
    writeElement(ctx, el, value, path, depth);
    return;
  }
  if (value === undefined) {
    if (min > 0) throw invalid(path, `an array of at least ${min} item${min === 1 ? '' : 's'} (required)`);
    return;
  }
  if (!Array.isArray(value)) throw invalid(path, `an array (maxOccurs ${max === -1 ? 'unbounded' : max})`, value);
  if (value.length > ctx.limits.maxArrayItems) throw invalid(path, `at most ${ctx.limits.maxArrayItems} items (the bridge's array limit)`);
  if (max !== -1 && value.length > max) throw invalid(path, `at most ${max} items (maxOccurs)`);
  if (value.length < min) throw invalid(path, `at least ${min} items (minOccurs)`);
  value.forEach((item, i) => writeElement(ctx, el, item, itemPath(path, i), depth));
}

function describeElement(el: ElementInfo): string {
  const t = el.type();
  return t.kind === 'simple' ? describeSimple(t.simple) : 'object';
}

/** One occurrence of an element. */
export function writeElement(ctx: WriteCtx, el: ElementInfo, v: unknown, path: string, depth: number): void {
  if (depth > ctx.limits.maxDepth) throw invalid(path, `nesting at most ${ctx.limits.maxDepth} levels deep (the bridge's depth limit)`);
  const { w } = ctx;
  const tag = w.name(el.name);
  if (v === null) {
    if (!el.nillable && !ctx.encoded) throw invalid(path, `a value (${qnLocal(el.name)} is not nillable)`, v);
    w.push(`<${tag} ${w.name(XSI_NIL)}="true"/>`);
    return;
  }
  let t: TypeInfo = el.type();
  let xsiType: QName | null = ctx.encoded ? el.typeName : null;
  if (t.kind === 'complex' && isJsonObject(v) && v.$type !== undefined) {
    const wanted = v.$type;
    const base = el.typeName;
    const found = typeof wanted === 'string' && base ? ctx.view.findSubtype(base, wanted) : null;
    if (!found) {
      const options = base ? [base, ...ctx.view.subtypesOf(base)].map(qnLocal) : [];
      throw invalid(childPath(path, '$type'), options.length > 0 ? `one of ${options.join(', ')}` : 'no $type (this element has no derived types)', wanted);
    }
    t = ctx.view.typeByName(found);
    xsiType = found;
  }
  if (t.kind === 'simple') {
    writeSimple(ctx, el, t, v, path, tag, xsiType);
    return;
  }
  const info = t.complex;
  if (info.abstract && (xsiType === null || xsiType === el.typeName) && !ctx.encoded) {
    const options = el.typeName ? ctx.view.subtypesOf(el.typeName).map(qnLocal) : [];
    throw invalid(childPath(path, '$type'), `one of ${options.join(', ') || '(no concrete subtype)'} (the type ${el.typeName ? qnLocal(el.typeName) : ''} is abstract)`);
  }
  const typeAttr = xsiType ? ` ${w.name(XSI_TYPE)}="${w.name(xsiType)}"` : '';
  if (info.arrayItem) {
    writeSoapArray(ctx, info, v, path, depth, tag);
    return;
  }
  if (!isJsonObject(v)) throw invalid(path, 'an object', v);
  w.push(`<${tag}${typeAttr}`);
  writeAttributes(ctx, info, v, path);
  w.push('>');
  writeContent(ctx, info, v, path, depth);
  w.push(`</${tag}>`);
}

function writeSimple(ctx: WriteCtx, el: ElementInfo, t: TypeInfo & { kind: 'simple' }, v: unknown, path: string, tag: string, xsiType: QName | null): void {
  const { w } = ctx;
  if (t.simple.builtin.kind === 'any' && !t.simple.list && (isJsonObject(v) || Array.isArray(v))) {
    w.push(`<${tag}>`);
    writeGeneric(ctx, v, path, 0);
    w.push(`</${tag}>`);
    return;
  }
  const r = simpleToText(t.simple, v);
  if ('expected' in r) throw invalid(path, r.expected, v);
  if (el.fixed !== null && r.text !== el.fixed) throw invalid(path, `the fixed value ${JSON.stringify(el.fixed)}`, v);
  // Encoded values of anyType say what they are.
  let typeAttr = xsiType;
  if (ctx.encoded && t.simple.builtin.kind === 'any') typeAttr = qn(NS.xsd, typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'double') : typeof v === 'boolean' ? 'boolean' : 'string');
  const attr = typeAttr ? ` ${w.name(XSI_TYPE)}="${w.name(typeAttr)}"` : '';
  w.push(`<${tag}${attr}>${escapeText(r.text)}</${tag}>`);
}

function writeAttributes(ctx: WriteCtx, info: ComplexInfo, v: Record<string, unknown>, path: string): void {
  const { w } = ctx;
  for (const a of info.attributes) {
    const val = v[a.key];
    const p = childPath(path, a.key);
    if (val === undefined) {
      if (a.required) throw invalid(p, `a value (required attribute ${qnLocal(a.name)}: ${describeSimple(a.simple)})`);
      continue;
    }
    const r = simpleToText(a.simple, val);
    if ('expected' in r) throw invalid(p, r.expected, val);
    if (a.fixed !== null && r.text !== a.fixed) throw invalid(p, `the fixed value ${JSON.stringify(a.fixed)}`, val);
    w.push(` ${w.name(a.name)}="${escapeAttr(r.text)}"`);
  }
  if (info.anyAttribute) {
    for (const [k, val] of Object.entries(v)) {
      if (!k.startsWith('@') || info.attributes.some((a) => a.key === k)) continue;
      if (!/^@[A-Za-z_][\w.-]*$/.test(k)) throw invalid(childPath(path, k), 'an attribute name that is an XML name');
      if (typeof val !== 'string') throw invalid(childPath(path, k), 'a string (wildcard attribute)', val);
      w.push(` ${k.slice(1)}="${escapeAttr(val)}"`);
    }
  }
}

/** Keys an object of this type may have, for the unknown-field check and its message. */
export function allowedKeys(info: ComplexInfo): string[] {
  const keys = [...info.slots.keys(), ...info.attributes.map((a) => a.key)];
  if (info.simpleContent || info.mixed) keys.push('$value');
  if (info.wildcard) keys.push('$any');
  return keys;
}

function checkKeys(info: ComplexInfo, v: Record<string, unknown>, path: string): void {
  for (const k of Object.keys(v)) {
    if (info.slots.has(k) || k === '$type') continue;
    if (k.startsWith('@') && (info.anyAttribute || info.attributes.some((a) => a.key === k))) continue;
    if (k === '$value' && (info.simpleContent || info.mixed)) continue;
    if (k === '$any' && info.wildcard) continue;
    throw unknownField(childPath(path, k), k, allowedKeys(info));
  }
}

/** The children (and `$value` text) of a complex value; attributes are written by the caller. */
export function writeContent(ctx: WriteCtx, info: ComplexInfo, v: Record<string, unknown>, path: string, depth: number): void {
  checkKeys(info, v, path);
  if (info.simpleContent) {
    const val = v.$value;
    const p = childPath(path, '$value');
    if (val === undefined) throw invalid(p, `a value (${describeSimple(info.simpleContent)}, the element's text)`);
    const r = simpleToText(info.simpleContent, val);
    if ('expected' in r) throw invalid(p, r.expected, val);
    ctx.w.push(escapeText(r.text));
    return;
  }
  if (info.mixed && v.$value !== undefined) {
    if (typeof v.$value !== 'string') throw invalid(childPath(path, '$value'), 'a string (mixed content text)', v.$value);
    ctx.w.push(escapeText(v.$value));
  }
  if (info.particle) writeParticle(ctx, info, info.particle, v, path, depth, null);
}

function present(p: NParticle, v: Record<string, unknown>): boolean {
  if (p.kind === 'element') return v[p.el.key] !== undefined;
  if (p.kind === 'any') return v.$any !== undefined;
  return p.items.some((c) => present(c, v));
}

function emptiable(p: NParticle): boolean {
  if (p.min === 0) return true;
  if (p.kind === 'element' || p.kind === 'any') return false;
  return p.kind === 'choice' ? p.items.some(emptiable) : p.items.every(emptiable);
}

function keysOf(p: NParticle): string[] {
  if (p.kind === 'element') return [p.el.key];
  if (p.kind === 'any') return ['$any'];
  return p.items.flatMap(keysOf);
}

/** How many repetitions of a repeated group the JSON holds (longest array among its keys). */
function repetitions(p: NParticle, v: Record<string, unknown>): number {
  let n = 0;
  for (const k of keysOf(p)) {
    const val = v[k];
    if (Array.isArray(val)) n = Math.max(n, val.length);
    else if (val !== undefined) n = Math.max(n, 1);
  }
  return n;
}

/**
 * Writes a particle in schema order. `rep` is the index inside an enclosing repeated group: the
 * group's elements are arrays in JSON and repetition i writes item i of each (interleaved).
 */
function writeParticle(ctx: WriteCtx, info: ComplexInfo, p: NParticle, v: Record<string, unknown>, path: string, depth: number, rep: number | null): void {
  if (p.kind === 'element') {
    const slot = info.slots.get(p.el.key);
    const key = p.el.key;
    const val = v[key];
    const kp = childPath(path, key);
    if (slot?.el !== p.el && slot && !slot.repeated && val !== undefined && rep === null) {
      // The key belongs to an earlier particle of the same name; it was written there.
      return;
    }
    if (rep !== null) {
      if (val === undefined) return;
      if (!Array.isArray(val)) throw invalid(kp, 'an array (the element is in a repeated group)', val);
      if (val.length > ctx.limits.maxArrayItems) throw invalid(kp, `at most ${ctx.limits.maxArrayItems} items (the bridge's array limit)`);
      if (rep < val.length) writeElement(ctx, p.el, val[rep], itemPath(kp, rep), depth + 1);
      return;
    }
    writeOccurrences(ctx, p.el, val, kp, depth + 1, slot?.repeated ?? false, p.min, p.max);
    return;
  }
  if (p.kind === 'any') {
    const val = v.$any;
    if (val === undefined) {
      if (p.min > 0 && rep === null) throw invalid(childPath(path, '$any'), 'raw XML (a string; required xs:any content)');
      return;
    }
    const items = Array.isArray(val) ? val : [val];
    items.forEach((item, i) => {
      if (rep !== null && i !== rep) return;
      const ip = Array.isArray(val) ? itemPath(childPath(path, '$any'), i) : childPath(path, '$any');
      if (typeof item !== 'string') throw invalid(ip, 'raw XML (a string)', item);
      if (XMLValidator.validate(`<r>${item}</r>`) !== true) throw invalid(ip, 'well-formed raw XML', item);
      ctx.w.push(item);
    });
    return;
  }
  const repeated = p.max > 1 || p.max === -1;
  if (repeated && rep === null) {
    const n = repetitions(p, v);
    if (n > ctx.limits.maxArrayItems) throw invalid(path, `at most ${ctx.limits.maxArrayItems} repetitions (the bridge's array limit)`);
    if (n === 0) {
      if (!emptiable(p)) throw invalid(path, `the fields ${keysOf(p).join(', ')} (required ${p.kind})`);
      return;
    }
    for (let i = 0; i < n; i++) {
      if (p.kind === 'choice') for (const c of p.items) writeParticle(ctx, info, c, v, path, depth, i);
      else for (const c of p.items) writeParticle(ctx, info, c, v, path, depth, i);
    }
    return;
  }
  if (!present(p, v) && (p.min === 0 || emptiable(p))) return;
  if (p.kind === 'choice') {
    const chosen = p.items.filter((c) => present(c, v));
    if (chosen.length > 1 && rep === null) {
      const keys = chosen.flatMap((c) => keysOf(c).filter((k) => v[k] !== undefined));
      throw invalid(path, `only one of ${keys.join(', ')} (xsd:choice)`);
    }
    const branch = chosen[0];
    if (!branch) throw invalid(path, `one of the fields ${keysOf(p).join(', ')} (xsd:choice)`);
    writeParticle(ctx, info, branch, v, path, depth, rep);
    return;
  }
  for (const c of p.items) writeParticle(ctx, info, c, v, path, depth, rep);
}

/** soapenc:Array: a JSON array of items written as `<item>` with soapenc:arrayType. */
function writeSoapArray(ctx: WriteCtx, info: ComplexInfo, v: unknown, path: string, depth: number, tag: string): void {
  const { w } = ctx;
  const item = info.arrayItem as NonNullable<ComplexInfo['arrayItem']>;
  if (!Array.isArray(v)) throw invalid(path, 'an array (soapenc:Array)', v);
  if (v.length > ctx.limits.maxArrayItems) throw invalid(path, `at most ${ctx.limits.maxArrayItems} items (the bridge's array limit)`);
  w.push(`<${tag} ${w.name(XSI_TYPE)}="${w.name(qn(NS.soapenc, 'Array'))}" ${w.name(qn(NS.soapenc, 'arrayType'))}="${w.name(item.typeName)}[${v.length}]">`);
  const el: ElementInfo = { name: qn('', 'item'), key: 'item', min: 0, max: -1, nillable: true, default: null, fixed: null, typeName: item.typeName, type: item.type };
  v.forEach((x, i) => writeElement({ ...ctx, encoded: true }, el, x, itemPath(path, i), depth + 1));
  w.push(`</${tag}>`);
}

/** anyType content given as JSON: keys become unqualified child elements, `@x` attributes. */
function writeGeneric(ctx: WriteCtx, v: unknown, path: string, depth: number): void {
  if (depth > ctx.limits.maxDepth) throw invalid(path, `nesting at most ${ctx.limits.maxDepth} levels deep (the bridge's depth limit)`);
  if (!isJsonObject(v)) {
    if (v === null || typeof v === 'object') throw invalid(path, 'an object, string, number or boolean (xsd:anyType)', v);
    ctx.w.push(escapeText(String(v)));
    return;
  }
  for (const [k, val] of Object.entries(v)) {
    if (k === '$value') {
      ctx.w.push(escapeText(String(val)));
      continue;
    }
    if (k.startsWith('@')) continue;
    if (!/^[A-Za-z_][\w.-]*$/.test(k)) throw invalid(childPath(path, k), 'a field name that is an XML name');
    const items = Array.isArray(val) ? val : [val];
    items.forEach((item, i) => {
      const attrs = isJsonObject(item) ? Object.entries(item).filter(([a]) => /^@[A-Za-z_][\w.-]*$/.test(a)).map(([a, x]) => ` ${a.slice(1)}="${escapeAttr(String(x))}"`).join('') : '';
      if (item === null) {
        ctx.w.push(`<${k} ${ctx.w.name(XSI_NIL)}="true"/>`);
        return;
      }
      ctx.w.push(`<${k}${attrs}>`);
      writeGeneric(ctx, item, Array.isArray(val) ? itemPath(childPath(path, k), i) : childPath(path, k), depth + 1);
      ctx.w.push(`</${k}>`);
    });
  }
}
