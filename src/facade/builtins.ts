/**
 * XSD built-in simple types as JSON sees them: which JSON type a value has, how it is written as
 * XML text, and how XML text is read back. SOAP-encoding types (`soapenc:int`, …) are the XSD
 * built-ins of the same local name.
 */
export type JsonKind = 'string' | 'boolean' | 'int' | 'bigint' | 'decimal' | 'float' | 'base64' | 'hex' | 'temporal' | 'any';

export interface Builtin {
  /** XSD local name (`int`, `dateTime`, …). */
  local: string;
  kind: JsonKind;
  /** Inclusive bounds for bounded integer types (as decimal strings). */
  min?: string;
  max?: string;
  /** Lexical check for text-valued types (dates, URIs are not checked). */
  lexical?: RegExp;
}

const INTS: Record<string, [string | undefined, string | undefined, JsonKind]> = {
  byte: ['-128', '127', 'int'],
  short: ['-32768', '32767', 'int'],
  int: ['-2147483648', '2147483647', 'int'],
  unsignedByte: ['0', '255', 'int'],
  unsignedShort: ['0', '65535', 'int'],
  unsignedInt: ['0', '4294967295', 'int'],
  long: ['-9223372036854775808', '9223372036854775807', 'bigint'],
  unsignedLong: ['0', '18446744073709551615', 'bigint'],
  integer: [undefined, undefined, 'bigint'],
  nonNegativeInteger: ['0', undefined, 'bigint'],
  positiveInteger: ['1', undefined, 'bigint'],
  nonPositiveInteger: [undefined, '0', 'bigint'],
  negativeInteger: [undefined, '-1', 'bigint'],
};

const TZ = '(Z|[+-](0\\d|1[0-4]):[0-5]\\d)?';
const TEMPORAL: Record<string, RegExp> = {
  dateTime: new RegExp(`^-?\\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-4]):[0-5]\\d:[0-5]\\d(\\.\\d+)?${TZ}$`),
  dateTimeStamp: new RegExp(`^-?\\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-4]):[0-5]\\d:[0-5]\\d(\\.\\d+)?(Z|[+-](0\\d|1[0-4]):[0-5]\\d)$`),
  date: new RegExp(`^-?\\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])${TZ}$`),
  time: new RegExp(`^([01]\\d|2[0-4]):[0-5]\\d:[0-5]\\d(\\.\\d+)?${TZ}$`),
  duration: /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
  gYear: new RegExp(`^-?\\d{4,}${TZ}$`),
  gYearMonth: new RegExp(`^-?\\d{4,}-(0[1-9]|1[0-2])${TZ}$`),
  gMonth: new RegExp(`^--(0[1-9]|1[0-2])${TZ}$`),
  gMonthDay: new RegExp(`^--(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])${TZ}$`),
  gDay: new RegExp(`^---(0[1-9]|[12]\\d|3[01])${TZ}$`),
};

const BASE64 = /^(?:[A-Za-z0-9+/]\s*[A-Za-z0-9+/]\s*[A-Za-z0-9+/]\s*[A-Za-z0-9+/]\s*)*(?:[A-Za-z0-9+/]\s*[A-Za-z0-9+/]\s*[A-Za-z0-9+/]\s*=\s*|[A-Za-z0-9+/]\s*[A-Za-z0-9+/]\s*=\s*=\s*)?$/;
const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

const cache = new Map<string, Builtin>();

/** The built-in for an XSD/soapenc local name; unknown names are strings. */
export function builtin(local: string): Builtin {
  const hit = cache.get(local);
  if (hit) return hit;
  let b: Builtin;
  const int = INTS[local];
  if (int) b = { local, kind: int[2], ...(int[0] !== undefined ? { min: int[0] } : {}), ...(int[1] !== undefined ? { max: int[1] } : {}) };
  else if (local === 'boolean') b = { local, kind: 'boolean' };
  else if (local === 'decimal') b = { local, kind: 'decimal' };
  else if (local === 'float' || local === 'double') b = { local, kind: 'float' };
  else if (local === 'base64Binary' || local === 'base64') b = { local, kind: 'base64' };
  else if (local === 'hexBinary') b = { local, kind: 'hex' };
  else if (TEMPORAL[local]) b = { local, kind: 'temporal', lexical: TEMPORAL[local] };
  else if (local === 'anyType') b = { local, kind: 'any' };
  else b = { local, kind: 'string' };
  cache.set(local, b);
  return b;
}

/** Whitespace handling of XSD: everything but string/normalizedString (and anyType) collapses. */
export function collapses(b: Builtin): boolean {
  return !(b.kind === 'string' && (b.local === 'string' || b.local === 'anySimpleType')) && b.kind !== 'any';
}

/** Plain decimal notation for a JS number (no exponent), or null when not finite. */
export function numberToDecimal(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  // Small magnitudes: 1e-7 → 0.0000001
  const [mant = '', expPart = '0'] = s.split(/e/i);
  const exp = Number.parseInt(expPart, 10);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const pointAt = (mant.replace('-', '').indexOf('.') < 0 ? mant.replace('-', '').length : mant.replace('-', '').indexOf('.')) + exp;
  const body = pointAt <= 0 ? `0.${'0'.repeat(-pointAt)}${digits}` : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (neg ? '-' : '') + body;
}

/**
 * XML text → JSON value for a built-in. Never throws: text a backend sends that does not fit
 * its type is kept as a string (responses are read leniently).
 */
export function textToJson(b: Builtin, raw: string): string | number | boolean {
  const t = collapses(b) ? raw.trim() : raw;
  switch (b.kind) {
    case 'boolean':
      return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : t;
    case 'int': {
      return /^[+-]?\d+$/.test(t) ? Number(t) : t;
    }
    case 'bigint': {
      if (!/^[+-]?\d+$/.test(t)) return t;
      const n = Number(t);
      return Number.isSafeInteger(n) ? n : t.replace(/^\+/, '');
    }
    case 'decimal': {
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return t;
      const n = Number(t);
      // Up to 15 significant digits survive a double exactly; beyond that keep the text.
      const significant = t.replace(/^[+-]/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      return significant.length <= 15 ? n : t;
    }
    case 'float': {
      if (t === 'INF' || t === '-INF' || t === 'NaN' || t === '+INF') return t.replace('+', '');
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? n : t;
    }
    default:
      return t;
  }
}

/**
 * JSON value → XML text for a built-in, or an `expected …` reason when the value does not fit.
 * Facets are checked separately (facets.ts).
 */
export function jsonToText(b: Builtin, v: unknown): { text: string } | { expected: string } {
  switch (b.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? { text: String(v) } : { expected: 'a boolean (true or false)' };
    case 'int':
    case 'bigint': {
      let text: string | null = null;
      if (typeof v === 'number' && Number.isInteger(v)) text = numberToDecimal(v);
      else if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) && b.kind === 'bigint') text = v.trim().replace(/^\+/, '');
      const what = b.kind === 'bigint' ? `an integer (xsd:${b.local}; a string of digits beyond 2^53)` : `an integer (xsd:${b.local})`;
      if (text === null) return { expected: what };
      if ((b.min !== undefined && cmpInt(text, b.min) < 0) || (b.max !== undefined && cmpInt(text, b.max) > 0)) {
        return { expected: `an integer between ${b.min ?? '-∞'} and ${b.max ?? '∞'} (xsd:${b.local})` };
      }
      return { text };
    }
    case 'decimal': {
      if (typeof v === 'number') {
        const text = numberToDecimal(v);
        return text === null ? { expected: 'a finite number (xsd:decimal)' } : { text };
      }
      if (typeof v === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v.trim())) return { text: v.trim() };
      return { expected: 'a number (xsd:decimal)' };
    }
    case 'float': {
      if (typeof v === 'number' && Number.isFinite(v)) return { text: String(v).replace('e+', 'E').replace('e-', 'E-') };
      if (v === 'INF' || v === '-INF' || v === 'NaN') return { text: v };
      return { expected: `a number (xsd:${b.local}; "INF", "-INF", "NaN" as strings)` };
    }
    case 'base64':
      return typeof v === 'string' && BASE64.test(v) ? { text: v } : { expected: 'a base64 string (xsd:base64Binary)' };
    case 'hex':
      return typeof v === 'string' && HEX.test(v.trim()) ? { text: v.trim() } : { expected: 'a hex string (xsd:hexBinary)' };
    case 'temporal':
      return typeof v === 'string' && (b.lexical?.test(v.trim()) ?? true) ? { text: v.trim() } : { expected: `a string in xsd:${b.local} form (${TEMPORAL_EXAMPLE[b.local] ?? b.local})` };
    case 'any':
      if (typeof v === 'string') return { text: v };
      if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v) };
      return { expected: 'a string, number or boolean' };
    default:
      return typeof v === 'string' ? { text: v } : { expected: `a string (xsd:${b.local})` };
  }
}

export const TEMPORAL_EXAMPLE: Record<string, string> = {
  dateTime: '2024-01-31T12:00:00Z',
  dateTimeStamp: '2024-01-31T12:00:00Z',
  date: '2024-01-31',
  time: '12:00:00',
  duration: 'P1DT2H',
  gYear: '2024',
  gYearMonth: '2024-01',
  gMonth: '--01',
  gMonthDay: '--01-31',
  gDay: '---31',
};

/**
 * Other lexical forms tried when a pattern facet restricts a temporal type and refuses both its
 * own sample and the example above (SAP: duration with pattern `[-P0-9D]{1,20}` wants days only).
 */
export const TEMPORAL_ALTERNATES: Record<string, readonly string[]> = {
  dateTime: ['2024-01-31T12:00:00', '2024-01-31T12:00:00.000Z', '2024-01-31T12:00:00+00:00'],
  dateTimeStamp: ['2024-01-31T12:00:00+00:00'],
  date: ['2024-01-31Z', '2024-01-31+00:00'],
  time: ['12:00:00Z', '12:00:00.000'],
  duration: ['P1D', 'PT1H', 'P1Y', 'P1M', 'PT1M', 'PT1S', 'P1Y2M3DT4H5M6S'],
};

/** Compares two integer decimal strings. */
export function cmpInt(a: string, b: string): number {
  // Up to 15 characters (sign included) a double holds the integer exactly: no BigInt needed.
  if (a.length <= 15 && b.length <= 15) {
    const m = Number(a);
    const n = Number(b);
    return m < n ? -1 : m > n ? 1 : 0;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
