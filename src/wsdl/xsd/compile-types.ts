import { NS, qn } from '../qname';
import { resolvePrefixed, type XmlElement } from '../xml/parse-xml';
import { compileAttributeUse, compileParticle, compileLocalElement } from './compile-particles';
import { bool, ref, unsupported, where, type SchemaCtx } from './schema-context';
import type { AttributeUse, ComplexType, Facets, Particle, SimpleType, Wildcard } from './schema-model';

/** The first XSD child named `a` (or `b`). */
function firstXsd(el: XmlElement, a: string, b?: string): XmlElement | undefined {
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.ns === NS.xsd && (c.local === a || c.local === b)) return c;
  }
  return undefined;
}

export function compileComplexType(ctx: SchemaCtx, el: XmlElement, name: string | null): ComplexType {
  const ct: ComplexType = {
    kind: 'complex',
    name: name === null ? null : qn(ctx.tns, name),
    abstract: bool(el.attrs.abstract),
    mixed: bool(el.attrs.mixed),
    content: { kind: 'empty' },
    attributes: [],
    anyAttribute: null,
    soapArray: null,
  };
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.ns !== NS.xsd) continue; // foreign annotations (e.g. WCF markers) carry no structure
    if (c.local === 'annotation') continue;
    if (c.local === 'sequence' || c.local === 'choice' || c.local === 'all' || c.local === 'group') {
      const particle = compileParticle(ctx, c);
      if (particle) ct.content = { kind: 'particle', particle };
    } else if (c.local === 'complexContent') {
      if (bool(c.attrs.mixed)) ct.mixed = true;
      compileDerivation(ctx, c, ct, false);
    } else if (c.local === 'simpleContent') {
      compileDerivation(ctx, c, ct, true);
    } else if (!collectAttribute(ctx, c, ct)) {
      unsupported(ctx, c, `xs:${c.local} in complexType`);
    }
  }
  return ct;
}

/** Adds an attribute/attributeGroup/anyAttribute child to `into`; false for anything else. */
export function collectAttribute(ctx: SchemaCtx, c: XmlElement, into: { attributes: AttributeUse[]; anyAttribute: Wildcard | null }): boolean {
  if (c.local === 'attribute' || c.local === 'attributeGroup') {
    const use = compileAttributeUse(ctx, c);
    if (use) into.attributes.push(use);
    return true;
  }
  if (c.local === 'anyAttribute') {
    into.anyAttribute = { namespace: c.attrs.namespace ?? '##any', processContents: c.attrs.processContents === 'lax' || c.attrs.processContents === 'skip' ? c.attrs.processContents : 'strict' };
    return true;
  }
  return false;
}

function compileDerivation(ctx: SchemaCtx, holder: XmlElement, ct: ComplexType, simple: boolean): void {
  const d = firstXsd(holder, 'extension', 'restriction');
  if (!d) {
    unsupported(ctx, holder, `xs:${holder.local} without extension or restriction`);
    return;
  }
  const base = ref(ctx, d, d.attrs.base, 'type') ?? qn(NS.xsd, 'anyType');
  const ext = d.local === 'extension';
  let particle: Particle | null = null;
  const facets: Facets = {};
  for (let i = 0; i < d.children.length; i++) {
    const c = d.children[i];
    if (c.ns !== NS.xsd || c.local === 'annotation') continue;
    if (!simple && (c.local === 'sequence' || c.local === 'choice' || c.local === 'all' || c.local === 'group')) {
      particle = compileParticle(ctx, c);
    } else if (collectAttribute(ctx, c, ct)) {
      continue;
    } else if (simple && !ext && (c.local === 'simpleType' || addFacet(c, facets))) {
      continue; // an inline base simpleType of a simpleContent restriction adds nothing the facets lack
    } else {
      unsupported(ctx, c, `xs:${c.local} in ${holder.local}/${d.local}`);
    }
  }
  ct.content = simple
    ? { kind: ext ? 'simpleExtension' : 'simpleRestriction', base, facets }
    : { kind: ext ? 'extension' : 'restriction', base, particle };
  if (!simple && !ext && base === qn(NS.soapenc, 'Array')) ct.soapArray = soapArrayOf(ctx, d, ct.attributes);
}

/** `<attribute ref="soapenc:arrayType" wsdl:arrayType="tns:Item[]"/>` → item type tns:Item. */
function soapArrayOf(ctx: SchemaCtx, restriction: XmlElement, attributes: AttributeUse[]): ComplexType['soapArray'] {
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i];
    if (a.kind === 'attribute' && a.arrayType) {
      const raw = a.arrayType;
      const i = raw.indexOf('[');
      return { itemType: i < 0 ? raw : raw.slice(0, i), dimensions: i < 0 ? '[]' : raw.slice(i) };
    }
  }
  // Axis-style arrays: a sequence with one element item; the mapper can read the particle.
  const seq = firstXsd(restriction, 'sequence');
  const item = seq && firstXsd(seq, 'element');
  if (item) {
    const p = compileLocalElement(ctx, item);
    return { itemType: p.type ?? qn(NS.xsd, 'anyType'), dimensions: '[]' };
  }
  return { itemType: qn(NS.xsd, 'anyType'), dimensions: '[]' };
}

export function compileSimpleType(ctx: SchemaCtx, el: XmlElement, name: string | null): SimpleType {
  const qname = name === null ? null : qn(ctx.tns, name);
  let body: XmlElement | undefined;
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.ns === NS.xsd && c.local !== 'annotation') {
      body = c;
      break;
    }
  }
  if (body?.local === 'list') {
    const inline = firstXsd(body, 'simpleType');
    return { kind: 'simple', name: qname, variety: 'list', itemType: ref(ctx, body, body.attrs.itemType, 'type'), itemDef: inline ? compileSimpleType(ctx, inline, null) : null, facets: {} };
  }
  if (body?.local === 'union') {
    const members = (body.attrs.memberTypes ?? '').split(/\s+/).filter(Boolean);
    return {
      kind: 'simple',
      name: qname,
      variety: 'union',
      memberTypes: members.map((m) => ref(ctx, body, m, 'type')).filter((q): q is string => q !== null),
      memberDefs: body.children.filter((c) => c.ns === NS.xsd && c.local === 'simpleType').map((c) => compileSimpleType(ctx, c, null)),
      facets: {},
    };
  }
  const facets: Facets = {};
  let baseDef: SimpleType | null = null;
  if (body?.local === 'restriction') {
    for (let j = 0; j < body.children.length; j++) {
      const c = body.children[j];
      if (c.ns !== NS.xsd || c.local === 'annotation') continue;
      if (c.local === 'simpleType') baseDef = compileSimpleType(ctx, c, null);
      else if (!addFacet(c, facets)) unsupported(ctx, c, `facet xs:${c.local}`);
    }
  } else if (body) {
    unsupported(ctx, body, `xs:${body.local} in simpleType`);
  }
  const base = body?.local === 'restriction' ? ref(ctx, body, body.attrs.base, 'type') : null;
  return { kind: 'simple', name: qname, variety: 'atomic', base: base ?? (baseDef ? null : qn(NS.xsd, 'anySimpleType')), baseDef, facets };
}

const NUMERIC_FACETS = new Set(['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits']);
const STRING_FACETS = new Set(['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive', 'whiteSpace']);

export function addFacet(c: XmlElement, facets: Facets): boolean {
  const value = c.attrs.value ?? '';
  if (c.local === 'enumeration') (facets.enumeration ??= []).push(value);
  else if (c.local === 'pattern') (facets.pattern ??= []).push(value);
  else if (NUMERIC_FACETS.has(c.local)) (facets as Record<string, number>)[c.local] = Number.parseInt(value, 10);
  else if (STRING_FACETS.has(c.local)) (facets as Record<string, string>)[c.local] = value;
  else return false;
  return true;
}

/** For messages about values: `tns:Foo` as the author wrote it, resolved for the reader. */
export function describeRef(el: XmlElement, value: string): string {
  const r = resolvePrefixed(el, value);
  return 'error' in r ? value : `${value} ({${r.ns}}${r.local})`;
}

export { where };
