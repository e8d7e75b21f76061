import { NS } from '../qname';
import { parseXml, decodeXml } from '../xml/parse-xml';

/**
 * An OASIS XML catalog (the `META-INF/jax-ws-catalog.xml` JAX-WS tools ship beside a WSDL).
 * Only the rewrite forms tools emit are supported; targets are catalog-relative paths.
 */
export interface Catalog {
  /** Catalog-dir-relative path for a location, or undefined if no entry matches. */
  map(location: string): string | undefined;
}

interface Rule {
  exact: boolean;
  from: string;
  to: string;
}

export function parseCatalog(bytes: Uint8Array, file: string): Catalog {
  const root = parseXml(decodeXml(bytes), file);
  const rules: Rule[] = [];
  for (const c of root.children) {
    if (c.ns !== NS.catalog) continue;
    const a = c.attrs;
    if (c.local === 'system' && a.systemId && a.uri) rules.push({ exact: true, from: a.systemId, to: a.uri });
    if (c.local === 'uri' && a.name && a.uri) rules.push({ exact: true, from: a.name, to: a.uri });
    if (c.local === 'rewriteSystem' && a.systemIdStartString && a.rewritePrefix) {
      rules.push({ exact: false, from: a.systemIdStartString, to: a.rewritePrefix });
    }
    if (c.local === 'rewriteURI' && a.uriStartString && a.rewritePrefix) rules.push({ exact: false, from: a.uriStartString, to: a.rewritePrefix });
  }
  // Longest prefix wins, as in the OASIS spec.
  rules.sort((x, y) => y.from.length - x.from.length);
  return {
    map(location) {
      for (const r of rules) {
        if (r.to.startsWith('classpath:') || /^[a-z]+:\/\//i.test(r.to)) continue;
        if (r.exact ? location === r.from : location.startsWith(r.from)) {
          const rest = r.exact ? '' : location.slice(r.from.length);
          const to = r.to.replace(/^\/+/, '');
          return rest ? `${to.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}` : to;
        }
      }
      return undefined;
    },
  };
}
