import { isKnownNamespace, isXsdBuiltinType } from '../builtin/known-namespaces';
import { NS, qnLocal, qnNs, type QName } from '../qname';
import { whereOf, type PendingRef, type RefKind, type SchemaSink } from './schema-context';

/** True when `name` of `kind` exists in the set, is an XSD built-in, or lives in a built-in/opaque namespace. */
export function refExists(sink: SchemaSink, kind: RefKind, name: QName): boolean {
  const { set } = sink;
  const found =
    kind === 'type' ? name in set.types : kind === 'element' ? name in set.elements : kind === 'group' ? name in set.groups : kind === 'attributeGroup' ? name in set.attributeGroups : name in set.attributes;
  if (found) return true;
  const ns = qnNs(name);
  if (ns === NS.xsd) return kind !== 'type' || isXsdBuiltinType(qnLocal(name));
  return isKnownNamespace(ns) || sink.opaqueNamespaces.has(ns);
}

/**
 * Every dangling reference becomes one `unsupported` entry (deduplicated per name and place).
 * Returns the first reference that means a whole schema is missing, which the caller refuses:
 * one into a namespace whose xs:import points at a file that does not exist (and no other
 * schema defines it), or a SOAP-encoding type used by a schema that never xs:imports that
 * namespace (XSD src-resolve.4.2; toolkits rely on that import to pull the encoding schema in).
 * References into namespaces never imported at all stay unsupported entries: trimmed real-world
 * WSDLs (WCF exports cut down for tests) do that and still serve their operations.
 */
export function checkSchemaReferences(sink: SchemaSink): PendingRef | undefined {
  const { namespaces } = sink.set;
  // Only a reference that does not resolve can be fatal; most resolve, so test that first.
  const missing = sink.missingNamespaces;
  let fatal: PendingRef | undefined;
  const seen = new Set<string>();
  for (let i = 0; i < sink.refs.length; i++) {
    const r = sink.refs[i];
    if (refExists(sink, r.kind, r.name)) continue;
    if (!fatal && missing.size > 0) {
      const ns = qnNs(r.name);
      if (!(ns in namespaces) && missing.has(ns)) fatal = r;
    }
    const where = whereOf(r);
    const key = `${r.kind} ${r.name} ${where}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sink.unsupported.push({ construct: `unresolved ${r.kind} reference ${r.name}`, where });
  }
  fatal ??= sink.unimported.find((r) => SOAP_ENCODING.has(qnNs(r.name)) && !(qnNs(r.name) in namespaces));
  sink.refs.length = 0;
  return fatal;
}

const SOAP_ENCODING = new Set<string>([NS.soapenc, NS.soap12enc]);
