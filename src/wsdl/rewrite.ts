import type { BundleDocument, WsdlBundle } from './load/types';
import { NS } from './qname';
import { xmlDeclEncoding } from './xml/decode-xml';

export interface RewriteOptions {
  /**
   * The bridge URL every service address becomes, e.g. http://localhost:8280/calculator/v1.
   * Without it addresses stay as written (only import locations change, as when copying a bundle).
   */
  baseUrl?: string;
  /**
   * What `http:address` (HTTP GET/POST bindings) becomes instead of `baseUrl`: `${baseUrl}/` when
   * the bundle's http:operation locations are relative (see httpLocationsRelative).
   */
  httpBaseUrl?: string;
  /**
   * URL at which the bridge serves a bundle document (by bundle path), given the location the
   * document wrote; answering that location unchanged leaves the attribute's bytes as they are.
   */
  docUrl: (path: string, location: string) => string;
}

/**
 * A stable small number for every non-entry document (sorted by path, from 0), for `?xsd=N` /
 * `?wsdl=N` URLs. The entry document has no index: it is served at `?wsdl`.
 */
export function bundleDocIndex(bundle: WsdlBundle): Map<string, number> {
  const paths = [...bundle.documents.keys()].filter((p) => p !== bundle.entry).sort();
  return new Map(paths.map((p, i) => [p, i]));
}

const ADDRESS_NS = new Set<string>([NS.soap11, NS.soap12, NS.http]);

/** Which attribute of which element holds a rewritable location, or undefined. */
function locationAttr(ns: string, local: string): { attr: string; kind: 'address' | 'import' } | undefined {
  if (local === 'address' && ADDRESS_NS.has(ns)) return { attr: 'location', kind: 'address' };
  if (local === 'endpoint' && ns === NS.wsdl20) return { attr: 'address', kind: 'address' };
  if ((ns === NS.wsdl && local === 'import') || (ns === NS.wsdl20 && (local === 'import' || local === 'include'))) return { attr: 'location', kind: 'import' };
  if (ns === NS.xsd && (local === 'import' || local === 'include' || local === 'redefine')) return { attr: 'schemaLocation', kind: 'import' };
  return undefined;
}

/**
 * Returns `doc.text` with every soap/soap12/http `address/@location` (WSDL 2.0: every
 * `endpoint/@address`) set to `baseUrl` and every import/include location the bundle resolved
 * set to `docUrl(target)`, and a non-UTF-8 `encoding` in the XML declaration to UTF-8 (the text
 * goes out as UTF-8). Everything else stays
 * byte-identical, so this edits attribute values in place rather than re-serialising XML: a small
 * tag scanner (comments, CDATA, PIs skipped) tracks namespace declarations per element, so only
 * those attributes on those elements in those namespaces are touched, whatever their prefixes.
 *
 * @example rewriteDocument(doc, bundle, { baseUrl: 'http://gw:8280/calc/v1', docUrl: (p) => `http://gw:8280/calc/v1?xsd=${index.get(p)}` })
 */
export function rewriteDocument(doc: BundleDocument, bundle: WsdlBundle, opts: RewriteOptions): string {
  const text = doc.text;
  const edits: { start: number; end: number; value: string }[] = [];
  // `text` was decoded (BOM or declaration) and goes out as UTF-8: a declaration still saying
  // ISO-8859-1 or UTF-16 would make every reader of those bytes, our own loader included, decode
  // them wrongly (`café` read back as `cafÃ©`, UTF-16 as garbage).
  const declared = xmlDeclEncoding(text);
  if (declared && !/^utf-?8$/i.test(declared.label)) edits.push({ start: declared.at, end: declared.at + declared.label.length, value: 'UTF-8' });
  const scopes: Record<string, string>[] = [{}];
  let i = 0;
  while ((i = text.indexOf('<', i)) >= 0) {
    if (text.startsWith('<!--', i)) i = skipTo(text, i, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(text, i, ']]>');
    else if (text.startsWith('<?', i)) i = skipTo(text, i, '?>');
    else if (text.startsWith('<!', i)) i = skipTo(text, i, '>');
    else if (text.startsWith('</', i)) {
      scopes.pop();
      i = skipTo(text, i, '>');
    } else i = startTag(text, i, scopes, (ns, local, attrs) => {
      const which = locationAttr(ns, local);
      const a = which && attrs.find((x) => x.name === which.attr);
      if (!which || !a) return;
      let url: string | undefined;
      if (which.kind === 'address') url = ns === NS.http ? (opts.httpBaseUrl ?? opts.baseUrl) : opts.baseUrl;
      else {
        const location = decodeEntities(a.value);
        const target = doc.imports.find((imp) => imp.location === location)?.target;
        if (target !== undefined && bundle.documents.has(target)) url = opts.docUrl(target, location);
        if (url === location) return;
      }
      if (url !== undefined) edits.push({ start: a.valueStart, end: a.valueStart + a.value.length, value: escapeAttr(url) });
    });
  }
  let out = '';
  let last = 0;
  for (const e of edits) {
    out += text.slice(last, e.start) + e.value;
    last = e.end;
  }
  return out + text.slice(last);
}

/** An element named `operation` (any prefix) with a `location` attribute not starting with `/`. */
const RELATIVE_LOCATION = /<(?:[\w.-]+:)?operation\s[^>]*?\blocation\s*=\s*(?:"(?!\/)|'(?!\/))/;

/**
 * Whether an HTTP binding of the bundle has an operation location without a leading `/`
 * (`<http:operation location="GetLastTradePrice"/>`): clients join it to the http:address by
 * concatenation (zeep) or by URL resolution, and both land below the address only when the
 * address ends with `/`. ASMX writes `/GetWeather` after an address without one. Only
 * http:operation has a `location` among elements named operation, so the text tells it.
 */
export function httpLocationsRelative(bundle: WsdlBundle): boolean {
  for (const doc of bundle.documents.values()) if (RELATIVE_LOCATION.test(doc.text)) return true;
  return false;
}

function skipTo(text: string, from: number, end: string): number {
  const j = text.indexOf(end, from);
  return j < 0 ? text.length : j + end.length;
}

interface RawAttr {
  name: string;
  value: string;
  valueStart: number;
}

const NAME = /[^\s/>]+/y;
const ATTR = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

/** Scans one start tag at `i`, pushes its namespace scope, reports it; returns the index after it. */
function startTag(text: string, i: number, scopes: Record<string, string>[], onTag: (ns: string, local: string, attrs: RawAttr[]) => void): number {
  NAME.lastIndex = i + 1;
  const qname = NAME.exec(text)?.[0] ?? '';
  let p = i + 1 + qname.length;
  const attrs: RawAttr[] = [];
  for (;;) {
    ATTR.lastIndex = p;
    const m = ATTR.exec(text);
    if (!m) break;
    const value = m[2] ?? m[3] ?? '';
    const quoteAt = m.index + m[0].length - value.length - 1;
    attrs.push({ name: m[1] as string, value, valueStart: quoteAt });
    p = ATTR.lastIndex;
  }
  const close = text.indexOf('>', p);
  const end = close < 0 ? text.length : close + 1;
  const selfClosing = close > 0 && text[close - 1] === '/';
  const parent = scopes[scopes.length - 1] ?? {};
  let scope = parent;
  for (const a of attrs) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
      if (scope === parent) scope = { ...parent };
      scope[a.name === 'xmlns' ? '' : a.name.slice(6)] = decodeEntities(a.value);
    }
  }
  const colon = qname.indexOf(':');
  const ns = scope[colon < 0 ? '' : qname.slice(0, colon)] ?? '';
  onTag(aliasXsd(ns), colon < 0 ? qname : qname.slice(colon + 1), attrs.filter((a) => !a.name.includes(':')));
  if (!selfClosing) scopes.push(scope);
  return end;
}

function aliasXsd(ns: string): string {
  return ns === 'http://www.w3.org/2000/10/XMLSchema' || ns === 'http://www.w3.org/1999/XMLSchema' ? NS.xsd : ns;
}

function decodeEntities(v: string): string {
  return v.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10)),
  );
}

export function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
