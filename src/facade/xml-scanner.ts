import { invalidResponse } from './invalid-response';
import { decodeEntities, legalRef } from './xml-entities';
import { Element, MAX_DEPTH, NO_CHILDREN, ROOT_SCOPE, Scope, type XNode } from './xml-node';

const NO_NAMES: readonly string[] = [];
const NO_ATTRS: readonly string[] = [];
const NO_ATTR_VALUES: Readonly<Record<string, string>> = Object.freeze({});

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQ = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;
const BANG = 0x21;
const QMARK = 0x3f;

/**
 * A small, strict XML scanner for backend responses: elements, attributes, text, CDATA,
 * comments and processing instructions (both skipped). No DTD: a DOCTYPE is refused before
 * scanning, and only the five predefined entities plus character references are decoded (other
 * entity references stay as written, never expanded). Anything not well-formed (unclosed or
 * mismatched tags, unquoted, valueless or repeated attributes, a stray `&` in text, text or a
 * second element after the root) is BACKEND_RESPONSE_INVALID.
 */
export class Scanner {
  private pos = 0;
  private nextAmp: number;

  constructor(private readonly src: string) {
    this.nextAmp = src.indexOf('&');
  }

  document(): XNode {
    const src = this.src;
    this.skipMisc();
    if (this.pos >= src.length) this.fail('no root element');
    if (src.charCodeAt(this.pos) !== LT) this.fail(`char '${src[this.pos] ?? ''}' is not expected before the root element`);
    const root = this.element(ROOT_SCOPE, 0);
    this.skipMisc();
    if (this.pos < src.length) this.fail(src.charCodeAt(this.pos) === LT ? 'multiple root elements' : 'extra text after the root element');
    return root;
  }

  /** Whitespace, comments and processing instructions (the XML declaration among them). */
  private skipMisc(): void {
    const src = this.src;
    for (;;) {
      while (this.pos < src.length && isWs(src.charCodeAt(this.pos))) this.pos++;
      if (src.startsWith('<?', this.pos)) this.skipPast('?>', 2, 'unclosed processing instruction');
      else if (src.startsWith('<!--', this.pos)) this.skipPast('-->', 4, 'unclosed comment');
      else return;
    }
  }

  private skipPast(end: string, from: number, problem: string): void {
    const i = this.src.indexOf(end, this.pos + from);
    if (i < 0) this.fail(problem);
    this.pos = i + end.length;
  }

  private fail(detail: string, at = this.pos): never {
    let line = 1;
    for (let i = this.src.indexOf('\n'); i >= 0 && i < at; i = this.src.indexOf('\n', i + 1)) line++;
    throw invalidResponse(`the backend response is not well-formed XML: ${detail} (line ${line})`);
  }

  private name(): string {
    const src = this.src;
    const start = this.pos;
    if (start >= src.length) this.fail('unexpected end of the document');
    if (!isNameStart(src.charCodeAt(start))) this.fail(`char '${src[start] ?? ''}' is not expected at the start of a name`);
    let i = start + 1;
    while (i < src.length && isNameChar(src.charCodeAt(i))) i++;
    this.pos = i;
    return src.slice(start, i);
  }

  private skipWs(): boolean {
    const src = this.src;
    const start = this.pos;
    while (this.pos < src.length && isWs(src.charCodeAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  private prefixNs(scope: Scope, prefix: string): string {
    const ns = scope.get(prefix);
    if (ns === undefined) throw invalidResponse(`the backend response uses the undeclared namespace prefix "${prefix}"`);
    return ns;
  }

  /** An element starting at its `<`; leaves `pos` after its end. */
  private element(parentScope: Scope, depth: number): Element {
    if (depth > MAX_DEPTH) throw invalidResponse(`the backend response is nested deeper than ${MAX_DEPTH} levels`);
    const src = this.src;
    const start = this.pos;
    this.pos++;
    const tag = this.name();

    // Attributes as written: name, raw value, name, raw value, …
    let raw: string[] | null = null;
    let selfClosing = false;
    for (;;) {
      const spaced = this.skipWs();
      const c = src.charCodeAt(this.pos);
      if (c === GT) {
        this.pos++;
        break;
      }
      if (c === SLASH) {
        if (src.charCodeAt(this.pos + 1) !== GT) this.fail(`'/' not followed by '>' in <${tag}>`);
        this.pos += 2;
        selfClosing = true;
        break;
      }
      if (this.pos >= src.length) this.fail(`unclosed start tag <${tag}>`);
      if (!spaced) this.fail(`attributes of <${tag}> must be separated by whitespace`);
      const name = this.name();
      this.skipWs();
      if (src.charCodeAt(this.pos) !== EQ) this.fail(`attribute '${name}' of <${tag}> has no value`);
      this.pos++;
      this.skipWs();
      const q = src.charCodeAt(this.pos);
      if (q !== QUOT && q !== APOS) this.fail(`attribute '${name}' of <${tag}> is not quoted`);
      const close = src.indexOf(q === QUOT ? '"' : "'", this.pos + 1);
      if (close < 0) this.fail(`attribute '${name}' of <${tag}> has an open quote`);
      if (raw === null) raw = [];
      else for (let i = 0; i < raw.length; i += 2) if (raw[i] === name) this.fail(`attribute '${name}' of <${tag}> is repeated`);
      raw.push(name, src.slice(this.pos + 1, close));
      this.pos = close + 1;
    }

    let scope = parentScope;
    let names = NO_NAMES;
    let attrs = NO_ATTR_VALUES;
    if (raw !== null) {
      const values: Record<string, string> = {};
      attrs = values;
      const list: string[] = [];
      for (let i = 0; i < raw.length; i += 2) {
        const k = raw[i] as string;
        list.push(k);
        if (k === 'xmlns' || k.startsWith('xmlns:')) scope = new Scope(scope, k === 'xmlns' ? '' : k.slice(6), decodeEntities(raw[i + 1] as string));
      }
      names = list;
      for (let i = 0; i < raw.length; i += 2) {
        const k = raw[i] as string;
        if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
        const v = decodeEntities(raw[i + 1] as string);
        const ci = k.indexOf(':');
        if (ci < 0) values[k] = v;
        else {
          const ns = this.prefixNs(scope, k.slice(0, ci));
          values[ns === '' ? k.slice(ci + 1) : `{${ns}}${k.slice(ci + 1)}`] = v;
        }
      }
    }
    const colon = tag.indexOf(':');
    const ns = colon < 0 ? (scope.get('') ?? '') : this.prefixNs(scope, tag.slice(0, colon));
    const el = new Element(ns, colon < 0 ? tag : tag.slice(colon + 1), attrs, scope, src, start, tag, names === NO_NAMES ? NO_ATTRS : names);
    if (selfClosing) {
      el.end = this.pos;
      return el;
    }

    let text = '';
    for (;;) {
      const lt = src.indexOf('<', this.pos);
      if (lt < 0) this.fail(`unclosed element <${tag}>`, start);
      if (lt > this.pos) text += this.text(this.pos, lt);
      this.pos = lt;
      const c = src.charCodeAt(lt + 1);
      if (c === SLASH) {
        const after = lt + 2 + tag.length;
        if (!src.startsWith(tag, lt + 2) || (after < src.length && isNameChar(src.charCodeAt(after)))) {
          this.pos = lt + 2;
          this.fail(`closing tag </${this.name()}> does not match <${tag}>`, lt);
        }
        this.pos = after;
        this.skipWs();
        if (src.charCodeAt(this.pos) !== GT) this.fail(`end tag </${tag}> is not closed`);
        this.pos++;
        break;
      }
      if (c === BANG) {
        if (src.startsWith('<!--', lt)) {
          this.skipPast('-->', 4, 'unclosed comment');
          continue;
        }
        if (src.startsWith('<![CDATA[', lt)) {
          const e = src.indexOf(']]>', lt + 9);
          if (e < 0) this.fail('unclosed CDATA section');
          text += src.slice(lt + 9, e);
          this.pos = e + 3;
          continue;
        }
        this.fail(`unexpected markup declaration in <${tag}>`);
      }
      if (c === QMARK) {
        this.skipPast('?>', 2, 'unclosed processing instruction');
        continue;
      }
      const child = this.element(scope, depth + 1);
      if (el.children === NO_CHILDREN) el.children = [child];
      else el.children.push(child);
    }
    el.text = text;
    el.end = this.pos;
    return el;
  }

  /** Character data between `from` and `to`: every `&` must start a reference; decoded. */
  private text(from: number, to: number): string {
    const src = this.src;
    // The next `&` of the document, remembered: searching from every text segment would scan to
    // the end of a document that has none each time.
    if (this.nextAmp >= 0 && this.nextAmp < from) this.nextAmp = src.indexOf('&', from);
    let amp = this.nextAmp;
    if (amp < 0 || amp >= to) return src.slice(from, to);
    while (amp >= 0 && amp < to) {
      const semi = src.indexOf(';', amp + 1);
      if (semi < 0 || semi >= to || !legalRef(src.slice(amp + 1, semi))) this.fail("char '&' is not expected", amp);
      amp = src.indexOf('&', semi + 1);
    }
    this.nextAmp = amp;
    return decodeEntities(src.slice(from, to));
  }
}
