import { isKnownLocation } from './builtin/known-namespaces';
import { MISSING_IMPORTS_NOTE, WsdlImportError } from './errors';
import { cachedTree } from './load/tree-cache';
import { findReferences } from './load/references';
import type { WsdlBundle } from './load/types';
import { MODEL_FORMAT_VERSION, type Message, type Unsupported, type WsdlModel } from './model';
import { flattenOperations, linkWsdl11, modelLists } from './parse/wsdl11-link';
import { readDefinitions, type Wsdl11Parts } from './parse/wsdl11-read';
import { linkWsdl20 } from './parse/wsdl20-link';
import { readDescription, type Wsdl20Parts } from './parse/wsdl20-read';
import { qnLocal, NS, qnNs } from './qname';
import { parseXml, type XmlElement } from './xml/parse-xml';
import { checkSchemaReferences, refExists } from './xsd/check-references';
import { compileSchema, schemaOf, type SchemaResolver } from './xsd/compile-schema';
import { whereOf, type SchemaSink } from './xsd/schema-context';

interface Located {
  file: string;
  el: XmlElement;
}

/**
 * Compiles a loaded bundle into the JSON-serialisable model.
 *
 * @example const model = compileModel(await loadBundle('wsdl/Calculator.wsdl'));
 *          model.operations.map((o) => `${o.port} ${o.name}`);
 *
 * WSDL 1.1 and WSDL 2.0 (`<description>`, document/literal SOAP bindings) give the same model;
 * a WSDL 2.0 interface is a portType and its message references become synthesized messages.
 *
 * Throws WsdlImportError when the description cannot be served (a dangling message, binding,
 * portType/interface reference, a part whose element/type exists nowhere, a document that is
 * neither WSDL 1.1 nor WSDL 2.0).
 * Constructs that are merely not understood go to `model.unsupported`.
 */
export function compileModel(bundle: WsdlBundle): WsdlModel {
  const trees = new Map<string, XmlElement>();
  const tree = (path: string): XmlElement => {
    let t = trees.get(path) ?? cachedTree(bundle, path);
    if (!t) {
      const doc = bundle.documents.get(path);
      if (!doc) throw new WsdlImportError(path, 'document is not in the bundle');
      t = parseXml(doc.text, path);
    }
    trees.set(path, t);
    return t;
  };
  const unsupported: Unsupported[] = [];
  const sink: SchemaSink = { set: { namespaces: {}, elements: {}, types: {}, groups: {}, attributeGroups: {}, attributes: {} }, unsupported, refs: [], opaqueNamespaces: new Set(), unimported: [], missingNamespaces: new Set() };

  // 1. Classify documents: WSDL 1.1 definitions, WSDL 2.0 descriptions, schemas (standalone,
  //    inline, or inside a MEX envelope). The entry document decides the WSDL version.
  const defs: Located[] = [];
  const descriptions: Located[] = [];
  const schemas: Located[] = [];
  for (const doc of bundle.documents.values()) {
    const root = tree(doc.path);
    if (root.ns === NS.wsdl && root.local === 'definitions') defs.push({ file: doc.path, el: root });
    else if (root.ns === NS.xsd && root.local === 'schema') schemas.push({ file: doc.path, el: root });
    else if (root.ns === NS.wsdl20 && root.local === 'description') descriptions.push({ file: doc.path, el: root });
    else if (!unwrapMetadata(doc.path, root, defs, schemas)) throw new WsdlImportError(doc.path, notWsdl(root));
  }
  const entryRoot = tree(bundle.entry);
  const wsdl20 = descriptions.some((d) => d.file === bundle.entry);
  if (!wsdl20 && !defs.some((d) => d.file === bundle.entry)) throw new WsdlImportError(bundle.entry, notWsdl(entryRoot));
  // A bundle mixing both versions (an import across them) is not a valid description of either.
  for (const other of wsdl20 ? defs : descriptions) {
    unsupported.push({ construct: `WSDL ${wsdl20 ? '1.1 <definitions>' : '2.0 <description>'} in a WSDL ${wsdl20 ? '2.0' : '1.1'} bundle (ignored)`, where: `${other.file}:${other.el.line}` });
  }
  const wsdlDocs = wsdl20 ? descriptions : defs;
  const wsdlNs = wsdl20 ? NS.wsdl20 : NS.wsdl;

  // 2. Schemas. Documents reached only through xs:include/redefine are compiled in their includer's namespace.
  const included = new Set<string>();
  for (const doc of bundle.documents.values()) {
    for (const r of findReferences(tree(doc.path))) {
      if (r.kind !== 'xsd-include' && r.kind !== 'xsd-redefine') continue;
      const t = doc.imports.find((i) => i.location.trim() === r.location.trim());
      if (t) included.add(t.target);
    }
  }
  const resolver: SchemaResolver = {
    target(file, location, el, kind, namespace) {
      const imp = bundle.documents.get(file)?.imports.find((i) => i.location.trim() === location);
      if (imp) return { file: imp.target, root: tree(imp.target) };
      const where = `${file}:${el.line} <${el.local} schemaLocation="${location}">`;
      if (bundle.skipped.some((s) => s.from === file && s.location === location)) {
        sink.opaqueNamespaces.add(namespace);
        unsupported.push({ construct: `remote schema not loaded (references into namespace "${namespace}" are opaque)`, where });
      } else if (!isKnownLocation(location)) {
        unsupported.push({ construct: `missing ${kind}: "${location}" not found`, where });
        sink.missingNamespaces.add(namespace);
      }
      return null;
    },
  };
  const done = new Set<string>();
  for (const d of wsdlDocs) {
    for (const types of d.el.children.filter((c) => c.ns === wsdlNs && c.local === 'types')) {
      for (const s of types.children) if (schemaOf(s)) compileSchema(sink, d.file, s, resolver, done);
    }
  }
  for (const s of schemas) if (!included.has(s.file) || s.el.attrs.targetNamespace !== undefined) compileSchema(sink, s.file, s.el, resolver, done);
  const missing = bundle.missing.map((m) => `"${m.location}" (from ${m.from})`);
  const hint = missing.length > 0 ? `; note: ${MISSING_IMPORTS_NOTE}: ${missing.join(', ')}` : '';
  const fatal = checkSchemaReferences(sink);
  if (fatal) {
    const ns = qnNs(fatal.name);
    const why = sink.missingNamespaces.has(ns) ? `whose schema import was not found` : `but its schema never imports namespace "${ns}"`;
    throw new WsdlImportError(fatal.file, `line ${whereOf(fatal).slice(fatal.file.length + 1)} references ${fatal.kind} "${fatal.name}" ${why}${hint}`);
  }

  // 3. WSDL components, cross-checked, then flattened per port.
  const tns = entryRoot.attrs.targetNamespace ?? '';
  const hasSchemaFor = (ns: string): boolean => ns in sink.set.namespaces;
  let parts: Wsdl11Parts = { messages: new Map(), portTypes: new Map(), bindings: new Map(), services: [] };
  let safe = new Set<string>();
  if (wsdl20) {
    const read: Wsdl20Parts = { interfaces: new Map(), bindings: new Map(), services: [] };
    for (const d of descriptions) readDescription(d.file, d.el, read, unsupported);
    ({ parts, safe } = linkWsdl20(read, { elementExists: (name) => refExists(sink, 'element', name), hasSchemaFor, hint, unsupported }));
  } else {
    for (const d of defs) readDefinitions(d.file, d.el, parts, unsupported);
    linkWsdl11(parts, { partExists: (kind, name) => refExists(sink, kind, name), hasSchemaFor, hint, unsupported });
  }
  reportSubstitutionGroups(sink.set.elements, parts.messages.values(), unsupported);
  const operations = flattenOperations(parts, tns, unsupported);
  if (wsdl20) for (const o of operations) o.safe = safe.has(`${o.binding}|${o.name}`);
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    wsdlVersion: wsdl20 ? '2.0' : '1.1',
    entry: bundle.entry,
    targetNamespace: tns,
    ...modelLists(parts),
    operations,
    schema: sink.set,
    unsupported,
  };
}

/**
 * The REST facade offers a substitution group's members wherever a particle references its head,
 * but a message part whose element is itself a head is mapped as the head only; an import names
 * each such part (once, with a few of the members) rather than dropping the members silently.
 */
function reportSubstitutionGroups(elements: Record<string, { substitutionGroup: string | null }>, messages: Iterable<{ value: Message }>, unsupported: Unsupported[]): void {
  const members = new Map<string, string[]>();
  for (const [name, el] of Object.entries(elements)) {
    if (!el.substitutionGroup) continue;
    const list = members.get(el.substitutionGroup) ?? [];
    list.push(qnLocal(name));
    members.set(el.substitutionGroup, list);
  }
  if (members.size === 0) return;
  for (const { value: m } of messages) {
    for (const p of m.parts) {
      const list = p.element === null ? undefined : members.get(p.element);
      if (!list || p.element === null) continue;
      const shown = list.slice(0, 5).join(', ') + (list.length > 5 ? `, … (${list.length})` : '');
      unsupported.push({ construct: 'xs:substitutionGroup head as a message part (the REST facade maps the head element only there)', where: `message ${qnLocal(m.name)} part ${p.name}: head ${qnLocal(p.element)}: members ${shown}` });
    }
  }
}

function notWsdl(root: XmlElement): string {
  return `root element <${root.local}> in namespace "${root.ns}" is not a WSDL 1.1 <definitions> (namespace ${NS.wsdl}) or a WSDL 2.0 <description> (namespace ${NS.wsdl20})`;
}

/**
 * WCF and other stacks hand out WS-MetadataExchange responses (a SOAP envelope around
 * <mex:Metadata>) instead of a plain WSDL; their sections are a WSDL plus the schemas it imports
 * by namespace. Returns false when `root` is not such a wrapper.
 */
function unwrapMetadata(file: string, root: XmlElement, defs: Located[], schemas: Located[]): boolean {
  if (root.ns !== NS.mex && root.ns !== NS.soapenv && root.ns !== NS.soap12env) return false;
  let found = false;
  const visit = (el: XmlElement, depth: number): void => {
    if (depth > 6) return;
    for (const c of el.children) {
      if (c.ns === NS.wsdl && c.local === 'definitions') {
        defs.push({ file, el: c });
        found = true;
      } else if (c.ns === NS.xsd && c.local === 'schema') {
        schemas.push({ file, el: c });
        found = true;
      } else visit(c, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}
