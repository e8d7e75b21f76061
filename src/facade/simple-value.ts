import type { Facets } from '../wsdl/model';
import { cmpInt, jsonToText, textToJson } from './builtins';
import type { JsonValue } from './json';
import type { SimpleInfo } from './schema-view';

/**
 * Simple-type values: JSON ↔ XML text with every facet of the derivation chain checked on the
 * way out (requests) and nothing checked on the way in (responses are read leniently).
 */
export function simpleToText(info: SimpleInfo, v: unknown): { text: string } | { expected: string } {
  if (info.list) {
    if (!Array.isArray(v)) return { expected: `an array (xsd:list of ${describeSimple(info.list)})` };
    const parts: string[] = [];
    for (const item of v) {
      const r = simpleToText(info.list, item);
      if ('expected' in r) return { expected: `an array of ${r.expected}` };
      parts.push(r.text);
    }
    const bad = checkFacets(info, parts.join(' '), parts.length);
    return bad ? { expected: bad } : { text: parts.join(' ') };
  }
  if (info.union) {
    // The first member type that accepts the value wins.
    for (const m of info.union) {
      const r = simpleToText(m, v);
      if ('text' in r) {
        const bad = checkFacets(info, r.text, null);
        return bad ? { expected: bad } : r;
      }
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { text: String(v) };
    return { expected: `a value of one of ${info.union.map(describeSimple).join(', ')}` };
  }
  let r = jsonToText(info.builtin, v);
  if ('expected' in r) return info.enumeration ? { expected: `one of ${enumList(info.enumeration)}` } : r;
  if (info.enumeration && isNumeric(info) && !info.enumeration.includes(r.text)) {
    // Numeric enumerations compare by value (`+1000.0001`, `1.2E3`); the literal is written.
    const n = Number(r.text);
    const literal = info.enumeration.find((e) => Number(e) === n);
    if (literal !== undefined) r = { text: literal };
  }
  const bad = checkFacets(info, r.text, null);
  return bad ? { expected: bad } : r;
}

function isNumeric(info: SimpleInfo): boolean {
  return ['int', 'bigint', 'decimal', 'float'].includes(info.builtin.kind);
}

export function textToSimple(info: SimpleInfo, text: string): JsonValue {
  if (info.list) {
    const items = text.trim() === '' ? [] : text.trim().split(/\s+/);
    return items.map((t) => textToSimple(info.list as SimpleInfo, t));
  }
  if (info.union) return text;
  return textToJson(info.builtin, text);
}

export function describeSimple(info: SimpleInfo): string {
  if (info.enumeration) return `one of ${enumList(info.enumeration)}`;
  if (info.list) return `a list of ${describeSimple(info.list)}`;
  return `xsd:${info.builtin.local}`;
}

function enumList(values: string[]): string {
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v)).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} values)` : shown;
}

/** A reason when `text` breaks a facet, null when it fits. `count` is the item count of a list. */
function checkFacets(info: SimpleInfo, text: string, count: number | null): string | null {
  if (info.enumeration && !info.enumeration.includes(text)) return `one of ${enumList(info.enumeration)}`;
  const numeric = ['int', 'bigint', 'decimal', 'float'].includes(info.builtin.kind) && count === null;
  const len = count ?? [...text].length;
  const lenApplies = info.builtin.kind !== 'base64' && info.builtin.kind !== 'hex' && !numeric;
  for (const f of info.steps) {
    if (lenApplies) {
      if (f.length !== undefined && len !== f.length) return `${count === null ? 'a string' : 'a list'} of length ${f.length}`;
      if (f.minLength !== undefined && len < f.minLength) return `${count === null ? 'a string' : 'a list'} of length at least ${f.minLength}`;
      if (f.maxLength !== undefined && len > f.maxLength) return `${count === null ? 'a string' : 'a list'} of length at most ${f.maxLength}`;
    }
    if (numeric) {
      const bad = checkRange(f, text);
      if (bad) return bad;
    }
    if (f.pattern && count === null) {
      const res = f.pattern.map(compilePattern);
      // Patterns of one step are alternatives; a pattern JS cannot express is not enforced.
      if (!res.includes(null) && !res.some((re) => (re as RegExp).test(text))) return `a value matching the pattern ${f.pattern.map((p) => JSON.stringify(p)).join(' or ')}`;
    }
  }
  return null;
}

function checkRange(f: Facets, text: string): string | null {
  const cmp = (a: string, b: string): number => {
    if (/^[+-]?\d+$/.test(a) && /^[+-]?\d+$/.test(b)) return cmpInt(a, b);
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  if (f.minInclusive !== undefined && cmp(text, f.minInclusive) < 0) return `a number >= ${f.minInclusive}`;
  if (f.maxInclusive !== undefined && cmp(text, f.maxInclusive) > 0) return `a number <= ${f.maxInclusive}`;
  if (f.minExclusive !== undefined && cmp(text, f.minExclusive) <= 0) return `a number > ${f.minExclusive}`;
  if (f.maxExclusive !== undefined && cmp(text, f.maxExclusive) >= 0) return `a number < ${f.maxExclusive}`;
  if (f.totalDigits !== undefined || f.fractionDigits !== undefined) {
    const [int = '', frac = ''] = text.replace(/^[+-]/, '').split('.');
    const fracDigits = frac.replace(/0+$/, '').length;
    const total = int.replace(/^0+/, '').length + fracDigits;
    if (f.fractionDigits !== undefined && fracDigits > f.fractionDigits) return `a number with at most ${f.fractionDigits} fraction digits`;
    if (f.totalDigits !== undefined && total > f.totalDigits) return `a number with at most ${f.totalDigits} digits`;
  }
  return null;
}

const patternCache = new Map<string, RegExp | null>();

/**
 * XSD regular expressions are anchored and have a few escapes JavaScript lacks (`\i`, `\c`,
 * `\p{IsBlock}`); those are approximated, and a pattern that still does not compile (character
 * class subtraction, …) yields null: it is then not enforced rather than enforced wrongly.
 */
export function compilePattern(p: string): RegExp | null {
  if (patternCache.has(p)) return patternCache.get(p) ?? null;
  let re: RegExp | null = null;
  const src = approximated(p);
  const unicode = src === null ? null : withUnicodeEscapes(src);
  if (unicode !== null) re = new RegExp(`^(?:${unicode})$`, 'u');
  else if (src !== null) {
    try {
      re = new RegExp(`^(?:${src})$`);
    } catch {
      re = null;
    }
  }
  patternCache.set(p, re);
  return re;
}

/** The XSD-only escapes replaced by JavaScript classes; null for class subtraction (no equivalent). */
function approximated(p: string): string | null {
  // Character-class subtraction (`[a-z-[aeiou]]`) has no JavaScript equivalent.
  if (/\[(?:\\.|[^\]\\])*-\[/.test(p)) return null;
  return p
    .replace(/\\i/g, '[A-Za-z_:]')
    .replace(/\\I/g, '[^A-Za-z_:]')
    .replace(/\\c/g, '[-A-Za-z0-9._:]')
    .replace(/\\C/g, '[^-A-Za-z0-9._:]')
    .replace(/\\p\{Is[A-Za-z0-9-]+\}/g, '[\\s\\S]')
    .replace(/\\P\{Is[A-Za-z0-9-]+\}/g, '[\\s\\S]');
}

/** Characters an escape may stand before in a `u`-flag regular expression outside a class. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const CLASS_ESCAPES = new Set('dDsSwWnrtfvpP');

/**
 * The pattern as ECMA-262 source that compiles with the `u` flag, or null. JSON Schema patterns
 * are ECMA-262 expressions and validators (ajv, …) compile them with `u`, which refuses the
 * identity escapes XSD allows everywhere (`\-` outside a class, `\"`, …): those become the plain
 * character. OpenAPI documents and the facade's own checks use this form.
 */
export function unicodePattern(p: string): string | null {
  const src = approximated(p);
  return src === null ? null : withUnicodeEscapes(src);
}

/** `src` (JavaScript syntax already) rewritten to compile with the `u` flag, or null. */
function withUnicodeEscapes(src: string): string | null {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1]!;
      i++;
      if (SYNTAX.has(n) || CLASS_ESCAPES.has(n) || (inClass && n === '-')) out += `\\${n}`;
      else out += n;
      continue;
    }
    // XSD has no anchors: outside a class `^` and `$` are plain characters.
    if (!inClass && (c === '^' || c === '$')) {
      out += `\\${c}`;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  try {
    new RegExp(out, 'u');
    return out;
  } catch {
    return null;
  }
}
