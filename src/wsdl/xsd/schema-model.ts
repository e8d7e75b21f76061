import type { QName } from '../qname';

/**
 * The XSD part of the model: global components by QName plus per-namespace defaults. Local
 * element/attribute names are already qualified according to their `form`, so a mapper never
 * re-derives elementFormDefault. References (element ref, group ref, attributeGroup ref) are kept
 * as references: groups may be recursive, and the JSON model must stay a tree.
 */
export interface SchemaSet {
  namespaces: Record<string, { elementFormDefault: Form; attributeFormDefault: Form }>;
  elements: Record<QName, ElementDecl>;
  types: Record<QName, TypeDef>;
  groups: Record<QName, ModelGroupDef>;
  attributeGroups: Record<QName, AttributeGroupDef>;
  attributes: Record<QName, AttributeDecl>;
}

export type Form = 'qualified' | 'unqualified';

export interface ElementDecl {
  name: QName;
  /** Named type; null when `typeDef` holds an anonymous type. */
  type: QName | null;
  typeDef: TypeDef | null;
  nillable: boolean;
  abstract: boolean;
  substitutionGroup: QName | null;
  default: string | null;
  fixed: string | null;
}

export type TypeDef = ComplexType | SimpleType;

export interface ComplexType {
  kind: 'complex';
  name: QName | null;
  abstract: boolean;
  mixed: boolean;
  content: ComplexContent;
  /** Own attribute uses (derived types: only those the derivation adds). */
  attributes: AttributeUse[];
  anyAttribute: Wildcard | null;
  /** soapenc:Array restriction: the item type from wsdl:arrayType (`xsd:string[]` → item xsd:string). */
  soapArray: { itemType: QName; dimensions: string } | null;
}

export type ComplexContent =
  | { kind: 'empty' }
  | { kind: 'particle'; particle: Particle }
  | { kind: 'extension' | 'restriction'; base: QName; particle: Particle | null }
  | { kind: 'simpleExtension' | 'simpleRestriction'; base: QName; facets: Facets };

export type Particle = ElementParticle | GroupParticle | GroupRefParticle | AnyParticle;

interface Occurs {
  minOccurs: number;
  /** -1 = unbounded */
  maxOccurs: number;
}

export interface ElementParticle extends Occurs {
  kind: 'element';
  /** Qualified per `form` (or the referenced global element's name when `ref`). */
  name: QName;
  ref: boolean;
  type: QName | null;
  typeDef: TypeDef | null;
  form: Form;
  nillable: boolean;
  default: string | null;
  fixed: string | null;
}

export interface GroupParticle extends Occurs {
  kind: 'sequence' | 'choice' | 'all';
  particles: Particle[];
}

export interface GroupRefParticle extends Occurs {
  kind: 'groupRef';
  ref: QName;
}

export interface AnyParticle extends Occurs {
  kind: 'any';
  namespace: string;
  processContents: 'strict' | 'lax' | 'skip';
}

export interface Wildcard {
  namespace: string;
  processContents: 'strict' | 'lax' | 'skip';
}

export type AttributeUse =
  | {
      kind: 'attribute';
      name: QName;
      ref: boolean;
      type: QName | null;
      typeDef: SimpleType | null;
      use: 'optional' | 'required' | 'prohibited';
      form: Form;
      default: string | null;
      fixed: string | null;
      /** wsdl:arrayType on a soapenc:arrayType attribute, resolved. */
      arrayType: QName | null;
    }
  | { kind: 'attributeGroupRef'; ref: QName };

export interface AttributeDecl {
  name: QName;
  type: QName | null;
  typeDef: SimpleType | null;
}

export interface ModelGroupDef {
  name: QName;
  particle: Particle | null;
}

export interface AttributeGroupDef {
  name: QName;
  attributes: AttributeUse[];
  anyAttribute: Wildcard | null;
}

export interface Facets {
  enumeration?: string[];
  pattern?: string[];
  length?: number;
  minLength?: number;
  maxLength?: number;
  minInclusive?: string;
  maxInclusive?: string;
  minExclusive?: string;
  maxExclusive?: string;
  totalDigits?: number;
  fractionDigits?: number;
  whiteSpace?: string;
}

export type SimpleType =
  | { kind: 'simple'; name: QName | null; variety: 'atomic'; base: QName | null; baseDef: SimpleType | null; facets: Facets }
  | { kind: 'simple'; name: QName | null; variety: 'list'; itemType: QName | null; itemDef: SimpleType | null; facets: Facets }
  | { kind: 'simple'; name: QName | null; variety: 'union'; memberTypes: QName[]; memberDefs: SimpleType[]; facets: Facets };
