import type { ComplexType, SchemaSet, SimpleType, TypeDef } from '../wsdl/model';
import { NS, qn, qnLocal, qnNs, type QName } from '../wsdl/qname';
import { builtin } from './builtins';
import { readComplexContent } from './complex-content';
import type { ComplexInfo, ElementInfo, SimpleInfo, TypeInfo } from './schema-info';

export type { AttrInfo, ComplexInfo, ElementInfo, NParticle, SimpleInfo, Slot, TypeInfo } from './schema-info';

const XSD_STRING = qn(NS.xsd, 'string');
const ANY_TYPE = qn(NS.xsd, 'anyType');
const BUILTIN_NS = new Set<string>([NS.xsd, NS.soapenc, NS.soap12enc]);

/**
 * A read-only, cached view of the compiled XSD model shaped for mapping: derivation chains are
 * flattened, group references expanded, element references resolved. Everything is computed
 * lazily and memoised per type object, so recursive schemas cost nothing until used and a
 * facade built on a 1500-operation WSDL only pays for the operations it serves.
 */
export class SchemaView {
  private readonly complexCache = new WeakMap<ComplexType, ComplexInfo>();
  private readonly simpleCache = new WeakMap<SimpleType, SimpleInfo>();
  private readonly builtinSimple = new Map<QName, SimpleInfo>();
  private subtypeIndex: Map<QName, QName[]> | null = null;
  private substitutionIndex: Map<QName, QName[]> | null = null;
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
      abstractHeads: new Map(),
    };
    this.complexCache.set(def, info); // before recursing: types may contain themselves
    readComplexContent(this, def, info);
    return info;
  }

  /** Named complex types derived (transitively, by extension or restriction) from `base`. */
  subtypesOf(base: QName): QName[] {
    this.subtypeIndex ??= parentIndex(Object.entries(this.schema.types), (t) => {
      if (t.kind !== 'complex') return null;
      const c = t.content;
      return c.kind === 'extension' || c.kind === 'restriction' || c.kind === 'simpleExtension' || c.kind === 'simpleRestriction' ? c.base : null;
    });
    return reachable(this.subtypeIndex, base);
  }

  /**
   * The global elements that may stand in for `head`: its substitution group, transitively (a
   * member of a member), in declaration order, abstract ones left out (their own members stay).
   * Empty when `head` heads no group.
   */
  substitutesOf(head: QName): QName[] {
    this.substitutionIndex ??= parentIndex(Object.entries(this.schema.elements), (el) => el.substitutionGroup);
    return reachable(this.substitutionIndex, head).filter((m) => !this.schema.elements[m]?.abstract);
  }

  /** Resolves a `$type` value (local name or Clark name) among the subtypes of `base`. */
  findSubtype(base: QName, wanted: string): QName | null {
    const subs = this.subtypesOf(base);
    if (wanted.startsWith('{')) return wanted === base || subs.includes(wanted) ? wanted : null;
    if (qnLocal(base) === wanted) return base;
    return subs.find((s) => qnLocal(s) === wanted) ?? null;
  }
}

/** parent → the names whose `parentOf` is that parent, in declaration order. */
function parentIndex<T>(entries: [QName, T][], parentOf: (value: T) => QName | null): Map<QName, QName[]> {
  const index = new Map<QName, QName[]>();
  for (const [name, value] of entries) {
    const parent = parentOf(value);
    if (parent === null) continue;
    const list = index.get(parent);
    if (list) list.push(name);
    else index.set(parent, [name]);
  }
  return index;
}

/** Everything below `root` in `index`, breadth first, each once (cycles are harmless). */
function reachable(index: Map<QName, QName[]>, root: QName): QName[] {
  const out: QName[] = [];
  const seen = new Set<QName>([root]);
  for (let i = -1; i < out.length; i++) {
    for (const child of index.get(i < 0 ? root : (out[i] as QName)) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      out.push(child);
    }
  }
  return out;
}
