import { XMLValidator } from 'fast-xml-parser';
import { NS, qn, qnLocal, type QName } from '../wsdl/qname';
import { checkKeys, emptiable, keysOf, present, repetitions } from './content-keys';
import { childPath, isJsonObject, itemPath } from './json';
import type { ComplexInfo, ElementInfo, NParticle, TypeInfo } from './schema-view';
import { describeSimple, simpleToText } from './simple-value';
import { invalid, XSI_NIL, XSI_TYPE, type WriteCtx } from './write-context';
import { writeAttributes, writeSimple } from './write-simple';
import { escapeText } from './xml-writer';

// JSON → XML: schema-typed elements and their content, walked in schema order. The pieces next
// to this file: write-context.ts (per-request state, REQUEST_INVALID errors), write-simple.ts
// (simple values, attributes, anyType JSON), content-keys.ts (which JSON keys a content uses).
export { invalid, unknownField, type WriteCtx, type WriteLimits } from './write-context';
export { allowedKeys } from './content-keys';

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
      if (p.min > 0 && rep === null) throw invalid(childPath(path, '$any'), 'raw XML (a string; required any-wildcard content)');
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
  if (p.kind === 'choice' && p.head && rep === null) {
    writeSubstitution(ctx, info, p, qnLocal(p.head.name), v, path, depth);
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

/**
 * A reference to a substitution group head (`head` is its local name): the JSON names the member
 * that stands in for it. When the reference repeats, each member present holds an array; the
 * items of all of them count together against the reference's min/maxOccurs and are written
 * member by member, in the order of the JSON object's keys (order inside each array kept).
 */
function writeSubstitution(ctx: WriteCtx, info: ComplexInfo, p: NParticle & { kind: 'choice' }, head: string, v: Record<string, unknown>, path: string, depth: number): void {
  const members = new Map<string, ElementInfo>();
  for (const c of p.items) {
    // A key that an earlier particle of the same local name owns is written there.
    if (c.kind === 'element' && info.slots.get(c.el.key)?.el === c.el) members.set(c.el.key, c.el);
  }
  const chosen = Object.keys(v).filter((k) => v[k] !== undefined && members.has(k));
  const what = `substitution group of ${head}`;
  const all = [...members.keys()].join(', ');
  if (p.max === 1) {
    if (chosen.length > 1) throw invalid(path, `only one of ${chosen.join(', ')} (${what})`);
    const k = chosen[0];
    if (k === undefined) {
      if (p.min > 0) throw invalid(path, `one of the fields ${all} (required ${what})`);
      return;
    }
    writeElement(ctx, members.get(k) as ElementInfo, v[k], childPath(path, k), depth + 1);
    return;
  }
  let total = 0;
  for (const k of chosen) {
    const val = v[k];
    if (!Array.isArray(val)) throw invalid(childPath(path, k), `an array (${what}, maxOccurs ${p.max === -1 ? 'unbounded' : p.max})`, val);
    total += val.length;
  }
  if (total > ctx.limits.maxArrayItems) throw invalid(path, `at most ${ctx.limits.maxArrayItems} items in ${chosen.join(', ')} together (the bridge's array limit)`);
  if (p.max !== -1 && total > p.max) throw invalid(path, `at most ${p.max} items in ${chosen.join(', ')} together (maxOccurs of ${what})`);
  if (total < p.min) throw invalid(path, `at least ${p.min} item${p.min === 1 ? '' : 's'} in ${all} together (minOccurs of ${what})`);
  for (const k of chosen) {
    const el = members.get(k) as ElementInfo;
    const kp = childPath(path, k);
    (v[k] as unknown[]).forEach((item, i) => writeElement(ctx, el, item, itemPath(kp, i), depth + 1));
  }
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
