import type { QName } from '../wsdl/qname';
import type { Facets } from '../wsdl/model';
import type { Builtin } from './builtins';

// The shapes SchemaView hands out: XSD types, elements, attributes and content as the JSON
// mapping sees them.

export interface SimpleInfo {
  name: QName | null;
  builtin: Builtin;
  /** Facets of every derivation step, nearest first (patterns AND across steps). */
  steps: Facets[];
  enumeration: string[] | null;
  list: SimpleInfo | null;
  union: SimpleInfo[] | null;
}

export type TypeInfo = { kind: 'simple'; simple: SimpleInfo } | { kind: 'complex'; complex: ComplexInfo };

export interface ElementInfo {
  name: QName;
  /** JSON key: the local name. */
  key: string;
  min: number;
  /** -1 = unbounded */
  max: number;
  nillable: boolean;
  default: string | null;
  fixed: string | null;
  /** Named type (for xsi:type and OpenAPI component names), null when anonymous. */
  typeName: QName | null;
  type(): TypeInfo;
}

export type NParticle =
  | { kind: 'element'; min: number; max: number; el: ElementInfo }
  | { kind: 'sequence' | 'all'; min: number; max: number; items: NParticle[] }
  | {
      kind: 'choice';
      min: number;
      max: number;
      items: NParticle[];
      /**
       * Set when the choice stands for a reference to a substitution group head: the items are
       * the head (unless abstract) and every non-abstract member, each 1..1; the choice carries
       * the reference's occurrences.
       */
      head?: { name: QName; abstract: boolean };
    }
  | { kind: 'any'; min: number; max: number; namespace: string; processContents: 'strict' | 'lax' | 'skip' };

export interface AttrInfo {
  name: QName;
  /** JSON key: `@` + local name. */
  key: string;
  required: boolean;
  default: string | null;
  fixed: string | null;
  simple: SimpleInfo;
}

/** One place a child element can land in the JSON object of its parent. */
export interface Slot {
  key: string;
  el: ElementInfo;
  /** An array in JSON: maxOccurs > 1 on the element or on an enclosing group. */
  repeated: boolean;
}

export interface ComplexInfo {
  name: QName | null;
  abstract: boolean;
  mixed: boolean;
  attributes: AttrInfo[];
  anyAttribute: boolean;
  /** Element content (base content first for extensions); null for empty or simple content. */
  particle: NParticle | null;
  /** simpleContent: the type of `$value`. */
  simpleContent: SimpleInfo | null;
  /** soapenc:Array: the item type; the JSON is an array. */
  arrayItem: { typeName: QName; type: () => TypeInfo } | null;
  slots: Map<string, Slot>;
  /** Element QName → slot, for reading. */
  byName: Map<QName, Slot>;
  /** A wildcard (`any` element) in the content: `$any` holds raw XML. */
  wildcard: { repeated: boolean } | null;
  /** Abstract substitution group heads of the content: head key → the member keys that stand in for it. */
  abstractHeads: Map<string, string[]>;
}
