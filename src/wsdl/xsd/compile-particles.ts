import { NS, qn } from '../qname';
import type { XmlElement } from '../xml/parse-xml';
import { compileComplexType, compileSimpleType } from './compile-types';
import { bool, formOf, maxOccurs, minOccurs, processContents, ref, unsupported, type SchemaCtx } from './schema-context';
import type { AttributeUse, ElementDecl, ElementParticle, Particle, SimpleType, TypeDef } from './schema-model';

const ANY_TYPE = qn(NS.xsd, 'anyType');
const ANY_SIMPLE_TYPE = qn(NS.xsd, 'anySimpleType');
const WSDL_ARRAY_TYPE = `{${NS.wsdl}}arrayType`;
/** Identity constraints only matter to validators; a gateway that maps data can ignore them. */
const IDENTITY = new Set(['unique', 'key', 'keyref']);

/** sequence | choice | all | group ref | element | any → Particle (null for an empty/failed one). */
export function compileParticle(ctx: SchemaCtx, el: XmlElement): Particle | null {
  if (el.ns !== NS.xsd) return null;
  switch (el.local) {
    case 'sequence':
    case 'choice':
    case 'all': {
      const particles: Particle[] = [];
      for (let i = 0; i < el.children.length; i++) {
        const c = el.children[i];
        if (c.ns !== NS.xsd || c.local === 'annotation') continue;
        const p = compileParticle(ctx, c);
        if (p) particles.push(p);
      }
      return { kind: el.local, minOccurs: minOccurs(el), maxOccurs: maxOccurs(el), particles };
    }
    case 'group': {
      const name = ref(ctx, el, el.attrs.ref, 'group');
      return name === null ? null : { kind: 'groupRef', ref: name, minOccurs: minOccurs(el), maxOccurs: maxOccurs(el) };
    }
    case 'element':
      return compileLocalElement(ctx, el);
    case 'any':
      return { kind: 'any', namespace: el.attrs.namespace ?? '##any', processContents: processContents(el.attrs.processContents), minOccurs: minOccurs(el), maxOccurs: maxOccurs(el) };
    default:
      unsupported(ctx, el, `xs:${el.local} as a particle`);
      return null;
  }
}

export function compileLocalElement(ctx: SchemaCtx, el: XmlElement): ElementParticle {
  const min = minOccurs(el);
  const max = maxOccurs(el);
  if (el.attrs.ref !== undefined) {
    const target = ref(ctx, el, el.attrs.ref, 'element') ?? qn('', el.attrs.ref);
    return { kind: 'element', name: target, ref: true, type: null, typeDef: null, form: 'qualified', nillable: false, default: null, fixed: null, minOccurs: min, maxOccurs: max };
  }
  const form = formOf(el.attrs.form, ctx.elementForm);
  const typeDef = inlineType(ctx, el);
  const type = ref(ctx, el, el.attrs.type, 'type');
  return {
    kind: 'element',
    name: qn(form === 'qualified' ? ctx.tns : '', el.attrs.name ?? ''),
    ref: false,
    type: elementTypeName(type, typeDef),
    typeDef: type ? null : typeDef,
    form,
    nillable: bool(el.attrs.nillable),
    default: el.attrs.default ?? null,
    fixed: el.attrs.fixed ?? null,
    minOccurs: min,
    maxOccurs: max,
  };
}

export function compileGlobalElement(ctx: SchemaCtx, el: XmlElement): ElementDecl {
  const typeDef = inlineType(ctx, el);
  const type = ref(ctx, el, el.attrs.type, 'type');
  return {
    name: qn(ctx.tns, el.attrs.name ?? ''),
    type: elementTypeName(type, typeDef),
    typeDef: type ? null : typeDef,
    nillable: bool(el.attrs.nillable),
    abstract: bool(el.attrs.abstract),
    substitutionGroup: ref(ctx, el, el.attrs.substitutionGroup, 'element'),
    default: el.attrs.default ?? null,
    fixed: el.attrs.fixed ?? null,
  };
}

/** An element's inline type (its last xs:complexType or xs:simpleType); other children are reported. */
function inlineType(ctx: SchemaCtx, el: XmlElement): TypeDef | null {
  let typeDef: TypeDef | null = null;
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.ns !== NS.xsd) continue;
    if (c.local === 'complexType') typeDef = compileComplexType(ctx, c, null);
    else if (c.local === 'simpleType') typeDef = compileSimpleType(ctx, c, null);
    else if (IDENTITY.has(c.local)) unsupported(ctx, c, `identity constraint xs:${c.local} (not enforced)`);
    else if (c.local !== 'annotation') unsupported(ctx, c, `xs:${c.local} in element`);
  }
  return typeDef;
}

/** No type and no inline type: the ur-type (XSD 1.0 §3.3.2), unless a substitution group head gives one. */
function elementTypeName(type: string | null, typeDef: TypeDef | null): string | null {
  return type ?? (typeDef ? null : ANY_TYPE);
}

/** An xs:attribute or xs:attributeGroup ref inside a type or group (null for a failed group ref). */
export function compileAttributeUse(ctx: SchemaCtx, el: XmlElement): AttributeUse | null {
  if (el.local === 'attributeGroup') {
    const name = ref(ctx, el, el.attrs.ref, 'attributeGroup');
    return name === null ? null : { kind: 'attributeGroupRef', ref: name };
  }
  const use = el.attrs.use === 'required' || el.attrs.use === 'prohibited' ? el.attrs.use : 'optional';
  const arrayTypeRaw = el.attrs[WSDL_ARRAY_TYPE];
  const arrayType = arrayTypeRaw === undefined ? null : arrayTypeOf(ctx, el, arrayTypeRaw);
  if (el.attrs.ref !== undefined) {
    const name = ref(ctx, el, el.attrs.ref, 'attribute') ?? qn('', el.attrs.ref);
    return { kind: 'attribute', name, ref: true, type: null, typeDef: null, use, form: 'qualified', default: el.attrs.default ?? null, fixed: el.attrs.fixed ?? null, arrayType };
  }
  const form = formOf(el.attrs.form, ctx.attributeForm);
  const { type, typeDef } = attributeType(ctx, el);
  return {
    kind: 'attribute',
    name: qn(form === 'qualified' ? ctx.tns : '', el.attrs.name ?? ''),
    ref: false,
    type,
    typeDef,
    use,
    form,
    default: el.attrs.default ?? null,
    fixed: el.attrs.fixed ?? null,
    arrayType,
  };
}

export function attributeType(ctx: SchemaCtx, el: XmlElement): { type: string | null; typeDef: SimpleType | null } {
  let inline: XmlElement | undefined;
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.local === 'simpleType' && c.ns === NS.xsd) {
      inline = c;
      break;
    }
  }
  const typeDef = inline ? compileSimpleType(ctx, inline, null) : null;
  const type = ref(ctx, el, el.attrs.type, 'type');
  return { type: type ?? (typeDef ? null : ANY_SIMPLE_TYPE), typeDef };
}

/** wsdl:arrayType="tns:Item[]" keeps its dimensions; the item QName is resolved in scope. */
function arrayTypeOf(ctx: SchemaCtx, el: XmlElement, raw: string): string | null {
  const i = raw.indexOf('[');
  const item = i < 0 ? raw : raw.slice(0, i);
  const name = ref(ctx, el, item, 'type');
  return name === null ? null : name + (i < 0 ? '' : raw.slice(i));
}
