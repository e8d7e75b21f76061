import type { XmlElement } from './xml-element';
import { XML_SCOPE, aliasNs, newScope } from './xml-namespaces';
import { BAD_CHAR, NO_ATTRS, NO_CHILDREN, isXmlCodePoint } from './scan-xml';

/**
 * The common case of `scanXml`, fast even on a cold start: the tree of a document that uses
 * only ASCII names, named entity references, comments and CDATA sections, or `undefined` for
 * anything else (and for every error), in which case the caller runs the full scanner, which
 * accepts it or says precisely what is wrong. So this may refuse more than it must, never accept
 * more, and builds exactly the tree `scanXml` builds (test/unit/wsdl/fast-scan-xml.test.ts checks
 * both on every fixture and on mutated documents).
 *
 * Why a second scanner: an import reads a multi-megabyte WSDL once, in a fresh process, so the
 * scanner runs mostly before V8 has optimised it. Here the character-level work is done by a
 * few regular expressions, which V8 compiles to native code after their first use, and the
 * JavaScript left is one small loop per markup item.
 */

// XML names restricted to ASCII; a QName is NCName(:NCName)?.
const QNAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
const S = '[ \\t\\r\\n]';
/**
 * One markup item at a `<`: 1 start-tag name, 2 "/" when self-closing (its attributes are
 * matched again by ATTR, in place, so they are not copied out here); 3 end-tag name; otherwise
 * a comment (no "--" inside), a processing instruction or a CDATA section (group 4 set).
 */
const MARKUP = new RegExp(
  `<(?:(${QNAME})(?:${S}+${QNAME}${S}*=${S}*(?:"[^"<]*"|'[^'<]*'))*${S}*(/?)>` +
    `|/(${QNAME})${S}*>` +
    `|!--(?:[^-]|-[^-])*-->` +
    // A processing instruction (<?xml-stylesheet ...?>); the target may not be "xml" in any case.
    `|\\?(?![Xx][Mm][Ll](?![\\w.:-]))[A-Za-z_][\\w.:-]*[\\s\\S]*?\\?>` +
    `|(!)\\[CDATA\\[[\\s\\S]*?\\]\\]>)`,
  'y',
);
/** One attribute of a start tag MARKUP has already matched: 1 name, 2 or 3 value. */
const ATTR = new RegExp(`${S}+(${QNAME})${S}*=${S}*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const XML_DECL = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1[^<>?]*\?>/;
const ONLY_SPACE = /^[ \t\r\n]*$/;
/** A reference in character data: 1 the code point of a character reference (range-checked). */
const TEXT_REF = /&(?:amp|lt|gt|quot|apos|#([0-9]{1,7}|x[0-9a-fA-F]{1,6}));/y;
const NEEDS_NORMALISING = /[\t\n\r]/;
/** Tags with more attributes than this go to the full scanner (duplicates are checked pairwise). */
const MAX_ATTRS = 32;

export function fastScanXml(text: string, maxDepth: number): XmlElement | undefined {
  if (BAD_CHAR.test(text)) return undefined;
  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const afterXml = text.charCodeAt(pos + 5);
  if (text.startsWith('<?xml', pos) && (afterXml === 0x3f || afterXml === 0x20 || afterXml === 0x09 || afterXml === 0x0a || afterXml === 0x0d)) {
    const decl = XML_DECL.exec(pos === 0 ? text.slice(0, 400) : text.slice(1, 401));
    if (!decl) return undefined;
    pos += decl[0].length;
  }
  const stack: XmlElement[] = [];
  const rawNames: string[] = [];
  // Children of the open elements, innermost last; firstKid[i] is where stack[i]'s begin.
  const kids: XmlElement[] = [];
  const firstKid: number[] = [];
  let root: XmlElement | undefined;
  let line = 1;
  let nextNl = text.indexOf('\n');
  let nextAmp = text.indexOf('&');
  let nextCdEnd = text.indexOf(']]>');
  if (nextNl < 0) nextNl = len;
  if (nextAmp < 0) nextAmp = len;
  if (nextCdEnd < 0) nextCdEnd = len;

  while (pos < len) {
    let lt = text.indexOf('<', pos);
    if (lt < 0) lt = len;
    if (lt > pos) {
      // Character data: dropped, but it must be legal.
      if (stack.length === 0) {
        if (!ONLY_SPACE.test(text.slice(pos, lt))) return undefined;
      } else {
        while (nextAmp < lt) {
          TEXT_REF.lastIndex = nextAmp;
          const ref = TEXT_REF.exec(text);
          if (ref === null || (ref[1] !== undefined && !isXmlChar(ref[1]))) return undefined;
          nextAmp = indexOrEnd(text, '&', TEXT_REF.lastIndex);
        }
        if (nextCdEnd < lt) return undefined;
      }
      if (lt === len) break;
    }
    MARKUP.lastIndex = lt;
    const m = MARKUP.exec(text);
    if (m === null) return undefined;
    pos = MARKUP.lastIndex;
    // Skip past what this item consumed so the text checks above only see character data.
    if (nextAmp < pos) nextAmp = indexOrEnd(text, '&', pos);
    if (nextCdEnd < pos) nextCdEnd = indexOrEnd(text, ']]>', pos);

    const raw = m[1];
    if (raw === undefined) {
      const closing = m[3];
      if (closing !== undefined) {
        if (rawNames.pop() !== closing) return undefined;
        const open = stack.pop() as XmlElement;
        const from = firstKid.pop() as number;
        // Exact-size child lists, built once at the end tag (push-grown arrays keep spare slots).
        if (kids.length > from) {
          open.children = kids.slice(from);
          kids.length = from;
        }
      } else if (m[4] !== undefined && stack.length === 0) return undefined; // CDATA outside the root
      continue;
    }

    // Start tag.
    if (root !== undefined && stack.length === 0) return undefined;
    while (nextNl < lt) {
      line++;
      nextNl = indexOrEnd(text, '\n', nextNl + 1);
    }
    const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
    const el = startTag(text, lt + 1 + raw.length, raw, parent === undefined ? XML_SCOPE : parent.scope, line);
    if (el === undefined) return undefined;
    if (parent === undefined) root = el;
    else kids.push(el);
    if (m[2] !== '/') {
      stack.push(el);
      rawNames.push(raw);
      firstKid.push(kids.length);
      if (stack.length > maxDepth) return undefined;
    }
  }
  return stack.length === 0 ? root : undefined;
}

/** `#N` / `#xH` names a character XML allows. */
function isXmlChar(digits: string): boolean {
  return isXmlCodePoint(digits.charCodeAt(0) === 0x78 ? Number.parseInt(digits.slice(1), 16) : Number.parseInt(digits, 10));
}

function indexOrEnd(text: string, s: string, from: number): number {
  const i = text.indexOf(s, from);
  return i < 0 ? text.length : i;
}

// Scratch space for one tag's attributes.
const names: string[] = [];
const values: string[] = [];

function isXmlns(name: string): boolean {
  return name.charCodeAt(0) === 0x78 && name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 0x3a);
}

/** The element for a start tag whose attributes (if any) begin at `from` in `text`. */
function startTag(text: string, from: number, raw: string, parentScope: Readonly<Record<string, string>>, line: number): XmlElement | undefined {
  let n = 0;
  let scope = parentScope;
  const c0 = text.charCodeAt(from);
  if (c0 !== 0x3e && c0 !== 0x2f) {
    ATTR.lastIndex = from;
    let a: RegExpExecArray | null;
    while ((a = ATTR.exec(text)) !== null) {
      if (n === MAX_ATTRS) return undefined;
      const name = a[1] as string;
      let value = a[2] ?? (a[3] as string);
      if (value.includes('&')) {
        const decoded = decodeNamed(value);
        if (decoded === undefined) return undefined;
        value = decoded;
      }
      if (NEEDS_NORMALISING.test(value)) value = value.replace(/\r\n|[\t\n\r]/g, ' ');
      for (let i = 0; i < n; i++) if (names[i] === name) return undefined;
      names[n] = name;
      values[n] = value;
      n++;
    }
    // Namespace declarations first: the element's own name and attributes resolve against them.
    for (let i = 0; i < n; i++) {
      const name = names[i] as string;
      if (!isXmlns(name)) continue;
      const prefix = name.length === 5 ? '' : name.slice(6);
      const uri = values[i] as string;
      // Anything unusual (xml/xmlns prefixes, an empty binding) is judged by the full scanner.
      if ((prefix !== '' && uri === '') || prefix === 'xmlns' || prefix === 'xml' || uri === 'http://www.w3.org/XML/1998/namespace' || uri === 'http://www.w3.org/2000/xmlns/') return undefined;
      if (scope[prefix] === uri) continue; // a redeclaration that changes nothing (common in .NET WSDLs)
      if (scope === parentScope) scope = newScope(parentScope);
      (scope as Record<string, string>)[prefix] = uri;
    }
  }
  const colon = raw.indexOf(':');
  const uri = colon < 0 ? (scope[''] ?? '') : scope[raw.slice(0, colon)];
  if (uri === undefined) return undefined;
  const el: XmlElement = { ns: aliasNs(uri), local: colon < 0 ? raw : raw.slice(colon + 1), attrs: NO_ATTRS, scope, children: NO_CHILDREN, line };
  let attrs: Record<string, string> | undefined;
  for (let i = 0; i < n; i++) {
    const name = names[i] as string;
    if (isXmlns(name)) continue;
    let key = name;
    const c = name.indexOf(':');
    if (c >= 0) {
      const ns = scope[name.slice(0, c)];
      if (ns === undefined) return undefined;
      key = `{${aliasNs(ns)}}${name.slice(c + 1)}`;
    }
    attrs ??= {};
    // Duplicates (a qualified pair like a:x / b:x on one namespace) and `__proto__`: the full scanner decides.
    if (key === '__proto__' || Object.hasOwn(attrs, key)) return undefined;
    attrs[key] = values[i] as string;
  }
  if (attrs !== undefined) el.attrs = attrs;
  return el;
}

/** `&amp;` and the other predefined entities; undefined for character references or a bare `&`. */
function decodeNamed(v: string): string | undefined {
  let ok = true;
  const out = v.replace(/&(amp|lt|gt|quot|apos);|&/g, (all: string, e: string | undefined) => {
    if (e === undefined) ok = false;
    return e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : all;
  });
  return ok ? out : undefined;
}
