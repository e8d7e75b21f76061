import { NS, qn, qnLocal, qnNs, type QName } from '../wsdl/qname';
import type { AttributeUse, ComplexType, Facets, Particle, SchemaSet, SimpleType, TypeDef } from '../wsdl/model';
import { builtin, type Builtin } from './builtins';

/**
 * A read-only, cached view of the compiled XSD model shaped for mapping: derivation chains are
 * flattened, group references expanded, element references resolved. Everything is computed
 * lazily and memoised per type object, so recursive schemas cost nothing until used and a
 * facade built on a 1500-operation WSDL only pays for the operations it serves.
 */
export interface SimpleInfo {
  name: QName | null;
  builtin: Builtin;
  /** Facets of every derivation step, nearest first (patterns AND across steps). */
  steps: Facets[];
  enumeration: string[] | null;
  list: SimpleInfo | null;
  union: SimpleInfo[] | null;
}

export type TypeInfo = { kind: 'simple'; simple: SimpleInfo } | { kind: 'complex'; complex: ComplexInfo };

export interface ElementInfo {
  name: QName;
  /** JSON key: the local name. */
  key: string;
  min: number;
  /** -1 = unbounded */
  max: number;
  nillable: boolean;
  default: string | null;
  fixed: string | null;
  /** Named type (for xsi:type and OpenAPI component names), null when anonymous. */
  typeName: QName | null;
  type(): TypeInfo;
}

export type NParticle =
  | { kind: 'element'; min: number; max: number; el: ElementInfo }
  | { kind: 'sequence' | 'choice' | 'all'; min: number; max: number; items: NParticle[] }
  | { kind: 'any'; min: number; max: number; namespace: string; processContents: 'strict' | 'lax' | 'skip' };

export interface AttrInfo {
  name: QName;
  /** JSON key: `@` + local name. */
  key: string;
  required: boolean;
  default: string | null;
  fixed: string | null;
  simple: SimpleInfo;
}

/** One place a child element can land in the JSON object of its parent. */
export interface Slot {
  key: string;
  el: ElementInfo;
  /** An array in JSON: maxOccurs > 1 on the element or on an enclosing group. */
  repeated: boolean;
}

export interface ComplexInfo {
  name: QName | null;
  abstract: boolean;
  mixed: boolean;
  attributes: AttrInfo[];
  anyAttribute: boolean;
  /** Element content (base content first for extensions); null for empty or simple content. */
  particle: NParticle | null;
  /** simpleContent: the type of `$value`. */
  simpleContent: SimpleInfo | null;
  /** soapenc:Array: the item type; the JSON is an array. */
  arrayItem: { typeName: QName; type: () => TypeInfo } | null;
  slots: Map<string, Slot>;
  /** Element QName → slot, for reading. */
  byName: Map<QName, Slot>;
  /** A wildcard (`xs:any`) in the content: `$any` holds raw XML. */
  wildcard: { repeated: boolean } | null;
}

const XSD_STRING = qn(NS.xsd, 'string');
const ANY_TYPE = qn(NS.xsd, 'anyType');
const BUILTIN_NS = new Set<string>([NS.xsd, NS.soapenc, NS.soap12enc]);

export class SchemaView {
  private readonly complexCache = new WeakMap<ComplexType, ComplexInfo>();
  private readonly simpleCache = new WeakMap<SimpleType, SimpleInfo>();
  private readonly builtinSimple = new Map<QName, SimpleInfo>();
  private subtypeIndex: Map<QName, QName[]> | null = null;
  readonly unsupported: string[] = [];

  constructor(readonly schema: SchemaSet) {}

  /** A named type, a built-in, or (unknown/opaque) xsd:string-like. */
  typeByName(name: QName | null): TypeInfo {
    if (name === null) return { kind: 'simple', simple: this.builtinInfo(XSD_STRING) };
    const def = this.schema.types[name];
    if (def) return this.typeOf(def);
    if (name === ANY_TYPE || (BUILTIN_NS.has(qnNs(name)) && qnLocal(name) === 'anyType')) return { kind: 'simple', simple: this.builtinInfo(ANY_TYPE) };
    // soapenc:Array / soapenc:Struct used directly: untyped content.
    if (qnNs(name) === NS.soapenc && (qnLocal(name) === 'Array' || qnLocal(name) === 'Struct')) return { kind: 'simple', simple: this.builtinInfo(ANY_TYPE) };
    return { kind: 'simple', simple: this.builtinInfo(name) };
  }

  typeOf(def: TypeDef): TypeInfo {
    return def.kind === 'complex' ? { kind: 'complex', complex: this.complex(def) } : { kind: 'simple', simple: this.simple(def) };
  }

  isBuiltinName(name: QName): boolean {
    return !this.schema.types[name] && BUILTIN_NS.has(qnNs(name));
  }

  private builtinInfo(name: QName): SimpleInfo {
    let info = this.builtinSimple.get(name);
    if (!info) {
      const known = BUILTIN_NS.has(qnNs(name));
      info = { name, builtin: builtin(known ? qnLocal(name) : 'string'), steps: [], enumeration: null, list: null, union: null };
      const local = qnLocal(name);
      if (known && (local === 'NMTOKENS' || local === 'IDREFS' || local === 'ENTITIES')) {
        info = { ...info, builtin: builtin('string'), list: this.builtinInfo(qn(NS.xsd, local.slice(0, -1))) };
      }
      this.builtinSimple.set(name, info);
    }
    return info;
  }

  simple(def: SimpleType): SimpleInfo {
    const hit = this.simpleCache.get(def);
    if (hit) return hit;
    let info: SimpleInfo;
    if (def.variety === 'list') {
      const item = def.itemDef ? this.simple(def.itemDef) : this.simpleByName(def.itemType);
      info = { name: def.name, builtin: builtin('string'), steps: [def.facets], enumeration: def.facets.enumeration ?? null, list: item, union: null };
    } else if (def.variety === 'union') {
      const members = [...def.memberTypes.map((m) => this.simpleByName(m)), ...def.memberDefs.map((d) => this.simple(d))];
      info = { name: def.name, builtin: builtin('string'), steps: [def.facets], enumeration: def.facets.enumeration ?? null, list: null, union: members };
    } else {
      // Placeholder first: a (broken) self-derivation must not recurse forever.
      const base0: SimpleInfo = { name: def.name, builtin: builtin('string'), steps: [def.facets], enumeration: def.facets.enumeration ?? null, list: null, union: null };
      this.simpleCache.set(def, base0);
      const base = def.baseDef ? this.simple(def.baseDef) : this.simpleByName(def.base);
      info = {
        name: def.name,
        builtin: base.builtin,
        steps: [def.facets, ...base.steps],
        enumeration: def.facets.enumeration ?? base.enumeration,
        list: base.list,
        union: base.union,
      };
    }
    this.simpleCache.set(def, info);
    return info;
  }

  /** The simple type named `name`; complex types with simple content give their value type. */
  simpleByName(name: QName | null): SimpleInfo {
    const t = this.typeByName(name);
    if (t.kind === 'simple') return t.simple;
    return t.complex.simpleContent ?? this.builtinInfo(XSD_STRING);
  }

  element(p: { name: QName; type: QName | null; typeDef: TypeDef | null; nillable: boolean; default: string | null; fixed: string | null }, min: number, max: number): ElementInfo {
    let resolved: TypeInfo | null = null;
    return {
      name: p.name,
      key: qnLocal(p.name),
      min,
      max,
      nillable: p.nillable,
      default: p.default,
      fixed: p.fixed,
      typeName: p.typeDef ? null : p.type,
      type: () => (resolved ??= p.typeDef ? this.typeOf(p.typeDef) : this.typeByName(p.type)),
    };
  }

  /** A global element by QName (element parts, element refs). */
  globalElement(name: QName, min = 1, max = 1): ElementInfo | null {
    const decl = this.schema.elements[name];
    return decl ? this.element(decl, min, max) : null;
  }

  complex(def: ComplexType): ComplexInfo {
    const hit = this.complexCache.get(def);
    if (hit) return hit;
    const info: ComplexInfo = {
      name: def.name,
      abstract: def.abstract,
      mixed: def.mixed,
      attributes: [],
      anyAttribute: def.anyAttribute !== null,
      particle: null,
      simpleContent: null,
      arrayItem: null,
      slots: new Map(),
      byName: new Map(),
      wildcard: null,
    };
    this.complexCache.set(def, info); // before recursing: types may contain themselves
    const attrs = new Map<QName, AttrInfo>();
    const chain = this.derivationChain(def);
    for (const t of chain) {
      for (const a of this.attributeUses(t.attributes, 0)) {
        if (a === 'prohibited') continue;
        attrs.set(a.name, a);
      }
      if (t.anyAttribute) info.anyAttribute = true;
      for (const a of t.attributes) if (a.kind === 'attribute' && a.use === 'prohibited') attrs.delete(a.name);
    }
    info.attributes = [...attrs.values()];

    // Content: extensions append to their base; a restriction restates the whole content.
    const parts: NParticle[] = [];
    for (const t of chain) {
      const c = t.content;
      if (c.kind === 'particle') parts.splice(0, parts.length, ...this.normalize(c.particle, 0));
      else if (c.kind === 'extension') {
        if (c.particle) parts.push(...this.normalize(c.particle, 0));
      } else if (c.kind === 'restriction') {
        parts.splice(0, parts.length, ...(c.particle ? this.normalize(c.particle, 0) : []));
      } else if (c.kind === 'simpleExtension' || c.kind === 'simpleRestriction') {
        const base = this.schema.types[c.base];
        const baseSimple = base && base.kind === 'complex' ? this.complex(base).simpleContent : this.simpleByName(c.base);
        const b = baseSimple ?? this.simpleByName(null);
        info.simpleContent = c.kind === 'simpleRestriction' && Object.keys(c.facets).length > 0 ? { ...b, steps: [c.facets, ...b.steps], enumeration: c.facets.enumeration ?? b.enumeration } : b;
      }
    }
    if (def.soapArray) {
      const item = def.soapArray.itemType;
      const dims = def.soapArray.dimensions.replace(/^\[[^\]]*\]/, '');
      // Arrays of arrays (`xsd:string[][]`) keep their inner dimension as an untyped item.
      info.arrayItem = dims === '' ? { typeName: item, type: () => this.typeByName(item) } : { typeName: ANY_TYPE, type: () => this.typeByName(ANY_TYPE) };
      return info;
    }
    if (parts.length === 1) info.particle = parts[0] ?? null;
    else if (parts.length > 1) info.particle = { kind: 'sequence', min: 1, max: 1, items: parts };
    if (info.particle) this.collectSlots(info.particle, false, info);
    return info;
  }

  /** Base-most first. Stops at built-ins, unknown bases and cycles. */
  private derivationChain(def: ComplexType): ComplexType[] {
    const chain: ComplexType[] = [def];
    const seen = new Set<ComplexType>([def]);
    let cur = def;
    for (;;) {
      const c = cur.content;
      if (c.kind !== 'extension' && c.kind !== 'restriction' && c.kind !== 'simpleExtension' && c.kind !== 'simpleRestriction') break;
      const base = this.schema.types[c.base];
      if (!base || base.kind !== 'complex' || seen.has(base)) break;
      seen.add(base);
      chain.unshift(base);
      cur = base;
    }
    return chain;
  }

  private attributeUses(uses: AttributeUse[], depth: number): (AttrInfo | 'prohibited')[] {
    const out: (AttrInfo | 'prohibited')[] = [];
    if (depth > 32) return out;
    for (const u of uses) {
      if (u.kind === 'attributeGroupRef') {
        const g = this.schema.attributeGroups[u.ref];
        if (g) out.push(...this.attributeUses(g.attributes, depth + 1));
        continue;
      }
      if (u.use === 'prohibited') {
        out.push('prohibited');
        continue;
      }
      // xml:lang and friends, soapenc:arrayType: not data.
      if (qnNs(u.name) === 'http://www.w3.org/XML/1998/namespace' || qnNs(u.name) === NS.soapenc) continue;
      const global = u.ref ? this.schema.attributes[u.name] : undefined;
      const simple = u.typeDef ? this.simple(u.typeDef) : global?.typeDef ? this.simple(global.typeDef) : this.simpleByName(u.type ?? global?.type ?? null);
      out.push({ name: u.name, key: `@${qnLocal(u.name)}`, required: u.use === 'required', default: u.default, fixed: u.fixed, simple });
    }
    return out;
  }

  /** Particle → normalized particles (group refs expanded; empty groups dropped). */
  private normalize(p: Particle, depth: number): NParticle[] {
    if (depth > 64 || p.maxOccurs === 0) return [];
    switch (p.kind) {
      case 'element': {
        if (p.ref) {
          const g = this.globalElement(p.name, p.minOccurs, p.maxOccurs);
          return [{ kind: 'element', min: p.minOccurs, max: p.maxOccurs, el: g ?? this.element({ ...p, type: ANY_TYPE }, p.minOccurs, p.maxOccurs) }];
        }
        return [{ kind: 'element', min: p.minOccurs, max: p.maxOccurs, el: this.element(p, p.minOccurs, p.maxOccurs) }];
      }
      case 'any':
        return [{ kind: 'any', min: p.minOccurs, max: p.maxOccurs, namespace: p.namespace, processContents: p.processContents }];
      case 'groupRef': {
        const g = this.schema.groups[p.ref];
        if (!g?.particle) return [];
        const inner = this.normalize(g.particle, depth + 1);
        if (inner.length === 1 && p.minOccurs === 1 && p.maxOccurs === 1) return inner;
        return [{ kind: 'sequence', min: p.minOccurs, max: p.maxOccurs, items: inner }];
      }
      default: {
        const items = p.particles.flatMap((c) => this.normalize(c, depth + 1));
        if (items.length === 0) return [];
        return [{ kind: p.kind, min: p.minOccurs, max: p.maxOccurs, items }];
      }
    }
  }

  private collectSlots(p: NParticle, repeated: boolean, info: ComplexInfo): void {
    const rep = repeated || p.max > 1 || p.max === -1;
    if (p.kind === 'element') {
      if (info.slots.has(p.el.key)) {
        // Same local name twice (e.g. in two choice branches): one slot, an array if either repeats.
        const s = info.slots.get(p.el.key) as Slot;
        if (rep && !s.repeated) s.repeated = true;
        info.byName.set(p.el.name, s);
        return;
      }
      const slot: Slot = { key: p.el.key, el: p.el, repeated: rep };
      info.slots.set(slot.key, slot);
      info.byName.set(p.el.name, slot);
    } else if (p.kind === 'any') {
      info.wildcard = { repeated: rep || (info.wildcard?.repeated ?? false) };
    } else {
      for (const c of p.items) this.collectSlots(c, rep, info);
    }
  }

  /** Named complex types derived (transitively, by extension or restriction) from `base`. */
  subtypesOf(base: QName): QName[] {
    if (!this.subtypeIndex) {
      const direct = new Map<QName, QName[]>();
      for (const [name, t] of Object.entries(this.schema.types)) {
        if (t.kind !== 'complex') continue;
        const c = t.content;
        if (c.kind === 'extension' || c.kind === 'restriction' || c.kind === 'simpleExtension' || c.kind === 'simpleRestriction') {
          const list = direct.get(c.base) ?? [];
          list.push(name);
          direct.set(c.base, list);
        }
      }
      this.subtypeIndex = direct;
    }
    const out: QName[] = [];
    const seen = new Set<QName>([base]);
    const queue = [base];
    while (queue.length > 0) {
      const cur = queue.shift() as QName;
      for (const s of this.subtypeIndex.get(cur) ?? []) {
        if (seen.has(s)) continue;
        seen.add(s);
        out.push(s);
        queue.push(s);
      }
    }
    return out;
  }

  /** Resolves a `$type` value (local name or Clark name) among the subtypes of `base`. */
  findSubtype(base: QName, wanted: string): QName | null {
    const subs = this.subtypesOf(base);
    if (wanted.startsWith('{')) return wanted === base || subs.includes(wanted) ? wanted : null;
    if (qnLocal(base) === wanted) return base;
    return subs.find((s) => qnLocal(s) === wanted) ?? null;
  }
}
