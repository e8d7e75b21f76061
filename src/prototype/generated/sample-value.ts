import { NS, qnLocal, qnNs, type QName } from '../../wsdl/qname';
import type { Facets, SchemaSet, SimpleType } from '../../wsdl/model';
import { sampleForPattern } from '../../facade/regex-sample';

/**
 * Sample text for a simple type, valid for its built-in base and the facets of every derivation
 * step: the first enumeration value, a value inside numeric bounds, a string of an allowed
 * length, a string matching the pattern. IDs are numbered so a document never repeats one.
 */
interface Resolved {
  builtin: string;
  /** Nearest derivation step first. */
  steps: Facets[];
  list: Resolved | null;
  union: Resolved[] | null;
}

const BUILTIN_NS = new Set<string>([NS.xsd, NS.soapenc, NS.soap12enc]);

const INT_BOUNDS: Record<string, [bigint | null, bigint | null]> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [-9223372036854775808n, 9223372036854775807n],
  unsignedByte: [0n, 255n],
  unsignedShort: [0n, 65535n],
  unsignedInt: [0n, 4294967295n],
  unsignedLong: [0n, 18446744073709551615n],
  integer: [null, null],
  nonNegativeInteger: [0n, null],
  positiveInteger: [1n, null],
  nonPositiveInteger: [null, 0n],
  negativeInteger: [null, -1n],
};

const FIXED: Record<string, string> = {
  boolean: 'true',
  dateTime: '2024-01-31T12:00:00Z',
  dateTimeStamp: '2024-01-31T12:00:00Z',
  date: '2024-01-31',
  time: '12:00:00',
  duration: 'P1D',
  gYear: '2024',
  gYearMonth: '2024-01',
  gMonth: '--01',
  gMonthDay: '--01-31',
  gDay: '---31',
  anyURI: 'http://example.com/',
  language: 'en',
  QName: 'sample',
  NOTATION: 'sample',
};

export class SampleValues {
  private ids = 0;

  constructor(private readonly schema: SchemaSet) {}

  /** A value for a named type (built-in or from the schema) or an anonymous one. */
  forType(name: QName | null, def: SimpleType | null): string {
    return this.value(def ? this.resolveDef(def, 0) : this.resolveName(name, 0));
  }

  private resolveName(name: QName | null, depth: number): Resolved {
    if (name === null || depth > 32) return { builtin: 'string', steps: [], list: null, union: null };
    const def = this.schema.types[name];
    if (def?.kind === 'simple') return this.resolveDef(def, depth + 1);
    if (def?.kind === 'complex') {
      const c = def.content;
      if (c.kind === 'simpleExtension') return this.resolveName(c.base, depth + 1);
      if (c.kind === 'simpleRestriction') {
        const base = this.resolveName(c.base, depth + 1);
        return { ...base, steps: [c.facets, ...base.steps] };
      }
      return { builtin: 'string', steps: [], list: null, union: null };
    }
    const local = BUILTIN_NS.has(qnNs(name)) ? qnLocal(name) : 'string';
    if (local === 'NMTOKENS' || local === 'IDREFS' || local === 'ENTITIES') {
      return { builtin: 'string', steps: [], list: this.resolveName(`{${NS.xsd}}${local.slice(0, -1)}`, depth + 1), union: null };
    }
    return { builtin: local, steps: [], list: null, union: null };
  }

  private resolveDef(def: SimpleType, depth: number): Resolved {
    if (depth > 32) return { builtin: 'string', steps: [], list: null, union: null };
    if (def.variety === 'list') {
      const item = def.itemDef ? this.resolveDef(def.itemDef, depth + 1) : this.resolveName(def.itemType, depth + 1);
      return { builtin: 'string', steps: [def.facets], list: item, union: null };
    }
    if (def.variety === 'union') {
      const members = [...def.memberTypes.map((m) => this.resolveName(m, depth + 1)), ...def.memberDefs.map((d) => this.resolveDef(d, depth + 1))];
      return { builtin: 'string', steps: [def.facets], list: null, union: members };
    }
    const base = def.baseDef ? this.resolveDef(def.baseDef, depth + 1) : this.resolveName(def.base, depth + 1);
    return { ...base, steps: [def.facets, ...base.steps] };
  }

  private value(r: Resolved): string {
    const enumeration = r.steps.find((f) => f.enumeration && f.enumeration.length > 0)?.enumeration;
    if (enumeration) return enumeration[0] as string;
    if (r.list) {
      const f = merged(r.steps);
      const n = Math.max(1, f.length ?? f.minLength ?? 1);
      return Array.from({ length: n }, () => this.value(r.list as Resolved)).join(' ');
    }
    if (r.union) {
      const first = r.union[0];
      return first ? this.value(first) : 'sample';
    }
    const patterns = r.steps.map((f) => f.pattern).find((p) => p && p.length > 0);
    if (patterns) {
      const s = sampleForPattern(patterns[0] as string);
      if (s !== null) return s;
    }
    return this.atomic(r);
  }

  private atomic(r: Resolved): string {
    const f = merged(r.steps);
    const b = r.builtin;
    if (FIXED[b] !== undefined) return FIXED[b];
    const bounds = INT_BOUNDS[b];
    if (bounds) return integerIn(f, bounds);
    if (b === 'decimal' || b === 'float' || b === 'double') return decimalIn(f, b === 'decimal');
    if (b === 'base64Binary') return Buffer.alloc(f.length ?? f.minLength ?? 3).toString('base64');
    if (b === 'hexBinary') return '00'.repeat(f.length ?? f.minLength ?? 1);
    if (b === 'ID') return sized(`id${++this.ids}`, f);
    return sized('sample', f);
  }
}

/** The tightest of every step's facets (bounds and lengths are intersected). */
function merged(steps: Facets[]): Facets {
  const out: Facets = {};
  for (const f of [...steps].reverse()) Object.assign(out, Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));
  return out;
}

function sized(base: string, f: Facets): string {
  const want = f.length ?? Math.min(Math.max(base.length, f.minLength ?? 0), f.maxLength ?? Number.MAX_SAFE_INTEGER);
  if (want <= base.length) return base.slice(0, want);
  return base + 'x'.repeat(want - base.length);
}

function integerIn(f: Facets, [bmin, bmax]: [bigint | null, bigint | null]): string {
  const big = (s: string | undefined): bigint | null => (s !== undefined && /^[+-]?\d+(\.0*)?$/.test(s.trim()) ? BigInt(s.trim().replace(/\..*$/, '')) : null);
  const max = (a: bigint | null, b: bigint | null): bigint | null => (a === null ? b : b === null ? a : a > b ? a : b);
  const min = (a: bigint | null, b: bigint | null): bigint | null => (a === null ? b : b === null ? a : a < b ? a : b);
  const excl = (s: string | undefined, d: bigint): bigint | null => {
    const v = big(s);
    return v === null ? null : v + d;
  };
  const lo = max(max(bmin, big(f.minInclusive)), excl(f.minExclusive, 1n));
  const hi = min(min(bmax, big(f.maxInclusive)), excl(f.maxExclusive, -1n));
  let v = 1n;
  if (lo !== null && v < lo) v = lo;
  if (hi !== null && v > hi) v = hi;
  if (f.totalDigits !== undefined && v.toString().replace('-', '').length > f.totalDigits && lo === null) v = 0n;
  return v.toString();
}

function decimalIn(f: Facets, decimal: boolean): string {
  const num = (s: string | undefined): number | null => (s === undefined || Number.isNaN(Number(s)) ? null : Number(s));
  const loIn = num(f.minInclusive);
  const loEx = num(f.minExclusive);
  const hiIn = num(f.maxInclusive);
  const hiEx = num(f.maxExclusive);
  const ok = (v: number): boolean => (loIn === null || v >= loIn) && (loEx === null || v > loEx) && (hiIn === null || v <= hiIn) && (hiEx === null || v < hiEx);
  const lo = loIn ?? loEx;
  const hi = hiIn ?? hiEx;
  const candidates = [1, lo !== null && hi !== null ? (lo + hi) / 2 : null, loIn, hiIn, loEx !== null ? loEx + 1 : null, hiEx !== null ? hiEx - 1 : null, 0];
  let v = candidates.find((c): c is number => c !== null && ok(c)) ?? 1;
  if (f.fractionDigits !== undefined) v = Number(v.toFixed(f.fractionDigits));
  if (decimal) return Number.isInteger(v) ? String(v) : v.toFixed(Math.min(f.fractionDigits ?? 6, 6)).replace(/0+$/, '');
  return String(v);
}
