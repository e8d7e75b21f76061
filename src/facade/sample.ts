import { qnLocal, qnNs, type QName } from '../wsdl/qname';
import { wildcardAllows } from '../wsdl/xsd/wildcard';
import { cmpInt, TEMPORAL_ALTERNATES, TEMPORAL_EXAMPLE } from './builtins';
import type { JsonObject, JsonValue } from './json';
import type { MessageShape } from './message-shape';
import { sampleForPattern } from './regex-sample';
import type { ComplexInfo, ElementInfo, NParticle, SchemaView, SimpleInfo, TypeInfo } from './schema-view';
import { compilePattern, simpleToText, textToSimple } from './simple-value';
import { escapeAttr, escapeText } from './xml-writer';

/**
 * Sample JSON from the schema: what OpenAPI shows as the example and what the corpus
 * conformance run sends through the mapper. Optional members are included (to exercise them)
 * except where that would recurse; every repeated member gets max(1, minOccurs) items; a choice
 * takes its first branch; an abstract type its first concrete subtype (with `$type`).
 */
export function sampleInput(view: SchemaView, shape: MessageShape | null): JsonObject | null {
  return shape ? sampleShape(new Sampler(view), shape) : null;
}

export const sampleOutput = sampleInput;

function sampleShape(s: Sampler, shape: MessageShape): JsonObject {
  const out: JsonObject = {};
  if (shape.kind === 'content') {
    const v = s.element(shape.element, []);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
  } else {
    for (const p of shape.parts) out[p.key] = s.element(p.el, []);
  }
  if (shape.headers.length > 0) {
    const hs: JsonObject = {};
    for (const h of shape.headers) hs[h.key] = s.element(h.el, []);
    out.$headers = hs;
  }
  return out;
}

const MAX_DEPTH = 12;

class Sampler {
  constructor(private readonly view: SchemaView) {}

  element(el: ElementInfo, stack: ComplexInfo[]): JsonValue {
    if (el.fixed !== null) {
      const t = el.type();
      if (t.kind === 'simple') return textToSimple(t.simple, el.fixed);
    }
    return this.typed(el.type(), el.typeName, stack);
  }

  typed(t: TypeInfo, typeName: QName | null, stack: ComplexInfo[]): JsonValue {
    if (t.kind === 'simple') return this.simple(t.simple);
    let info = t.complex;
    let tag: string | null = null;
    if (info.abstract && typeName) {
      const concrete = this.view.subtypesOf(typeName).map((n) => ({ n, t: this.view.typeByName(n) })).find((x) => x.t.kind === 'complex' && !x.t.complex.abstract);
      if (concrete && concrete.t.kind === 'complex') {
        info = concrete.t.complex;
        tag = qnLocal(concrete.n);
      }
    }
    if (info.arrayItem) return stack.length > MAX_DEPTH ? [] : [this.typed(info.arrayItem.type(), info.arrayItem.typeName, [...stack, info])];
    const out: JsonObject = tag ? { $type: tag } : {};
    for (const a of info.attributes) out[a.key] = a.fixed !== null ? textToSimple(a.simple, a.fixed) : this.simple(a.simple);
    if (info.simpleContent) out.$value = this.simple(info.simpleContent);
    else if (info.particle) this.particle(info, info.particle, out, [...stack, info], false);
    return out;
  }

  /** Fills `out` with the members of `p`; `repeated` when inside a repeated group. */
  private particle(info: ComplexInfo, p: NParticle, out: JsonObject, stack: ComplexInfo[], repeated: boolean): void {
    const rep = repeated || p.max > 1 || p.max === -1;
    if (p.kind === 'element') {
      const slot = info.slots.get(p.el.key);
      if (!slot || out[p.el.key] !== undefined) return;
      const t = p.el.type();
      const recursive = t.kind === 'complex' && (stack.includes(t.complex) || stack.length > MAX_DEPTH);
      if (recursive && p.min === 0) return;
      if (recursive && stack.length > MAX_DEPTH) return;
      const one = (): JsonValue => this.element(p.el, stack);
      if (slot.repeated) out[p.el.key] = Array.from({ length: Math.max(1, Math.min(p.min, 3)) }, one);
      else out[p.el.key] = one();
      return;
    }
    if (p.kind === 'any') {
      const raw = (p.processContents === 'strict' ? this.globalElementSample(p.namespace) : null) ?? anySample(p.namespace);
      if (raw === null) return;
      out.$any = rep ? [raw] : raw;
      return;
    }
    if (p.kind === 'choice') {
      const branch = p.items.find((c) => !(c.kind === 'element' && isRecursive(c.el, stack))) ?? p.items[0];
      if (branch) this.particle(info, branch, out, stack, rep);
      return;
    }
    for (const c of p.items) this.particle(info, c, out, stack, rep);
  }

  /** A strict wildcard needs a declared element: the first global element of a simple type that fits. */
  private globalElementSample(namespace: string): string | null {
    for (const decl of Object.values(this.view.schema.elements)) {
      const ns = qnNs(decl.name);
      if (!wildcardAllows(namespace, ns) || decl.abstract) continue;
      const el = this.view.globalElement(decl.name);
      const t = el?.type();
      if (!t || t.kind !== 'simple') continue;
      const r = simpleToText(t.simple, this.simple(t.simple));
      if (!('text' in r)) continue;
      const local = qnLocal(decl.name);
      return ns === '' ? `<${local}>${escapeText(r.text)}</${local}>` : `<x:${local} xmlns:x="${escapeAttr(ns)}">${escapeText(r.text)}</x:${local}>`;
    }
    return null;
  }

  simple(info: SimpleInfo): JsonValue {
    if (info.enumeration && info.enumeration.length > 0) return textToSimple(info, info.enumeration[0] as string);
    if (info.list) return [this.simple(info.list)];
    if (info.union) return String(this.simple(info.union[0] ?? info));
    return this.candidate(info);
  }

  private candidate(info: SimpleInfo): JsonValue {
    const b = info.builtin;
    const facet = <K extends 'minInclusive' | 'maxInclusive' | 'minExclusive' | 'maxExclusive' | 'minLength' | 'maxLength' | 'length' | 'fractionDigits'>(k: K): NonNullable<SimpleInfo['steps'][number][K]> | undefined => {
      for (const s of info.steps) if (s[k] !== undefined) return s[k] as NonNullable<SimpleInfo['steps'][number][K]>;
      return undefined;
    };
    const patterns = info.steps.find((s) => s.pattern && s.pattern.length > 0)?.pattern;
    switch (b.kind) {
      case 'boolean':
        return true;
      case 'int':
      case 'bigint':
      case 'decimal':
      case 'float': {
        let n = '1';
        const lo = facet('minInclusive') ?? (facet('minExclusive') !== undefined ? bump(facet('minExclusive') as string, 1) : undefined) ?? b.min;
        const hi = facet('maxInclusive') ?? (facet('maxExclusive') !== undefined ? bump(facet('maxExclusive') as string, -1) : undefined) ?? b.max;
        if (lo !== undefined && less(n, lo)) n = lo;
        if (hi !== undefined && less(hi, n)) n = hi;
        if (patterns) {
          const p = sampleForPattern(patterns[0] as string);
          if (p !== null) n = p;
        }
        if (b.kind === 'decimal' || b.kind === 'float') return Number.isFinite(Number(n)) ? Number(n) : n;
        const v = Number(n);
        return Number.isSafeInteger(v) ? v : n;
      }
      case 'base64':
        return 'AQID';
      case 'hex':
        return '0A0B';
      case 'temporal': {
        const p = patterns ? sampleForPattern(patterns[0] as string) : null;
        const candidates = [p, TEMPORAL_EXAMPLE[b.local], ...(TEMPORAL_ALTERNATES[b.local] ?? [])];
        // The first that is both of the type's lexical form and accepted by every pattern step.
        const fits = (v: string): boolean => b.lexical?.test(v) !== false && info.steps.every((st) => !st.pattern?.length || st.pattern.some((q) => compilePattern(q)?.test(v) !== false));
        return candidates.find((v): v is string => v !== null && v !== undefined && fits(v)) ?? TEMPORAL_EXAMPLE[b.local] ?? 'string';
      }
      case 'any':
        return 'string';
      default: {
        if (patterns) {
          const p = sampleForPattern(patterns[0] as string);
          if (p !== null) return p;
        }
        let s = STRING_SAMPLES[b.local] ?? 'string';
        const len = facet('length');
        const min = facet('minLength');
        const max = facet('maxLength');
        if (len !== undefined) s = s.padEnd(len, 'x').slice(0, len);
        if (min !== undefined && s.length < min) s = s.padEnd(min, 'x');
        if (max !== undefined && s.length > max) s = s.slice(0, max);
        return s;
      }
    }
  }
}

const STRING_SAMPLES: Record<string, string> = { anyURI: 'http://example.com/', language: 'en', QName: 'sample', NOTATION: 'sample', ID: 'id1', IDREF: 'id1', ENTITY: 'sample' };

function isRecursive(el: ElementInfo, stack: ComplexInfo[]): boolean {
  const t = el.type();
  return t.kind === 'complex' && stack.includes(t.complex);
}

function anySample(namespace: string): string | null {
  const ns = namespace.trim();
  if (ns === '##local') return '<sample>text</sample>';
  if (ns === '##targetNamespace') return null;
  const uri = ns === '##any' || ns === '##other' || ns === '' ? 'urn:soapbridge:sample' : (ns.split(/\s+/).find((u) => !u.startsWith('##')) ?? 'urn:soapbridge:sample');
  return `<x:sample xmlns:x="${uri}">text</x:sample>`;
}

function less(a: string, b: string): boolean {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return cmpInt(a, b) < 0;
  return Number(a) < Number(b);
}

function bump(v: string, by: number): string {
  if (/^-?\d+$/.test(v)) return (BigInt(v) + BigInt(by)).toString();
  return String(Number(v) + by * 0.5);
}
