import { isKnownNamespace, isXsdBuiltinType } from '../builtin/known-namespaces';
import { NS, qnLocal, qnNs, type QName } from '../qname';
import type { RefKind, SchemaSink } from './schema-context';

/** True when `name` of `kind` exists in the set, is an XSD built-in, or lives in a built-in/opaque namespace. */
export function refExists(sink: SchemaSink, kind: RefKind, name: QName): boolean {
  const ns = qnNs(name);
  const { set } = sink;
  const found =
    kind === 'type' ? name in set.types : kind === 'element' ? name in set.elements : kind === 'group' ? name in set.groups : kind === 'attributeGroup' ? name in set.attributeGroups : name in set.attributes;
  if (found) return true;
  if (ns === NS.xsd) return kind !== 'type' || isXsdBuiltinType(qnLocal(name));
  return isKnownNamespace(ns) || sink.opaqueNamespaces.has(ns);
}

/** Every dangling reference becomes one `unsupported` entry (deduplicated per name and place). */
export function checkSchemaReferences(sink: SchemaSink): void {
  const seen = new Set<string>();
  for (const r of sink.refs) {
    if (refExists(sink, r.kind, r.name)) continue;
    const key = `${r.kind} ${r.name} ${r.where}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sink.unsupported.push({ construct: `unresolved ${r.kind} reference ${r.name}`, where: r.where });
  }
  sink.refs.length = 0;
}
