import { NS, qn } from '../qname';
import type { XmlElement } from '../xml/parse-xml';
import { compileGlobalElement, compileParticle, attributeType } from './compile-particles';
import { collectAttribute, compileComplexType, compileSimpleType } from './compile-types';
import { formOf, unsupported, where, type SchemaCtx, type SchemaSink } from './schema-context';
import type { AttributeUse, Particle, Wildcard } from './schema-model';

/** Finds the parsed root of the document an include/redefine/import location points to. */
export interface SchemaResolver {
  /** null when the location was not loaded (missing or skipped); the reason is recorded by the caller. */
  target(file: string, location: string, el: XmlElement, kind: 'import' | 'include' | 'redefine', namespace: string): { file: string; root: XmlElement } | null;
}

/**
 * Compiles one xs:schema element into the shared sink. Includes and redefines are compiled in
 * the including schema's namespace (chameleon includes adopt it); each (document, namespace)
 * pair is compiled once, which makes include cycles harmless.
 */
export function compileSchema(sink: SchemaSink, file: string, schema: XmlElement, resolver: SchemaResolver, done: Set<string>, asNamespace?: string): void {
  const declared = schema.attrs.targetNamespace;
  const tns = declared ?? asNamespace ?? '';
  const key = `${file}#${schema.line}@${tns}`;
  if (done.has(key)) return;
  done.add(key);
  const ctx: SchemaCtx = {
    sink,
    file,
    tns,
    chameleon: declared === undefined && asNamespace !== undefined && asNamespace !== '',
    elementForm: formOf(schema.attrs.elementFormDefault, 'unqualified'),
    attributeForm: formOf(schema.attrs.attributeFormDefault, 'unqualified'),
    visible: new Set([tns, NS.xsd, 'http://www.w3.org/XML/1998/namespace', ...schema.children.filter((c) => c.ns === NS.xsd && c.local === 'import').map((c) => c.attrs.namespace ?? '')]),
  };
  sink.set.namespaces[tns] ??= { elementFormDefault: ctx.elementForm, attributeFormDefault: ctx.attributeForm };
  const { set } = sink;
  for (let i = 0; i < schema.children.length; i++) {
    const c = schema.children[i];
    if (c.ns !== NS.xsd) continue;
    const name = c.attrs.name;
    switch (c.local) {
      case 'element':
        if (name) set.elements[qn(tns, name)] = compileGlobalElement(ctx, c);
        break;
      case 'complexType':
        if (name) set.types[qn(tns, name)] = compileComplexType(ctx, c, name);
        break;
      case 'simpleType':
        if (name) set.types[qn(tns, name)] = compileSimpleType(ctx, c, name);
        break;
      case 'group':
        if (name) set.groups[qn(tns, name)] = { name: qn(tns, name), particle: groupParticle(ctx, c) };
        break;
      case 'attributeGroup':
        if (name) set.attributeGroups[qn(tns, name)] = attributeGroup(ctx, c);
        break;
      case 'attribute':
        if (name) set.attributes[qn(tns, name)] = { name: qn(tns, name), ...attributeType(ctx, c) };
        break;
      case 'import': {
        const loc = c.attrs.schemaLocation?.trim();
        if (!loc) break; // by namespace only: that namespace's schemas are elsewhere in the bundle
        const t = resolver.target(file, loc, c, 'import', c.attrs.namespace ?? '');
        const inner = t && schemaOf(t.root);
        if (t && inner) compileSchema(sink, t.file, inner, resolver, done);
        break;
      }
      case 'include':
      case 'redefine': {
        const loc = c.attrs.schemaLocation?.trim() ?? '';
        const t = loc ? resolver.target(file, loc, c, c.local, tns) : null;
        const inner = t && schemaOf(t.root);
        if (t && inner) {
          if (c.local === 'redefine') keepOriginals(ctx, c);
          compileSchema(sink, t.file, inner, resolver, done, tns);
          if (c.local === 'redefine') compileRedefinitions(ctx, c);
        }
        break;
      }
      case 'annotation':
      case 'notation':
        break;
      default:
        unsupported(ctx, c, `top-level xs:${c.local}`);
    }
  }
}

export function schemaOf(root: XmlElement): XmlElement | null {
  return root.ns === NS.xsd && root.local === 'schema' ? root : null;
}

function groupParticle(ctx: SchemaCtx, group: XmlElement): Particle | null {
  for (let i = 0; i < group.children.length; i++) {
    const c = group.children[i];
    if (c.ns === NS.xsd && c.local !== 'annotation') return compileParticle(ctx, c);
  }
  return null;
}

function attributeGroup(ctx: SchemaCtx, el: XmlElement): { name: string; attributes: AttributeUse[]; anyAttribute: Wildcard | null } {
  const out = { name: qn(ctx.tns, el.attrs.name ?? ''), attributes: [] as AttributeUse[], anyAttribute: null as Wildcard | null };
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.ns !== NS.xsd || c.local === 'annotation') continue;
    if (!collectAttribute(ctx, c, out)) unsupported(ctx, c, `xs:${c.local} in attributeGroup`);
  }
  return out;
}

/**
 * xs:redefine replaces components of the included schema by versions derived from themselves.
 * We compile the redefinitions over the originals; a redefinition's self-reference then points at
 * the new definition, so it is flagged as unsupported rather than silently mis-modelled.
 */
function keepOriginals(ctx: SchemaCtx, redefine: XmlElement): void {
  ctx.sink.unsupported.push({ construct: 'xs:redefine (redefined components replace the originals; derivation from the original is not modelled)', where: where(ctx, redefine) });
}

function compileRedefinitions(ctx: SchemaCtx, redefine: XmlElement): void {
  const { set } = ctx.sink;
  for (let i = 0; i < redefine.children.length; i++) {
    const c = redefine.children[i];
    const name = c.attrs.name;
    if (c.ns !== NS.xsd || !name) continue;
    if (c.local === 'complexType') set.types[qn(ctx.tns, name)] = compileComplexType(ctx, c, name);
    else if (c.local === 'simpleType') set.types[qn(ctx.tns, name)] = compileSimpleType(ctx, c, name);
    else if (c.local === 'group') set.groups[qn(ctx.tns, name)] = { name: qn(ctx.tns, name), particle: groupParticle(ctx, c) };
    else if (c.local === 'attributeGroup') set.attributeGroups[qn(ctx.tns, name)] = attributeGroup(ctx, c);
  }
}
