import { qnLocal, type QName } from '../wsdl/qname';
import type { ComplexInfo, ElementInfo, NParticle, SchemaView, SimpleInfo, TypeInfo } from '../facade/schema-view';
import { textToSimple, unicodePattern } from '../facade/simple-value';
import { TEMPORAL_EXAMPLE } from '../facade/builtins';
import type { MessageShape } from '../facade/message-shape';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it) as plain data. */
export type JsonSchema = { [k: string]: unknown };

const FORMATS: Record<string, string> = { dateTime: 'date-time', dateTimeStamp: 'date-time', date: 'date', time: 'time', duration: 'duration', anyURI: 'uri' };

/**
 * XSD → JSON Schema for the facade's JSON convention (src/facade/README.md). Named XSD types
 * become components (so recursion is a `$ref`), anonymous ones are inlined. A named complex type
 * with derived types is used through `oneOf` + a `$type` discriminator.
 */
export class SchemaGenerator {
  readonly components: Record<string, JsonSchema> = {};
  private readonly names = new Map<QName, string>();
  private readonly used = new Set<string>();

  constructor(private readonly view: SchemaView) {}

  /** A component name that is unique and matches OpenAPI's `^[a-zA-Z0-9._-]+$`. */
  reserve(wanted: string): string {
    const base = wanted.replace(/[^a-zA-Z0-9._-]/g, '_') || 'Schema';
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** The JSON object of a message (request or response body). */
  message(shape: MessageShape): JsonSchema {
    let schema: JsonSchema;
    if (shape.kind === 'content') {
      schema = this.occurrence(shape.element);
    } else {
      const properties: Record<string, JsonSchema> = {};
      for (const p of shape.parts) properties[p.key] = this.occurrence(p.el);
      schema = { type: 'object', properties, required: shape.parts.map((p) => p.key), additionalProperties: false };
    }
    if (shape.headers.length > 0) {
      const hp: Record<string, JsonSchema> = {};
      for (const h of shape.headers) hp[h.key] = this.occurrence(h.el);
      const headers: JsonSchema = { type: 'object', description: 'SOAP headers bound to this operation, by part name', properties: hp, additionalProperties: false };
      // Object schemas refuse unknown members, so $headers is added to a copy of the body's object schema.
      const ref = typeof schema.$ref === 'string' ? this.components[schema.$ref.slice('#/components/schemas/'.length)] : undefined;
      const obj = schema.type === 'object' ? schema : ref?.type === 'object' ? ref : null;
      schema = obj ? { ...obj, properties: { ...(obj.properties as object), $headers: headers } } : { allOf: [schema], properties: { $headers: headers } };
    }
    return schema;
  }

  /** One occurrence of an element (nillable → also null). */
  occurrence(el: ElementInfo): JsonSchema {
    const s = this.typed(el.type(), el.typeName);
    return el.nillable ? nullable(s) : s;
  }

  private typed(t: TypeInfo, typeName: QName | null): JsonSchema {
    if (typeName && this.view.schema.types[typeName]) {
      const ref = this.ref(typeName);
      if (t.kind !== 'complex') return ref;
      const subs = this.view.subtypesOf(typeName).filter((s) => {
        const st = this.view.typeByName(s);
        return st.kind === 'complex' && !st.complex.abstract;
      });
      if (subs.length === 0) return ref;
      const mapping: Record<string, string> = {};
      const oneOf: JsonSchema[] = [];
      if (!t.complex.abstract) {
        oneOf.push(ref);
        mapping[qnLocal(typeName)] = ref.$ref as string;
      }
      for (const s of subs) {
        const r = this.ref(s);
        mapping[qnLocal(s)] = r.$ref as string;
        oneOf.push({ allOf: [r], required: ['$type'] });
      }
      return { oneOf, discriminator: { propertyName: '$type', mapping } };
    }
    return t.kind === 'simple' ? this.simple(t.simple) : this.complex(t.complex, typeName);
  }

  private ref(name: QName): JsonSchema {
    let c = this.names.get(name);
    if (!c) {
      c = this.reserve(qnLocal(name));
      this.names.set(name, c);
      this.components[c] = {}; // placeholder: recursion ends at the $ref
      const t = this.view.typeByName(name);
      this.components[c] = t.kind === 'simple' ? this.simple(t.simple) : this.complex(t.complex, name);
    }
    return { $ref: `#/components/schemas/${c}` };
  }

  simple(info: SimpleInfo): JsonSchema {
    if (info.list) return { type: 'array', items: this.simple(info.list), description: 'xsd:list (space-separated in XML)' };
    if (info.union) return { type: 'string', description: 'xsd:union (its text)' };
    const b = info.builtin;
    let s: JsonSchema;
    switch (b.kind) {
      case 'boolean':
        s = { type: 'boolean' };
        break;
      case 'int':
        s = { type: 'integer', format: b.local === 'int' ? 'int32' : undefined, minimum: b.min === undefined ? undefined : Number(b.min), maximum: b.max === undefined ? undefined : Number(b.max) };
        break;
      case 'bigint':
        s = { type: ['integer', 'string'], format: b.local === 'long' ? 'int64' : undefined, pattern: '^[+-]?[0-9]+$', description: `xsd:${b.local}: a number while within ±2^53, else a string of digits` };
        break;
      case 'decimal':
        s = { type: ['number', 'string'], pattern: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$', description: 'xsd:decimal: a number, or a string when more than 15 significant digits' };
        break;
      case 'float':
        s = { type: ['number', 'string'], format: b.local, pattern: '^(-?INF|NaN)$' };
        break;
      case 'base64':
        s = { type: 'string', contentEncoding: 'base64' };
        break;
      case 'hex':
        s = { type: 'string', pattern: '^([0-9A-Fa-f]{2})*$' };
        break;
      case 'temporal':
        s = { type: 'string', format: FORMATS[b.local], description: `xsd:${b.local}`, examples: [TEMPORAL_EXAMPLE[b.local]] };
        break;
      case 'any':
        s = { description: 'xsd:anyType' };
        break;
      default:
        s = { type: 'string', format: FORMATS[b.local] };
    }
    if (info.enumeration) {
      s = { ...(typeof s.type === 'string' ? { type: s.type } : {}), enum: info.enumeration.map((e) => textToSimple(info, e)) };
    }
    const numeric = b.kind === 'int' || b.kind === 'bigint' || b.kind === 'decimal' || b.kind === 'float';
    for (const f of [...info.steps].reverse()) {
      if (!numeric && b.kind !== 'base64' && b.kind !== 'hex') {
        if (f.length !== undefined) Object.assign(s, { minLength: f.length, maxLength: f.length });
        if (f.minLength !== undefined) s.minLength = f.minLength;
        if (f.maxLength !== undefined) s.maxLength = f.maxLength;
        const p = f.pattern?.[0];
        const u = p !== undefined && f.pattern?.length === 1 ? unicodePattern(p) : null;
        if (u !== null) s.pattern = `^(?:${u})$`;
      }
      if (numeric) {
        if (f.minInclusive !== undefined && Number.isFinite(Number(f.minInclusive))) s.minimum = Number(f.minInclusive);
        if (f.maxInclusive !== undefined && Number.isFinite(Number(f.maxInclusive))) s.maximum = Number(f.maxInclusive);
        if (f.minExclusive !== undefined && Number.isFinite(Number(f.minExclusive))) s.exclusiveMinimum = Number(f.minExclusive);
        if (f.maxExclusive !== undefined && Number.isFinite(Number(f.maxExclusive))) s.exclusiveMaximum = Number(f.maxExclusive);
      }
    }
    return clean(s);
  }

  complex(info: ComplexInfo, name: QName | null): JsonSchema {
    if (info.arrayItem) {
      return { type: 'array', items: nullable(this.typed(info.arrayItem.type(), info.arrayItem.typeName)), description: 'soapenc:Array' };
    }
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    if (name) properties.$type = { const: qnLocal(name), description: 'xsi:type of this value (needed for derived types)' };
    for (const a of info.attributes) {
      properties[a.key] = { ...this.simple(a.simple), description: `attribute ${qnLocal(a.name)}` };
      if (a.required) required.push(a.key);
    }
    if (info.simpleContent) {
      properties.$value = this.simple(info.simpleContent);
      required.push('$value');
    } else if (info.mixed) properties.$value = { type: 'string', description: 'mixed content text' };
    if (info.particle) this.particle(info, info.particle, true, properties, required);
    const s: JsonSchema = { type: 'object', properties, additionalProperties: info.anyAttribute ? { type: 'string' } : false };
    if (required.length > 0) s.required = [...new Set(required)];
    const choices = describeChoices(info.particle);
    if (choices.length > 0) s.description = choices.join('; ');
    return s;
  }

  private particle(info: ComplexInfo, p: NParticle, req: boolean, properties: Record<string, JsonSchema>, required: string[]): void {
    if (p.kind === 'element') {
      const slot = info.slots.get(p.el.key);
      if (!slot || properties[p.el.key]) return;
      const one = this.occurrence(p.el);
      if (slot.repeated) {
        const arr: JsonSchema = { type: 'array', items: one };
        if (p.min > 0 && req) arr.minItems = p.min;
        if (p.max > 1 && p.max === slot.el.max) arr.maxItems = p.max;
        properties[p.el.key] = arr;
      } else properties[p.el.key] = one;
      if (req && p.min > 0) required.push(p.el.key);
      return;
    }
    if (p.kind === 'any') {
      const rep = info.wildcard?.repeated ?? false;
      properties.$any = rep ? { type: 'array', items: { type: 'string' }, description: 'raw XML (any-wildcard content)' } : { type: 'string', description: 'raw XML (any-wildcard content)' };
      if (req && p.min > 0) required.push('$any');
      return;
    }
    const inner = req && p.min > 0 && p.kind !== 'choice';
    for (const c of p.items) this.particle(info, c, inner, properties, required);
  }
}

function describeChoices(p: NParticle | null): string[] {
  if (!p || p.kind === 'element' || p.kind === 'any') return [];
  const here = p.kind !== 'choice' ? [] : p.head ? [describeSubstitution(p)] : [`xsd:choice: exactly one of ${p.items.map(keysOf).map((k) => k.join('+')).join(', ')}`];
  return [...here, ...p.items.flatMap(describeChoices)];
}

function describeSubstitution(p: NParticle & { kind: 'choice' }): string {
  const head = p.head ? qnLocal(p.head.name) : '';
  const members = p.items.map(keysOf).flat().join(', ');
  const where = `substitution group of ${head}${p.head?.abstract ? ' (abstract)' : ''}`;
  if (p.max === 1) return `${where}: ${p.min > 0 ? 'exactly' : 'at most'} one of ${members}`;
  const range = `${p.min}..${p.max === -1 ? 'unbounded' : p.max}`;
  return `${where}: arrays under ${members}, ${range} items in all, written member by member in key order`;
}

function keysOf(p: NParticle): string[] {
  if (p.kind === 'element') return [p.el.key];
  if (p.kind === 'any') return ['$any'];
  return p.items.flatMap(keysOf);
}

export function nullable(s: JsonSchema): JsonSchema {
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'], ...(Array.isArray(s.enum) ? { enum: [...(s.enum as unknown[]), null] } : {}) };
  if (Array.isArray(s.type)) return (s.type as unknown[]).includes('null') ? s : { ...s, type: [...(s.type as unknown[]), 'null'] };
  return { anyOf: [s, { type: 'null' }] };
}

function clean(s: JsonSchema): JsonSchema {
  for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
  return s;
}
