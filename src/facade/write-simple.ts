import { NS, qn, qnLocal, type QName } from '../wsdl/qname';
import { childPath, isJsonObject, itemPath } from './json';
import type { ComplexInfo, ElementInfo, TypeInfo } from './schema-view';
import { describeSimple, simpleToText } from './simple-value';
import { invalid, XSI_NIL, XSI_TYPE, type WriteCtx } from './write-context';
import { escapeAttr, escapeText } from './xml-writer';

// The leaves of the JSON → XML mapping: simple-typed elements, attributes, and anyType content
// given as JSON. Nothing here recurses back into schema-typed elements.

/** A simple-typed element (the caller has handled `null`/nil and `$type`). */
export function writeSimple(ctx: WriteCtx, el: ElementInfo, t: TypeInfo & { kind: 'simple' }, v: unknown, path: string, tag: string, xsiType: QName | null): void {
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

/** The attributes of a complex value, written into its open start tag. */
export function writeAttributes(ctx: WriteCtx, info: ComplexInfo, v: Record<string, unknown>, path: string): void {
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
