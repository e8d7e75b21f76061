import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BridgeError } from '../errors/bridge-error';

/**
 * A namespace-resolved element of a backend response. Built from fast-xml-parser's
 * preserveOrder output (document order and mixed text kept); entities are not expanded by the
 * parser (processEntities: false) and only the five predefined ones plus character references
 * are decoded here, so no entity declaration can ever be expanded. DOCTYPE is refused.
 */
export interface XNode {
  ns: string;
  local: string;
  /** Unqualified attributes by local name, qualified ones as `{ns}local`; values decoded. */
  attrs: Record<string, string>;
  children: XNode[];
  /** Direct text content (text and CDATA, decoded, concatenated). */
  text: string;
  scope: Readonly<Record<string, string>>;
  /** The element re-serialised, with the in-scope namespace declarations it needs. */
  raw(): string;
}

type FxpNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const MAX_DEPTH = 256;
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export function invalidResponse(detail: string, cause?: unknown): BridgeError {
  return new BridgeError('BACKEND_RESPONSE_INVALID', detail, cause === undefined ? {} : { cause });
}

/** Parses a whole document; throws BACKEND_RESPONSE_INVALID (502) for anything not well-formed. */
export function parseXmlTree(xml: string): XNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalidResponse('the backend response contains a DOCTYPE (refused)');
  const body = xml.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw invalidResponse(`the backend response is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let nodes: FxpNode[];
  try {
    nodes = parser.parse(body) as FxpNode[];
  } catch (e) {
    throw invalidResponse(`the backend response is not well-formed XML: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const rootNode = nodes.find((n) => elementName(n) !== null);
  if (!rootNode) throw invalidResponse('the backend response has no root element');
  return build(rootNode, { xml: XML_NS }, 0);
}

function elementName(n: FxpNode): string | null {
  for (const k of Object.keys(n)) if (k !== ':@' && k !== '#text' && k !== '#cdata') return k;
  return null;
}

function build(n: FxpNode, parentScope: Readonly<Record<string, string>>, depth: number): XNode {
  if (depth > MAX_DEPTH) throw invalidResponse(`the backend response nests deeper than ${MAX_DEPTH} levels`);
  const tag = elementName(n) as string;
  const rawAttrs = (n[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (scope === parentScope) scope = { ...parentScope };
      (scope as Record<string, string>)[k === 'xmlns' ? '' : k.slice(6)] = decodeEntities(v);
    }
  }
  const resolve = (name: string, isAttr: boolean): { ns: string; local: string } => {
    const i = name.indexOf(':');
    if (i < 0) return { ns: isAttr ? '' : (scope[''] ?? ''), local: name };
    const prefix = name.slice(0, i);
    const ns = scope[prefix];
    if (ns === undefined) throw invalidResponse(`the backend response uses the undeclared namespace prefix "${prefix}"`);
    return { ns, local: name.slice(i + 1) };
  };
  const { ns, local } = resolve(tag, false);
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    const a = resolve(k, true);
    attrs[a.ns === '' ? a.local : `{${a.ns}}${a.local}`] = decodeEntities(v);
  }
  const children: XNode[] = [];
  let text = '';
  const kids = (n[tag] ?? []) as FxpNode[];
  for (const c of kids) {
    if ('#text' in c) text += decodeEntities(String(c['#text']));
    else if ('#cdata' in c) text += ((c['#cdata'] ?? []) as FxpNode[]).map((t) => String(t['#text'] ?? '')).join('');
    else if (elementName(c) !== null) children.push(build(c, scope, depth + 1));
  }
  const finalScope = scope;
  return { ns, local, attrs, children, text, scope: finalScope, raw: () => serialize(n, finalScope, inheritedDecls(n, finalScope, rawAttrs)) };
}

/**
 * Declarations the subtree needs from its ancestors: the prefixes its element and attribute
 * names use (and the default namespace), unless the element declares them itself. Prefixes used
 * only inside text (QName values) cannot be known and are not carried.
 */
function inheritedDecls(n: FxpNode, scope: Readonly<Record<string, string>>, own: Record<string, string>): string {
  const used = new Set<string>();
  const visit = (x: FxpNode, depth: number): void => {
    const tag = elementName(x);
    if (tag === null || depth > MAX_DEPTH) return;
    used.add(tag.includes(':') ? tag.slice(0, tag.indexOf(':')) : '');
    for (const k of Object.keys((x[':@'] ?? {}) as Record<string, string>)) if (k.includes(':') && !k.startsWith('xmlns')) used.add(k.slice(0, k.indexOf(':')));
    for (const c of (x[tag] ?? []) as FxpNode[]) visit(c, depth + 1);
  };
  visit(n, 0);
  let s = '';
  for (const p of used) {
    const ns = scope[p];
    if (p === 'xml' || ns === undefined || (p === '' && ns === '')) continue;
    const attr = p === '' ? 'xmlns' : `xmlns:${p}`;
    if (attr in own) continue;
    s += ` ${attr}="${ns.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;
  }
  return s;
}

function serialize(n: FxpNode, _scope: Readonly<Record<string, string>>, extra: string): string {
  const tag = elementName(n) as string;
  const attrs = Object.entries((n[':@'] ?? {}) as Record<string, string>)
    .map(([k, v]) => ` ${k}="${String(v).replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
    .join('');
  const kids = (n[tag] ?? []) as FxpNode[];
  let inner = '';
  for (const c of kids) {
    // Text stays in its escaped source form (processEntities: false), so it is copied as is.
    if ('#text' in c) inner += String(c['#text']);
    else if ('#cdata' in c) inner += `<![CDATA[${((c['#cdata'] ?? []) as FxpNode[]).map((t) => String(t['#text'] ?? '')).join('')}]]>`;
    else if (elementName(c) !== null) inner += serialize(c, _scope, '');
  }
  return `<${tag}${extra}${attrs}>${inner}</${tag}>`;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (m, e: string) => {
    if (e.startsWith('#x')) return safeCodePoint(Number.parseInt(e.slice(2), 16), m);
    if (e.startsWith('#')) return safeCodePoint(Number.parseInt(e.slice(1), 10), m);
    return NAMED[e] ?? m;
  });
}

function safeCodePoint(cp: number, fallback: string): string {
  try {
    return String.fromCodePoint(cp);
  } catch {
    return fallback;
  }
}
