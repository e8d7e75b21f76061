import { XmlSyntaxError } from './xml-syntax-error';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** A prefix → namespace map inheriting `parent`'s bindings (a copy: lookups stay O(1)). */
export function newScope(parent: Readonly<Record<string, string>> | null): Record<string, string> {
  const s = Object.create(null) as Record<string, string>;
  if (parent) for (const k in parent) s[k] = parent[k] as string;
  return s;
}

/** The scope of the root element: only the predeclared `xml` and `xmlns` prefixes. */
export const XML_SCOPE: Readonly<Record<string, string>> = (() => {
  const s = newScope(null);
  s.xml = XML_NS;
  s.xmlns = XMLNS_NS;
  return Object.freeze(s);
})();

export function localOf(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** The namespace of an element or attribute name; unprefixed attributes have none. */
export function resolveName(qname: string, scope: Readonly<Record<string, string>>, isElement: boolean, pos: number): string {
  const colon = qname.indexOf(':');
  if (colon < 0) return isElement ? aliasNs(scope[''] ?? '') : '';
  if (colon === 0 || colon === qname.length - 1 || qname.indexOf(':', colon + 1) >= 0) throw new XmlSyntaxError(`malformed qualified name "${qname}"`, pos);
  const prefix = qname.slice(0, colon);
  const uri = scope[prefix];
  if (uri === undefined) throw new XmlSyntaxError(`unbound namespace prefix: "${prefix}"`, pos);
  return aliasNs(uri);
}

/** Pre-recommendation XML Schema namespaces (1999, 2000/10) still appear in old WSDLs; same vocabulary. */
const OLD_XSD = new Set(['http://www.w3.org/1999/XMLSchema', 'http://www.w3.org/2000/10/XMLSchema']);

export function aliasNs(ns: string): string {
  return OLD_XSD.has(ns) ? 'http://www.w3.org/2001/XMLSchema' : ns;
}
