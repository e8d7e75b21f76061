import { SaxesParser, type SaxesTagNS } from 'saxes';
import { WsdlImportError } from '../errors';

/**
 * A namespace-resolved element tree: just what the importer reads. Text content is dropped
 * (nothing in WSDL/XSD structure needs it) to keep big documents cheap.
 */
export interface XmlElement {
  ns: string;
  local: string;
  /** Unqualified attributes by local name; qualified ones as `{ns}local`. */
  attrs: Record<string, string>;
  /** In-scope prefix → namespace, shared with the parent unless this element declares xmlns. */
  scope: Readonly<Record<string, string>>;
  children: XmlElement[];
  line: number;
}

/** Documents nest far less than this; deeper input is an attack or a bug, not a WSDL. */
const MAX_DEPTH = 256;

const XML_SCOPE: Readonly<Record<string, string>> = Object.freeze({
  xml: 'http://www.w3.org/XML/1998/namespace',
  xmlns: 'http://www.w3.org/2000/xmlns/',
});

/**
 * Parses one document strictly (well-formedness and namespace errors are fatal) with saxes rather
 * than fast-xml-parser: saxes checks well-formedness, XML-declaration placement and prefix
 * declarations in the same single pass (fast-xml-parser needs a second validator pass and
 * hand-written namespace scoping), and it was ~2x faster on the 3 MB corpus WSDL. DOCTYPE is
 * refused outright, so no entity (internal, external or a billion-laughs bomb) is ever expanded.
 */
export function parseXml(text: string, file: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new WsdlImportError(file, 'DOCTYPE and entity declarations are not allowed (refused to avoid entity expansion and external entities)');
  }
  const parser = new SaxesParser({ xmlns: true, position: true, fileName: file });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('doctype', () => {
    failure ??= new Error('DOCTYPE is not allowed');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const parent = stack[stack.length - 1];
    const declared = tag.ns;
    let scope = parent?.scope ?? XML_SCOPE;
    if (declared !== undefined && Object.keys(declared).length > 0) scope = { ...scope, ...declared };
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs[a.uri ? `{${a.uri}}${a.local}` : a.local] = a.value;
    }
    const el: XmlElement = { ns: aliasNs(tag.uri), local: tag.local, attrs, scope, children: [], line: parser.line };
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
    if (stack.length > MAX_DEPTH) failure ??= new Error(`elements nested deeper than ${MAX_DEPTH} levels`);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    // Feed in slices so a fatal error stops a huge document early.
    const CHUNK = 1 << 20;
    for (let i = 0; i < text.length && !failure; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
    if (!failure) parser.close();
  } catch (e) {
    failure ??= e instanceof Error ? e : new Error(String(e));
  }
  if (failure) throw new WsdlImportError(file, `not well-formed XML: ${cleanMessage(failure.message, file)}`, { cause: failure });
  if (!root) throw new WsdlImportError(file, 'document has no root element');
  return root;
}

function cleanMessage(msg: string, file: string): string {
  // saxes prefixes "file:line:col: "; we already prefix the file, so keep only line:col.
  return msg.startsWith(`${file}:`) ? `line ${msg.slice(file.length + 1)}` : msg;
}

/** Decodes bytes honouring a BOM or the XML declaration's encoding (UTF-8 by default). */
export function decodeXml(buf: Uint8Array): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return new TextDecoder('utf-8').decode(buf.subarray(3));
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const head = Buffer.from(buf.subarray(0, 200)).toString('latin1');
  const enc = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (enc && enc !== 'utf-8' && enc !== 'utf8') {
    try {
      return new TextDecoder(enc).decode(buf);
    } catch {
      // Unknown label: fall through to UTF-8, which the parser will judge.
    }
  }
  return new TextDecoder('utf-8').decode(buf);
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

/** Pre-recommendation XML Schema namespaces (1999, 2000/10) still appear in old WSDLs; same vocabulary. */
const OLD_XSD = new Set(['http://www.w3.org/1999/XMLSchema', 'http://www.w3.org/2000/10/XMLSchema']);

function aliasNs(ns: string): string {
  return OLD_XSD.has(ns) ? 'http://www.w3.org/2001/XMLSchema' : ns;
}
