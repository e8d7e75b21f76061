import { aliasNs } from './xml-namespaces';

/**
 * A namespace-resolved element tree: just what the importer reads. Text content is dropped
 * (nothing in WSDL/XSD structure needs it) to keep big documents cheap.
 */
export interface XmlElement {
  ns: string;
  local: string;
  /** Unqualified attributes by local name; qualified ones as `{ns}local`. Never mutate (shared when empty). */
  attrs: Readonly<Record<string, string>>;
  /** In-scope prefix → namespace, shared with the parent unless this element declares xmlns. */
  scope: Readonly<Record<string, string>>;
  /** Never mutate (leaves share one empty array). */
  children: readonly XmlElement[];
  line: number;
}

/** Resolves a QName-valued attribute (`tns:Foo`, `Foo`) against an element's scope. */
export function resolvePrefixed(el: XmlElement, value: string): { ns: string; local: string } | { error: string } {
  const v = value.trim();
  const i = v.indexOf(':');
  if (i < 0) return { ns: aliasNs(el.scope[''] ?? ''), local: v };
  const prefix = v.slice(0, i);
  const ns = el.scope[prefix];
  if (ns === undefined) return { error: `undeclared prefix "${prefix}" in "${v}"` };
  return { ns: aliasNs(ns), local: v.slice(i + 1) };
}

export function childrenNamed(el: XmlElement, ns: string, local: string): XmlElement[] {
  return el.children.filter((c) => c.ns === ns && c.local === local);
}

export function firstChild(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  return el.children.find((c) => c.ns === ns && c.local === local);
}
