import { WsdlImportError } from '../errors';
import type { Unsupported } from '../model';
import { NS, qn, qnNs, type QName } from '../qname';
import { resolvePrefixed, type XmlElement } from '../xml/parse-xml';

/**
 * WSDL 2.0 components as written, before references are resolved (wsdl20-link.ts turns them
 * into the same model WSDL 1.1 produces). Names are QNames in the description's targetNamespace.
 */

/** An interface message reference's `element`: a QName, or one of the message content models. */
export type MessageContent = { kind: 'element'; name: QName } | { kind: '#any' | '#none' | '#other' };

export interface InterfaceOperation20 {
  name: QName;
  /** The MEP IRI, `http://www.w3.org/ns/wsdl/in-out` when absent (WSDL 2.0 default). */
  pattern: string;
  styles: string[];
  safe: boolean;
  input: MessageContent | null;
  output: MessageContent | null;
  /** infault/outfault references to interface faults. */
  faultRefs: QName[];
  /** Non-standard `<wsoap:operation soapAction>` inside the interface operation (Imposter's files). */
  soapActionHint: string | null;
  /** WS-Addressing `wsaw:Action` of the input, the action Axis2 dispatches on. */
  inputAction: string | null;
  line: number;
}

export interface Interface20 {
  name: QName;
  extends: QName[];
  faults: { name: QName; content: MessageContent }[];
  operations: InterfaceOperation20[];
  file: string;
  line: number;
  el: XmlElement;
}

export interface BindingOperation20 {
  ref: QName;
  action: string | null;
  mep: string | null;
  line: number;
}

export interface Binding20 {
  name: QName;
  interface: QName | null;
  type: string;
  /** wsoap:version as written (null: absent). */
  version: string | null;
  protocol: string | null;
  mepDefault: string | null;
  operations: BindingOperation20[];
  /** Binding operations that carry wsoap:header / wsoap:module (not modelled). */
  extras: string[];
  file: string;
  line: number;
  el: XmlElement;
}

export interface Service20 {
  name: QName;
  interface: QName | null;
  endpoints: { name: string; binding: QName | null; address: string | null; line: number }[];
  file: string;
  el: XmlElement;
}

export interface Wsdl20Parts {
  interfaces: Map<QName, Interface20>;
  bindings: Map<QName, Binding20>;
  services: Service20[];
}

/**
 * The final WSDL 2.0 SOAP binding namespace and the 2006 candidate-recommendation one that
 * Axis2-era files still declare for `wsoap:` attributes; both mean the same attributes.
 */
const WSOAP_NS = ['http://www.w3.org/ns/wsdl/soap', 'http://www.w3.org/2006/01/wsdl/soap'];

function wsoapAttr(el: XmlElement, local: string): string | null {
  for (const ns of WSOAP_NS) {
    const v = el.attrs[`{${ns}}${local}`];
    if (v !== undefined) return v.trim();
  }
  return null;
}

function label(el: XmlElement): string {
  const name = el.attrs.name ?? el.attrs.ref;
  return `<${el.local}${name !== undefined ? ` ${el.attrs.name !== undefined ? 'name' : 'ref'}="${name}"` : ''}>`;
}

function ref(file: string, el: XmlElement, attr: string): QName {
  const raw = el.attrs[attr];
  if (raw === undefined) throw new WsdlImportError(file, `line ${el.line} ${label(el)} lacks the ${attr} attribute`);
  const r = resolvePrefixed(el, raw);
  if ('error' in r) throw new WsdlImportError(file, `line ${el.line} ${label(el)} ${attr}="${raw}": ${r.error}`);
  return qn(r.ns, r.local);
}

function optionalRef(file: string, el: XmlElement, attr: string): QName | null {
  return el.attrs[attr] === undefined ? null : ref(file, el, attr);
}

function content(file: string, el: XmlElement): MessageContent {
  const v = el.attrs.element?.trim();
  if (v === undefined) return { kind: '#other' };
  if (v === '#any' || v === '#none' || v === '#other') return { kind: v };
  return { kind: 'element', name: ref(file, el, 'element') };
}

/** Reads one `<description>` into `into` (first definition of a name wins, as for WSDL 1.1). */
export function readDescription(file: string, root: XmlElement, into: Wsdl20Parts, unsupported: Unsupported[]): void {
  const tns = root.attrs.targetNamespace ?? '';
  for (const c of root.children) {
    if (c.ns !== NS.wsdl20) {
      if (c.attrs[`{${NS.wsdl20}}required`] === 'true') unsupported.push({ construct: `required extension {${c.ns}}${c.local}`, where: `${file}:${c.line}` });
      continue;
    }
    const name = qn(tns, c.attrs.name ?? '');
    if (c.local === 'interface' && !into.interfaces.has(name)) into.interfaces.set(name, readInterface(file, c, name, tns, unsupported));
    else if (c.local === 'binding' && !into.bindings.has(name)) into.bindings.set(name, readBinding(file, c, name));
    else if (c.local === 'service') into.services.push(readService(file, c, name));
  }
}

function readInterface(file: string, el: XmlElement, name: QName, tns: string, unsupported: Unsupported[]): Interface20 {
  const ext = (el.attrs.extends ?? '').split(/\s+/).filter(Boolean);
  const extendsList = ext.map((raw) => {
    const r = resolvePrefixed(el, raw);
    if ('error' in r) throw new WsdlImportError(file, `line ${el.line} ${label(el)} extends="${raw}": ${r.error}`);
    return qn(r.ns, r.local);
  });
  const faults: Interface20['faults'] = [];
  const operations: InterfaceOperation20[] = [];
  for (const c of el.children) {
    if (c.ns !== NS.wsdl20) continue;
    if (c.local === 'fault') faults.push({ name: qn(tns, c.attrs.name ?? ''), content: content(file, c) });
    else if (c.local === 'operation') operations.push(readInterfaceOperation(file, c, qn(tns, c.attrs.name ?? ''), unsupported));
  }
  return { name, extends: extendsList, faults, operations, file, line: el.line, el };
}

function readInterfaceOperation(file: string, op: XmlElement, name: QName, unsupported: Unsupported[]): InterfaceOperation20 {
  let input: MessageContent | null = null;
  let output: MessageContent | null = null;
  let inputAction: string | null = null;
  const faultRefs: QName[] = [];
  let soapActionHint: string | null = null;
  for (const c of op.children) {
    if (c.ns === NS.wsdl20 && c.local === 'input' && input === null) {
      input = content(file, c);
      inputAction = c.attrs[`{${NS.wsaw}}Action`] ?? null;
    } else if (c.ns === NS.wsdl20 && c.local === 'output' && output === null) output = content(file, c);
    else if (c.ns === NS.wsdl20 && (c.local === 'infault' || c.local === 'outfault')) {
      const f = ref(file, c, 'ref');
      if (!faultRefs.includes(f)) faultRefs.push(f);
    } else if (c.ns === NS.wsdl20 && c.local === 'fault' && (c.attrs.ref ?? c.attrs.name) !== undefined) {
      // Seen in the wild (Imposter): a fault declared inside the operation. The nearest valid
      // reading is an outfault reference to the interface fault of that name.
      const f = c.attrs.ref !== undefined ? ref(file, c, 'ref') : qn(qnNs(name), c.attrs.name ?? '');
      if (!faultRefs.includes(f)) faultRefs.push(f);
      unsupported.push({ construct: '<fault> inside an interface operation (not WSDL 2.0): read as an outfault reference to the interface fault of that name', where: `${file}:${c.line}` });
    } else if (WSOAP_NS.includes(c.ns) && c.local === 'operation' && c.attrs.soapAction !== undefined) soapActionHint = c.attrs.soapAction;
  }
  return {
    name,
    pattern: op.attrs.pattern?.trim() || 'http://www.w3.org/ns/wsdl/in-out',
    styles: (op.attrs.style ?? '').split(/\s+/).filter(Boolean),
    safe: (op.attrs[`{${NS.wsdlx}}safe`] ?? op.attrs.safe)?.trim() === 'true',
    input,
    output,
    faultRefs,
    soapActionHint,
    inputAction,
    line: op.line,
  };
}

function readBinding(file: string, el: XmlElement, name: QName): Binding20 {
  const operations: BindingOperation20[] = [];
  const extras: string[] = [];
  for (const c of el.children) {
    if (c.ns !== NS.wsdl20 || c.local !== 'operation') continue;
    operations.push({ ref: ref(file, c, 'ref'), action: wsoapAttr(c, 'action'), mep: wsoapAttr(c, 'mep'), line: c.line });
    const extra = c.children.flatMap((io) => io.children).find((x) => WSOAP_NS.includes(x.ns) && (x.local === 'header' || x.local === 'module'));
    if (extra) extras.push(`${file}:${extra.line} <wsoap:${extra.local}> in binding operation ${c.attrs.ref ?? ''}`);
  }
  for (const m of el.children) if (WSOAP_NS.includes(m.ns) && m.local === 'module') extras.push(`${file}:${m.line} <wsoap:module> in binding ${el.attrs.name ?? ''}`);
  return {
    name,
    interface: optionalRef(file, el, 'interface'),
    type: el.attrs.type?.trim() ?? '',
    version: wsoapAttr(el, 'version'),
    protocol: wsoapAttr(el, 'protocol'),
    mepDefault: wsoapAttr(el, 'mepDefault'),
    operations,
    extras,
    file,
    line: el.line,
    el,
  };
}

function readService(file: string, el: XmlElement, name: QName): Service20 {
  const endpoints = el.children
    .filter((c) => c.ns === NS.wsdl20 && c.local === 'endpoint')
    .map((c) => ({ name: c.attrs.name ?? '', binding: optionalRef(file, c, 'binding'), address: c.attrs.address?.trim() ?? null, line: c.line }));
  return { name, interface: optionalRef(file, el, 'interface'), endpoints, file, el };
}
