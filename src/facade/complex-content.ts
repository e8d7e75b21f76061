import type { AttributeUse, ComplexType, Particle, SchemaSet } from '../wsdl/model';
import { NS, qn, qnLocal, qnNs, type QName } from '../wsdl/qname';
import type { AttrInfo, ComplexInfo, NParticle, Slot } from './schema-info';
import type { SchemaView } from './schema-view';

const ANY_TYPE = qn(NS.xsd, 'anyType');

/**
 * Fills in the attributes and content of `info`, the view of `def`: the derivation chain
 * flattened (attributes merged base-first, extensions appended to their base's content), group
 * references expanded, element references resolved, and the JSON slots of the children. `info`
 * is already cached by the view, so a type that contains itself finds it instead of recursing.
 */
export function readComplexContent(view: SchemaView, def: ComplexType, info: ComplexInfo): void {
  const attrs = new Map<QName, AttrInfo>();
  const chain = derivationChain(view.schema, def);
  for (const t of chain) {
    for (const a of attributeUses(view, t.attributes, 0)) {
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
    if (c.kind === 'particle') parts.splice(0, parts.length, ...normalize(view, c.particle, 0));
    else if (c.kind === 'extension') {
      if (c.particle) parts.push(...normalize(view, c.particle, 0));
    } else if (c.kind === 'restriction') {
      parts.splice(0, parts.length, ...(c.particle ? normalize(view, c.particle, 0) : []));
    } else if (c.kind === 'simpleExtension' || c.kind === 'simpleRestriction') {
      const base = view.schema.types[c.base];
      const baseSimple = base && base.kind === 'complex' ? view.complex(base).simpleContent : view.simpleByName(c.base);
      const b = baseSimple ?? view.simpleByName(null);
      info.simpleContent = c.kind === 'simpleRestriction' && Object.keys(c.facets).length > 0 ? { ...b, steps: [c.facets, ...b.steps], enumeration: c.facets.enumeration ?? b.enumeration } : b;
    }
  }
  if (def.soapArray) {
    const item = def.soapArray.itemType;
    const dims = def.soapArray.dimensions.replace(/^\[[^\]]*\]/, '');
    // Arrays of arrays (`xsd:string[][]`) keep their inner dimension as an untyped item.
    info.arrayItem = dims === '' ? { typeName: item, type: () => view.typeByName(item) } : { typeName: ANY_TYPE, type: () => view.typeByName(ANY_TYPE) };
    return;
  }
  if (parts.length === 1) info.particle = parts[0] ?? null;
  else if (parts.length > 1) info.particle = { kind: 'sequence', min: 1, max: 1, items: parts };
  if (info.particle) collectSlots(info.particle, false, info);
}

/** Base-most first. Stops at built-ins, unknown bases and cycles. */
function derivationChain(schema: SchemaSet, def: ComplexType): ComplexType[] {
  const chain: ComplexType[] = [def];
  const seen = new Set<ComplexType>([def]);
  let cur = def;
  for (;;) {
    const c = cur.content;
    if (c.kind !== 'extension' && c.kind !== 'restriction' && c.kind !== 'simpleExtension' && c.kind !== 'simpleRestriction') break;
    const base = schema.types[c.base];
    if (!base || base.kind !== 'complex' || seen.has(base)) break;
    seen.add(base);
    chain.unshift(base);
    cur = base;
  }
  return chain;
}

function attributeUses(view: SchemaView, uses: AttributeUse[], depth: number): (AttrInfo | 'prohibited')[] {
  const out: (AttrInfo | 'prohibited')[] = [];
  if (depth > 32) return out;
  for (const u of uses) {
    if (u.kind === 'attributeGroupRef') {
      const g = view.schema.attributeGroups[u.ref];
      if (g) out.push(...attributeUses(view, g.attributes, depth + 1));
      continue;
    }
    if (u.use === 'prohibited') {
      out.push('prohibited');
      continue;
    }
    // xml:lang and friends, soapenc:arrayType: not data.
    if (qnNs(u.name) === 'http://www.w3.org/XML/1998/namespace' || qnNs(u.name) === NS.soapenc) continue;
    const global = u.ref ? view.schema.attributes[u.name] : undefined;
    const simple = u.typeDef ? view.simple(u.typeDef) : global?.typeDef ? view.simple(global.typeDef) : view.simpleByName(u.type ?? global?.type ?? null);
    out.push({ name: u.name, key: `@${qnLocal(u.name)}`, required: u.use === 'required', default: u.default, fixed: u.fixed, simple });
  }
  return out;
}

/** Particle → normalized particles (group refs expanded; empty groups dropped). */
function normalize(view: SchemaView, p: Particle, depth: number): NParticle[] {
  if (depth > 64 || p.maxOccurs === 0) return [];
  switch (p.kind) {
    case 'element': {
      if (p.ref) {
        const g = view.globalElement(p.name, p.minOccurs, p.maxOccurs);
        if (g) {
          const group = substitutionGroup(view, p.name, p.minOccurs, p.maxOccurs);
          if (group) return [group];
        }
        return [{ kind: 'element', min: p.minOccurs, max: p.maxOccurs, el: g ?? view.element({ ...p, type: ANY_TYPE }, p.minOccurs, p.maxOccurs) }];
      }
      return [{ kind: 'element', min: p.minOccurs, max: p.maxOccurs, el: view.element(p, p.minOccurs, p.maxOccurs) }];
    }
    case 'any':
      return [{ kind: 'any', min: p.minOccurs, max: p.maxOccurs, namespace: p.namespace, processContents: p.processContents }];
    case 'groupRef': {
      const g = view.schema.groups[p.ref];
      if (!g?.particle) return [];
      const inner = normalize(view, g.particle, depth + 1);
      if (inner.length === 1 && p.minOccurs === 1 && p.maxOccurs === 1) return inner;
      return [{ kind: 'sequence', min: p.minOccurs, max: p.maxOccurs, items: inner }];
    }
    default: {
      const items = p.particles.flatMap((c) => normalize(view, c, depth + 1));
      if (items.length === 0) return [];
      return [{ kind: p.kind, min: p.minOccurs, max: p.maxOccurs, items }];
    }
  }
}

/**
 * A reference to a substitution group head is a choice among the head (unless abstract) and the
 * members of its group (transitively, abstract ones left out), each written under its own name
 * and type. Null when `head` heads no group and is not abstract: then it is a plain element.
 */
function substitutionGroup(view: SchemaView, head: QName, min: number, max: number): NParticle | null {
  const decl = view.schema.elements[head];
  const members = view.substitutesOf(head);
  if (!decl || (members.length === 0 && !decl.abstract)) return null;
  const names = decl.abstract ? members : [head, ...members];
  const items: NParticle[] = [];
  for (const n of names) {
    const el = view.globalElement(n, 1, 1);
    if (el) items.push({ kind: 'element', min: 1, max: 1, el });
  }
  return { kind: 'choice', min, max, items, head: { name: head, abstract: decl.abstract } };
}

function collectSlots(p: NParticle, repeated: boolean, info: ComplexInfo): void {
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
    if (p.kind === 'choice' && p.head?.abstract) info.abstractHeads.set(qnLocal(p.head.name), p.items.flatMap((c) => (c.kind === 'element' ? [c.el.key] : [])));
    for (const c of p.items) collectSlots(c, rep, info);
  }
}
