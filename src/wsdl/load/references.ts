import { NS } from '../qname';
import type { XmlElement } from '../xml/parse-xml';

export type ReferenceKind = 'wsdl-import' | 'wsdl-include' | 'xsd-import' | 'xsd-include' | 'xsd-redefine';

export interface Reference {
  kind: ReferenceKind;
  /** The location exactly as written in the document (schemaLocation or location). */
  location: string;
  namespace: string | undefined;
  element: XmlElement;
}

/**
 * Every outgoing document reference in a parsed WSDL/XSD, wherever its schemas sit (inside
 * <types>, at the root, or inside a WS-MetadataExchange envelope). References without a
 * location (xsd:import by namespace only) are returned too: the compiler resolves them against
 * the bundle's other schemas.
 */
export function findReferences(root: XmlElement): Reference[] {
  const cached = found.get(root);
  if (cached) return cached;
  const out: Reference[] = [];
  const visit = (el: XmlElement): void => {
    if (el.ns === NS.xsd && el.local === 'schema') {
      for (const c of el.children) {
        if (c.ns !== NS.xsd) continue;
        const kind = c.local === 'import' ? 'xsd-import' : c.local === 'include' ? 'xsd-include' : c.local === 'redefine' ? 'xsd-redefine' : undefined;
        if (kind) out.push({ kind, location: c.attrs.schemaLocation ?? '', namespace: c.attrs.namespace, element: c });
      }
      return; // nothing below a schema's top level references documents
    }
    if ((el.ns === NS.wsdl || el.ns === NS.wsdl20) && el.local === 'import') {
      out.push({ kind: 'wsdl-import', location: el.attrs.location ?? '', namespace: el.attrs.namespace, element: el });
    } else if (el.ns === NS.wsdl20 && el.local === 'include') {
      out.push({ kind: 'wsdl-include', location: el.attrs.location ?? '', namespace: undefined, element: el });
    } else if (((el.ns === NS.wsdl && SKIP.has(el.local)) || (el.ns === NS.wsdl20 && SKIP20.has(el.local))) && el !== root) {
      return; // messages, portTypes/interfaces, bindings and services (most of a big WSDL) hold no imports
    }
    for (const c of el.children) visit(c);
  };
  visit(root);
  found.set(root, out);
  return out;
}

const SKIP = new Set(['message', 'portType', 'binding', 'service']);
const SKIP20 = new Set(['interface', 'binding', 'service']);
/** The loader and the compiler both ask for a document's references; trees are immutable. */
const found = new WeakMap<XmlElement, Reference[]>();

export function isAbsoluteUrl(location: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location);
}
