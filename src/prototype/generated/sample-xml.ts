import { NS, qnLocal, qnNs, type QName } from '../../wsdl/qname';
import type { AttributeUse, ComplexType, ElementDecl, Particle, SchemaSet, TypeDef } from '../../wsdl/model';
import { SampleValues } from './sample-value';
import { wildcardAllows } from '../../wsdl/xsd/wildcard';

/**
 * Sample XML instances from the compiled XSD model, like a SoapUI mock: the right element names,
 * namespaces and order, every required element and attribute, optional elements once (until
 * recursion or depth would make the document grow without end), the first branch of a choice,
 * and values valid for their simple types (sample-value.ts).
 *
 * Each root element declares every namespace its subtree uses, so the element can be cut out of
 * an Envelope and validated on its own.
 *
 * @example new SampleXml(model.schema).globalElement('{http://tempuri.org/}AddResponse')
 *   // → '<ns1:AddResponse xmlns:ns1="http://tempuri.org/"><ns1:AddResult>1</ns1:AddResult></ns1:AddResponse>'
 */
const MAX_DEPTH = 24;
/** Past this depth optional content is left out. */
const OPTIONAL_DEPTH = 8;
const MAX_REPEAT = 50;
const SAMPLE_NS = 'urn:soapbridge:sample';

interface ElementSpec {
  name: QName;
  type: QName | null;
  typeDef: TypeDef | null;
  fixed: string | null;
}

class Writer {
  private readonly prefixes = new Map<string, string>();

  prefix(ns: string): string {
    let p = this.prefixes.get(ns);
    if (p === undefined) {
      p = ns === NS.xsi ? 'xsi' : `ns${this.prefixes.size + 1}`;
      this.prefixes.set(ns, p);
    }
    return p;
  }

  /** Unqualified names stay unprefixed; no default namespace is ever declared. */
  name(q: QName): string {
    const ns = qnNs(q);
    return ns === '' ? qnLocal(q) : `${this.prefix(ns)}:${qnLocal(q)}`;
  }

  declarations(): string {
    let s = '';
    for (const [ns, p] of this.prefixes) s += ` xmlns:${p}="${escapeXml(ns)}"`;
    return s;
  }
}

export class SampleXml {
  private readonly values: SampleValues;
  /** wildcardElement's answer per namespace constraint. */
  private readonly wildcards = new Map<string, ElementDecl | null>();

  constructor(private readonly schema: SchemaSet) {
    this.values = new SampleValues(schema);
  }

  /** A global element as a standalone root; null when the schema does not declare it. */
  globalElement(name: QName): string | null {
    const decl = this.concrete(this.schema.elements[name]);
    if (!decl) return null;
    return this.root({ name: decl.name, type: decl.type, typeDef: decl.typeDef, fixed: decl.fixed });
  }

  /** An element of a given (named) type: rpc accessors and `type=` parts. */
  typedElement(name: QName, type: QName | null): string {
    return this.root({ name, type, typeDef: null, fixed: null });
  }

  /** An rpc wrapper (`<ns:AddResponse>`) around accessor elements, one root. */
  wrapper(name: QName, children: { name: QName; type: QName | null; element: QName | null }[]): string {
    const w = new Writer();
    const tag = w.name(name);
    const inner = children
      .map((c) => {
        const decl = c.element ? this.concrete(this.schema.elements[c.element]) : undefined;
        return decl ? this.element(w, { name: decl.name, type: decl.type, typeDef: decl.typeDef, fixed: decl.fixed }, 1, []) : this.element(w, { name: c.name, type: c.type, typeDef: null, fixed: null }, 1, []);
      })
      .join('');
    return `<${tag}${w.declarations()}>${inner}</${tag}>`;
  }

  private root(spec: ElementSpec): string {
    const w = new Writer();
    const body = this.element(w, spec, 0, []);
    // The declarations are known only once the subtree is written: splice them into the root tag.
    const tag = w.name(spec.name);
    return `<${tag}${w.declarations()}${body.slice(tag.length + 1)}`;
  }

  /** Abstract elements are replaced by a concrete member of their substitution group. */
  private concrete(decl: ElementDecl | undefined): ElementDecl | undefined {
    if (!decl?.abstract) return decl;
    return Object.values(this.schema.elements).find((e) => e.substitutionGroup === decl.name && !e.abstract) ?? decl;
  }

  private element(w: Writer, spec: ElementSpec, depth: number, stack: readonly TypeDef[]): string {
    const tag = w.name(spec.name);
    if (spec.fixed !== null) return `<${tag}>${escapeXml(spec.fixed)}</${tag}>`;
    let def: TypeDef | undefined = spec.typeDef ?? (spec.type ? this.schema.types[spec.type] : undefined);
    let xsiType = '';
    if (def?.kind === 'complex' && def.abstract && spec.type) {
      const sub = this.concreteSubtype(spec.type);
      if (sub) {
        def = this.schema.types[sub];
        xsiType = ` ${w.name(`{${NS.xsi}}type`)}="${w.name(sub)}"`;
      }
    }
    if (!def || def.kind === 'simple') {
      const text = def?.kind === 'simple' ? this.values.forType(null, def) : this.values.forType(spec.type, null);
      return `<${tag}${xsiType}>${escapeXml(text)}</${tag}>`;
    }
    if (depth > MAX_DEPTH || stack.includes(def)) return `<${tag}${xsiType}/>`;
    const { attrs, content } = this.complex(w, def, depth, [...stack, def]);
    return content === '' ? `<${tag}${xsiType}${attrs}/>` : `<${tag}${xsiType}${attrs}>${content}</${tag}>`;
  }

  private complex(w: Writer, def: ComplexType, depth: number, stack: readonly TypeDef[]): { attrs: string; content: string } {
    const chain = this.derivationChain(def);
    let attrs = '';
    const seen = new Set<QName>();
    for (const t of [...chain].reverse()) attrs += this.attributes(w, t.attributes, seen, 0);
    const c = def.content;
    if (c.kind === 'simpleExtension' || c.kind === 'simpleRestriction') {
      let text = def.name ? this.values.forType(def.name, null) : this.values.forType(c.base, null);
      // An anonymous restriction's own enumeration is not reachable by name.
      if (def.name === null && c.kind === 'simpleRestriction' && c.facets.enumeration?.[0] !== undefined) text = c.facets.enumeration[0];
      return { attrs, content: escapeXml(text) };
    }
    let particles: Particle[] = [];
    for (const t of chain) {
      const tc = t.content;
      if (tc.kind === 'particle') particles = [tc.particle];
      else if (tc.kind === 'extension') particles = tc.particle ? [...particles, tc.particle] : particles;
      else if (tc.kind === 'restriction') particles = tc.particle ? [tc.particle] : [];
    }
    return { attrs, content: particles.map((p) => this.particle(w, p, depth + 1, stack)).join('') };
  }

  private attributes(w: Writer, uses: AttributeUse[], seen: Set<QName>, depth: number): string {
    let out = '';
    if (depth > 16) return out;
    for (const u of uses) {
      if (u.kind === 'attributeGroupRef') {
        const g = this.schema.attributeGroups[u.ref];
        if (g) out += this.attributes(w, g.attributes, seen, depth + 1);
        continue;
      }
      if (seen.has(u.name)) continue;
      seen.add(u.name);
      const ns = qnNs(u.name);
      if (u.use !== 'required' && u.fixed === null) continue;
      if (u.use === 'prohibited' || ns === NS.soapenc || ns === 'http://www.w3.org/XML/1998/namespace') continue;
      const global = u.ref ? this.schema.attributes[u.name] : undefined;
      const value = u.fixed ?? u.default ?? this.values.forType(u.type ?? global?.type ?? null, u.typeDef ?? global?.typeDef ?? null);
      out += ` ${w.name(u.name)}="${escapeXml(value)}"`;
    }
    return out;
  }

  private particle(w: Writer, p: Particle, depth: number, stack: readonly TypeDef[]): string {
    if (p.maxOccurs === 0) return '';
    const optional = p.minOccurs === 0;
    if (optional && (depth > OPTIONAL_DEPTH || this.recursive(p, stack))) return '';
    const times = Math.min(Math.max(p.minOccurs, 1), MAX_REPEAT);
    let one: () => string;
    switch (p.kind) {
      case 'element': {
        const decl = p.ref ? this.concrete(this.schema.elements[p.name]) : undefined;
        const spec: ElementSpec = decl ? { name: decl.name, type: decl.type, typeDef: decl.typeDef, fixed: decl.fixed } : { name: p.name, type: p.type, typeDef: p.typeDef, fixed: p.fixed };
        one = () => this.element(w, spec, depth, stack);
        break;
      }
      case 'sequence':
      case 'all':
        one = () => p.particles.map((c) => this.particle(w, c, depth, stack)).join('');
        break;
      case 'choice': {
        const branch = p.particles.find((c) => !this.recursive(c, stack)) ?? p.particles[0];
        one = () => (branch ? this.particle(w, { ...branch, minOccurs: Math.max(branch.minOccurs, 1) }, depth, stack) : '');
        break;
      }
      case 'groupRef': {
        const g = this.schema.groups[p.ref];
        one = () => (g?.particle && depth <= MAX_DEPTH ? this.particle(w, g.particle, depth + 1, stack) : '');
        break;
      }
      case 'any': {
        if (optional) return '';
        // strict (the default) demands a declared element; lax and skip take any.
        const declared = p.processContents === 'strict' ? this.wildcardElement(p.namespace) : null;
        if (declared) {
          one = () => this.element(w, { name: declared.name, type: declared.type, typeDef: declared.typeDef, fixed: declared.fixed }, depth, stack);
          break;
        }
        const ns = p.namespace.trim().split(/\s+/)[0] ?? '##any';
        const name = ns === '##local' ? '{}sample' : ns === '##any' || ns === '##other' || ns === '##targetNamespace' ? `{${SAMPLE_NS}}sample` : `{${ns}}sample`;
        one = () => `<${w.name(name)}/>`;
        break;
      }
    }
    let out = '';
    for (let i = 0; i < times; i++) out += one();
    return out;
  }

  /**
   * For a strict wildcard: the first global element the constraint admits whose type is simple
   * (a small instance that cannot recurse), else null.
   */
  private wildcardElement(constraint: string): ElementDecl | null {
    let found = this.wildcards.get(constraint);
    if (found === undefined) {
      found = null;
      for (const decl of Object.values(this.schema.elements)) {
        if (decl.abstract || !wildcardAllows(constraint, qnNs(decl.name))) continue;
        const def = decl.typeDef ?? (decl.type ? this.schema.types[decl.type] : undefined);
        // A built-in type (xs:string, ...) is not in `types`; a named or anonymous simple type is.
        if (def ? def.kind === 'simple' : decl.type !== null && qnNs(decl.type) === NS.xsd) {
          found = decl;
          break;
        }
      }
      this.wildcards.set(constraint, found);
    }
    return found;
  }

  /** An element whose type is already being written above it. */
  private recursive(p: Particle, stack: readonly TypeDef[]): boolean {
    if (p.kind !== 'element') return false;
    const decl = p.ref ? this.schema.elements[p.name] : undefined;
    const def = decl ? decl.typeDef ?? (decl.type ? this.schema.types[decl.type] : undefined) : p.typeDef ?? (p.type ? this.schema.types[p.type] : undefined);
    return def !== undefined && stack.includes(def);
  }

  /** Base-most first; stops at built-ins, unknown bases and cycles. */
  private derivationChain(def: ComplexType): ComplexType[] {
    const chain: ComplexType[] = [def];
    let cur = def;
    for (;;) {
      const c = cur.content;
      if (c.kind !== 'extension' && c.kind !== 'restriction' && c.kind !== 'simpleExtension' && c.kind !== 'simpleRestriction') break;
      const base = this.schema.types[c.base];
      if (!base || base.kind !== 'complex' || chain.includes(base)) break;
      chain.unshift(base);
      cur = base;
    }
    return chain;
  }

  private concreteSubtype(base: QName): QName | null {
    for (const [name, t] of Object.entries(this.schema.types)) {
      if (t.kind !== 'complex' || t.abstract) continue;
      const chain = this.derivationChain(t);
      if (chain.some((c) => c.name === base)) return name;
    }
    return null;
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
