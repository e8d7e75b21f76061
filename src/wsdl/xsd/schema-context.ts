import type { Unsupported } from '../model';
import { isXsdBuiltinType } from '../builtin/known-namespaces';
import { NS, qn, type QName } from '../qname';
import { resolvePrefixed, type XmlElement } from '../xml/parse-xml';
import type { Form, SchemaSet } from './schema-model';

export type RefKind = 'type' | 'element' | 'group' | 'attributeGroup' | 'attribute';

/** A QName reference to check once every schema of the bundle is compiled. */
export interface PendingRef {
  kind: RefKind;
  name: QName;
  file: string;
  /** The referencing element; `where(ctx, el)` is built only for the few refs that fail. */
  el: XmlElement;
  ctx: SchemaCtx;
}

/** `file:line <element name="…">` of a pending reference (for messages). */
export function whereOf(r: PendingRef): string {
  return where(r.ctx, r.el);
}

/** Shared by every schema of one bundle. */
export interface SchemaSink {
  set: SchemaSet;
  unsupported: Unsupported[];
  refs: PendingRef[];
  /** Namespaces whose schemas were deliberately left out (skipped remote imports). */
  opaqueNamespaces: Set<string>;
  /** References into a namespace the referring schema never imports (XSD src-resolve.4.2). */
  unimported: PendingRef[];
  /** Namespaces of xs:imports whose schemaLocation was not found. */
  missingNamespaces: Set<string>;
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
  /** Namespaces this schema document may reference: its own, XSD, and those it xs:imports. */
  visible: ReadonlySet<string>;
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
  const ns = r.ns === '' && !value.includes(':') && el.scope[''] === undefined ? unprefixedNs(ctx, kind, r.local) : r.ns;
  const name = qn(ns, r.local);
  const pending: PendingRef = { kind, name, file: ctx.file, el, ctx };
  ctx.sink.refs.push(pending);
  if (!ctx.visible.has(ns)) ctx.sink.unimported.push(pending);
  return name;
}

/**
 * An unprefixed reference with no default namespace means "no namespace" in XSD. Chameleon
 * includes move it into the including namespace (XSD rule); beyond that, WSDLs as old as the
 * WSDL 1.1 spec's own StockQuote write `type="string"` for xsd:string or `ref="B"` for a group
 * of their own targetNamespace, and every SOAP stack accepts it, so we do too.
 */
function unprefixedNs(ctx: SchemaCtx, kind: RefKind, local: string): string {
  if (ctx.chameleon) return ctx.tns;
  if (kind === 'type' && isXsdBuiltinType(local)) return NS.xsd;
  return ctx.tns;
}

export function minOccurs(el: XmlElement): number {
  const raw = el.attrs.minOccurs;
  if (raw === undefined) return 1;
  const min = Number.parseInt(raw, 10);
  return Number.isFinite(min) ? min : 1;
}

/** -1 for unbounded. */
export function maxOccurs(el: XmlElement): number {
  const raw = el.attrs.maxOccurs?.trim();
  if (raw === undefined) return 1;
  const max = raw === 'unbounded' ? -1 : Number.parseInt(raw, 10);
  return Number.isFinite(max) ? max : 1;
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
