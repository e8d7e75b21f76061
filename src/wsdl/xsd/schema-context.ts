import type { Unsupported } from '../model';
import { qn, type QName } from '../qname';
import { resolvePrefixed, type XmlElement } from '../xml/parse-xml';
import type { Form, SchemaSet } from './schema-model';

export type RefKind = 'type' | 'element' | 'group' | 'attributeGroup' | 'attribute';

/** A QName reference to check once every schema of the bundle is compiled. */
export interface PendingRef {
  kind: RefKind;
  name: QName;
  where: string;
}

/** Shared by every schema of one bundle. */
export interface SchemaSink {
  set: SchemaSet;
  unsupported: Unsupported[];
  refs: PendingRef[];
  /** Namespaces whose schemas were deliberately left out (skipped remote imports). */
  opaqueNamespaces: Set<string>;
}

/** Per schema document (or per include of a chameleon schema into a namespace). */
export interface SchemaCtx {
  sink: SchemaSink;
  file: string;
  tns: string;
  /** A no-namespace schema included into `tns`: its unqualified references move into `tns` too. */
  chameleon: boolean;
  elementForm: Form;
  attributeForm: Form;
}

export function where(ctx: SchemaCtx, el: XmlElement): string {
  const name = el.attrs.name ?? el.attrs.ref;
  return `${ctx.file}:${el.line} <${el.local}${name ? ` ${el.attrs.name ? 'name' : 'ref'}="${name}"` : ''}>`;
}

export function unsupported(ctx: SchemaCtx, el: XmlElement, construct: string): void {
  ctx.sink.unsupported.push({ construct, where: where(ctx, el) });
}

/** Resolves a QName-valued attribute and queues it for the existence check. */
export function ref(ctx: SchemaCtx, el: XmlElement, value: string | undefined, kind: RefKind): QName | null {
  if (value === undefined || value.trim() === '') return null;
  const r = resolvePrefixed(el, value);
  if ('error' in r) {
    unsupported(ctx, el, `${kind} reference with ${r.error}`);
    return null;
  }
  const ns = r.ns === '' && ctx.chameleon ? ctx.tns : r.ns;
  const name = qn(ns, r.local);
  ctx.sink.refs.push({ kind, name, where: where(ctx, el) });
  return name;
}

export function occurs(el: XmlElement): { minOccurs: number; maxOccurs: number } {
  const min = el.attrs.minOccurs === undefined ? 1 : Number.parseInt(el.attrs.minOccurs, 10);
  const maxRaw = el.attrs.maxOccurs?.trim();
  const max = maxRaw === undefined ? 1 : maxRaw === 'unbounded' ? -1 : Number.parseInt(maxRaw, 10);
  return { minOccurs: Number.isFinite(min) ? min : 1, maxOccurs: Number.isFinite(max) ? max : 1 };
}

export function formOf(value: string | undefined, fallback: Form): Form {
  return value === 'qualified' || value === 'unqualified' ? value : fallback;
}

export function bool(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

export function processContents(value: string | undefined): 'strict' | 'lax' | 'skip' {
  return value === 'lax' || value === 'skip' ? value : 'strict';
}
