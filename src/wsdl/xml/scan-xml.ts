import type { XmlElement } from './xml-element';
import { XML_NS, XML_SCOPE, XMLNS_NS, localOf, newScope, resolveName } from './xml-namespaces';
import { decodeRefs } from './xml-references';
import { DOCTYPE_REASON, XmlSyntaxError } from './xml-syntax-error';

/**
 * Documents nest far less than this (a 300-level schema is already absurd); deeper input is an
 * attack or a bug, not a WSDL. The compiler recurses over the tree, so this also bounds its stack.
 */
export const MAX_DEPTH = 1000;

/** Shared by every element without attributes / children (both scanners). */
export const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze({});
export const NO_CHILDREN: readonly XmlElement[] = Object.freeze([]);

/** ASCII name characters: 1 = may start a name, 2 = may only continue one. */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) NAME_CHAR[c] = 1;
  else if (/[0-9.-]/.test(ch)) NAME_CHAR[c] = 2;
}
function isNameStart(c: number): boolean {
  return c < 128 ? NAME_CHAR[c] === 1 : c !== 0xd7 && c !== 0xf7 && c >= 0xc0;
}
function isNameChar(c: number): boolean {
  return c < 128 ? NAME_CHAR[c] !== 0 : c !== 0xd7 && c !== 0xf7 && (c >= 0xc0 || c === 0xb7);
}
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** A code point XML 1.0 allows in a document (NaN is not one). */
export function isXmlCodePoint(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Characters XML 1.0 forbids anywhere in a document. */
export const BAD_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

/** The next index of `ch` at or after a position, remembered so repeated queries stay linear. */
class Finder {
  private at = -2;
  constructor(
    private readonly text: string,
    private readonly ch: string,
  ) {}
  from(p: number): number {
    if (this.at < p && this.at !== Infinity) {
      const i = this.text.indexOf(this.ch, p);
      this.at = i < 0 ? Infinity : i;
    }
    return this.at;
  }
}

// Scratch space for one start tag's attributes (reused across tags and documents).
const attrNames: string[] = [];
const attrValues: string[] = [];
const attrPos: number[] = [];

/**
 * The well-formedness and namespace checks of `parseXml`, in one pass; throws XmlSyntaxError.
 *
 * A hand-written single-pass scanner rather than a SAX library: it only builds what the importer
 * reads (no text nodes, no per-event objects), scans with indexOf between markup characters,
 * shares empty attribute maps and child lists, and resolves prefixes through a per-element scope
 * object (O(1) per name, where saxes walked the open-tag stack: quadratic on deep nesting). The
 * character classes above stay in this module so the name and whitespace loops call local
 * functions only.
 */
export function scanXml(text: string): XmlElement {
  const bad = BAD_CHAR.exec(text);
  if (bad) throw new XmlSyntaxError(`disallowed character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`, bad.index);
  const len = text.length;
  const amp = new Finder(text, '&');
  const lt = new Finder(text, '<');
  const nl = new Finder(text, '\n');
  const cdEnd = new Finder(text, ']]>');
  let line = 1;
  let lineFrom = 0;
  const lineAt = (p: number): number => {
    let n = nl.from(lineFrom);
    while (n < p) {
      line++;
      lineFrom = n + 1;
      n = nl.from(lineFrom);
    }
    return line;
  };

  const stack: XmlElement[] = [];
  const rawNames: string[] = [];
  let root: XmlElement | undefined;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  if (text.startsWith('<?xml', pos) && (isSpace(text.charCodeAt(pos + 5)) || text.charCodeAt(pos + 5) === 0x3f)) {
    const end = text.indexOf('?>', pos);
    if (end < 0) throw new XmlSyntaxError('unterminated XML declaration', pos);
    if (!/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(text.slice(pos, end))) throw new XmlSyntaxError('malformed XML declaration (version missing)', pos);
    pos = end + 2;
  }

  const name = (p: number, what: string): number => {
    if (!isNameStart(text.charCodeAt(p))) throw new XmlSyntaxError(`disallowed character in ${what}`, p);
    let q = p + 1;
    while (q < len && isNameChar(text.charCodeAt(q))) q++;
    return q;
  };
  const skipSpace = (p: number): number => {
    while (p < len && isSpace(text.charCodeAt(p))) p++;
    return p;
  };
  const checkText = (from: number, to: number): void => {
    if (stack.length === 0) {
      for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) throw new XmlSyntaxError('text data outside of root node', i);
      return;
    }
    let a = amp.from(from);
    while (a < to) {
      refEnd(a);
      a = amp.from(a + 1);
    }
    const c = cdEnd.from(from);
    if (c + 2 < to) throw new XmlSyntaxError('the string "]]>" is not allowed in character data', c);
  };
  /** Validates the reference at `a` (`&name;`, `&#N;`, `&#xH;`); returns the index after `;`. */
  const refEnd = (a: number): number => {
    const semi = text.indexOf(';', a + 1);
    if (semi < 0 || semi - a > 12) throw new XmlSyntaxError('"&" must start an entity or character reference (write &amp;)', a);
    const ref = text.slice(a + 1, semi);
    if (ref === 'amp' || ref === 'lt' || ref === 'gt' || ref === 'quot' || ref === 'apos') return semi + 1;
    if (ref.charCodeAt(0) === 0x23) {
      const code = /^#x[0-9a-fA-F]+$/.test(ref) ? Number.parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? Number.parseInt(ref.slice(1), 10) : NaN;
      if (!isXmlCodePoint(code)) {
        throw new XmlSyntaxError(`malformed character reference "&${ref};"`, a);
      }
      return semi + 1;
    }
    throw new XmlSyntaxError(`undefined entity "&${ref};" (documents may not declare entities)`, a);
  };

  while (pos < len) {
    const next = lt.from(pos);
    if (next === Infinity) {
      checkText(pos, len);
      break;
    }
    if (next > pos) checkText(pos, next);
    pos = next;
    const c1 = text.charCodeAt(pos + 1);
    if (c1 === 0x2f) {
      // </name>
      const open = stack.pop();
      const nameEnd = open ? name(pos + 2, 'closing tag') : pos + 2;
      const raw = text.slice(pos + 2, nameEnd);
      const expected = rawNames.pop();
      if (!open || raw !== expected) throw new XmlSyntaxError(open ? `unexpected close tag </${raw}>; expected </${expected ?? ''}>` : `unexpected close tag </${text.slice(pos + 2, name(pos + 2, 'closing tag'))}> outside the root`, pos);
      const gt = skipSpace(nameEnd);
      if (text.charCodeAt(gt) !== 0x3e) throw new XmlSyntaxError(`malformed close tag </${raw}>`, gt);
      pos = gt + 1;
      continue;
    }
    if (c1 === 0x21) {
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('--', pos + 4);
        if (end < 0) throw new XmlSyntaxError('unterminated comment', pos);
        if (text.charCodeAt(end + 2) !== 0x3e) throw new XmlSyntaxError('"--" is not allowed inside a comment', end);
        pos = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', pos)) {
        if (stack.length === 0) throw new XmlSyntaxError('CDATA section outside of root node', pos);
        const end = cdEnd.from(pos + 9);
        if (end === Infinity) throw new XmlSyntaxError('unterminated CDATA section', pos);
        pos = end + 3;
        continue;
      }
      if (/^<!(DOCTYPE|ENTITY)/i.test(text.slice(pos, pos + 9))) throw new XmlSyntaxError(DOCTYPE_REASON, pos);
      throw new XmlSyntaxError('unexpected "<!"', pos);
    }
    if (c1 === 0x3f) {
      // <?target ...?>
      const tEnd = name(pos + 2, 'processing instruction name');
      if (text.slice(pos + 2, tEnd).toLowerCase() === 'xml') throw new XmlSyntaxError('an XML declaration must be at the start of the document', pos);
      const end = text.indexOf('?>', tEnd);
      if (end < 0) throw new XmlSyntaxError('unterminated processing instruction', pos);
      pos = end + 2;
      continue;
    }
    // Start tag.
    if (root && stack.length === 0) throw new XmlSyntaxError('text data outside of root node (a second root element)', pos);
    const tagStart = pos;
    const nameEnd = name(pos + 1, 'tag name');
    const raw = text.slice(pos + 1, nameEnd);
    let p = nameEnd;
    let nAttrs = 0;
    let selfClosing = false;
    for (;;) {
      const afterSpace = skipSpace(p);
      const c = text.charCodeAt(afterSpace);
      if (c === 0x3e) {
        p = afterSpace + 1;
        break;
      }
      if (c === 0x2f && text.charCodeAt(afterSpace + 1) === 0x3e) {
        p = afterSpace + 2;
        selfClosing = true;
        break;
      }
      if (afterSpace >= len) throw new XmlSyntaxError(`unclosed start tag <${raw}`, tagStart);
      if (afterSpace === p) throw new XmlSyntaxError(isNameStart(c) ? 'no whitespace between attributes' : `disallowed character in tag <${raw}>`, p);
      const aEnd = name(afterSpace, 'attribute name');
      const aName = text.slice(afterSpace, aEnd);
      let q = skipSpace(aEnd);
      if (text.charCodeAt(q) !== 0x3d) throw new XmlSyntaxError(`attribute ${aName} without a value`, q);
      q = skipSpace(q + 1);
      const quote = text.charCodeAt(q);
      if (quote !== 0x22 && quote !== 0x27) throw new XmlSyntaxError(`unquoted value for attribute ${aName}`, q);
      const vStart = q + 1;
      const vEnd = text.indexOf(quote === 0x22 ? '"' : "'", vStart);
      if (vEnd < 0) throw new XmlSyntaxError(`unterminated value for attribute ${aName}`, q);
      if (lt.from(vStart) < vEnd) throw new XmlSyntaxError(`"<" is not allowed in the value of attribute ${aName}`, lt.from(vStart));
      let value = text.slice(vStart, vEnd);
      if (amp.from(vStart) < vEnd) value = decodeRefs(text, vStart, vEnd, refEnd);
      if (/[\t\n\r]/.test(value)) value = value.replace(/\r\n|[\t\n\r]/g, ' ');
      attrNames[nAttrs] = aName;
      attrValues[nAttrs] = value;
      attrPos[nAttrs] = afterSpace;
      nAttrs++;
      p = vEnd + 1;
    }
    const parent = stack[stack.length - 1];
    let scope = parent ? parent.scope : XML_SCOPE;
    let declared: string[] | undefined;
    for (let i = 0; i < nAttrs; i++) {
      const a = attrNames[i] as string;
      if (a === 'xmlns' || a.startsWith('xmlns:')) {
        const prefix = a === 'xmlns' ? '' : a.slice(6);
        const uri = attrValues[i] as string;
        if (prefix !== '' && uri === '') throw new XmlSyntaxError(`prefix "${prefix}" bound to an empty namespace`, attrPos[i] as number);
        if (prefix === 'xmlns' || (prefix === 'xml' && uri !== XML_NS) || (prefix !== 'xml' && uri === XML_NS) || uri === XMLNS_NS) {
          throw new XmlSyntaxError(`illegal namespace declaration ${a}="${uri}"`, attrPos[i] as number);
        }
        if (!declared) {
          declared = [];
          scope = newScope(scope);
        }
        if (declared.includes(prefix)) throw new XmlSyntaxError(`duplicate attribute ${a}`, attrPos[i] as number);
        declared.push(prefix);
        (scope as Record<string, string>)[prefix] = uri;
      }
    }
    const el: XmlElement = { ns: '', local: '', attrs: NO_ATTRS, scope, children: NO_CHILDREN, line: lineAt(tagStart) };
    el.ns = resolveName(raw, scope, true, tagStart);
    el.local = localOf(raw);
    if (nAttrs > 0) {
      let attrs: Record<string, string> | undefined;
      for (let i = 0; i < nAttrs; i++) {
        const a = attrNames[i] as string;
        if (a === 'xmlns' || a.startsWith('xmlns:')) continue;
        const colon = a.indexOf(':');
        const key = colon < 0 ? a : `{${resolveName(a, scope, false, attrPos[i] as number)}}${localOf(a)}`;
        attrs ??= {};
        if (Object.hasOwn(attrs, key)) throw new XmlSyntaxError(`duplicate attribute ${a}`, attrPos[i] as number);
        // An attribute named __proto__ must stay an own property, not replace the prototype.
        if (key === '__proto__') Object.defineProperty(attrs, key, { value: attrValues[i], enumerable: true, writable: true, configurable: true });
        else attrs[key] = attrValues[i] as string;
      }
      if (attrs) el.attrs = attrs;
    }
    if (parent) {
      if (parent.children === NO_CHILDREN) parent.children = [el];
      else (parent.children as XmlElement[]).push(el);
    } else root = el;
    if (!selfClosing) {
      stack.push(el);
      rawNames.push(raw);
      if (stack.length > MAX_DEPTH) throw new XmlSyntaxError(`elements nested deeper than ${MAX_DEPTH} levels`, tagStart);
    }
    pos = p;
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1] as XmlElement;
    throw new XmlSyntaxError(`unclosed tag <${rawNames[rawNames.length - 1] ?? open.local}> (opened on line ${open.line})`, len);
  }
  if (!root) throw new XmlSyntaxError('document has no root element', len);
  return root;
}
